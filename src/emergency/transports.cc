#include "emergency/transports.h"

#include <fmt/format.h>

#include "carenet/timeline.h"
#include "common/error.h"
#include "emergency/grants.h"
#include "emergency/notices.h"
#include "http/json_body.h"
#include "registry/persons.h"

namespace moyakko::emergency {
namespace {

using nlohmann::json;

// Paramedics write down the time they left; a time far from now is a typing mistake.
constexpr UnixMillis kDepartureWindow = 12 * 3600 * 1000;

}  // namespace

NewTransport ReadNewTransport(const json& body, UnixMillis now) {
  NewTransport t;
  t.departed_at = now;
  if (auto at = http::OptionalString(body, "departed_at", 40); at && !at->empty()) {
    auto parsed = ParseRfc3339(*at);
    if (!parsed) Fail(ErrorCode::kInvalidArgument, "invalid_time", "departed_at: RFC 3339 with an offset", "departed_at");
    if (*parsed > now + 10 * 60000 || *parsed < now - kDepartureWindow) {
      Fail(ErrorCode::kInvalidArgument, "invalid_time", "departed_at: within the last 12 hours", "departed_at");
    }
    t.departed_at = *parsed;
  }
  t.hospital = http::OptionalString(body, "hospital", 100);
  if (t.hospital && t.hospital->empty()) t.hospital.reset();
  if (!t.hospital) t.hospital_name = http::RequiredText(body, "hospital_name", 100);
  t.condition = http::RequiredText(body, "condition", 2000);
  return t;
}

RecordedTransport RecordTransport(store::Session& s, const auth::Principal& paramedic, std::int64_t person_id,
                                  NewTransport t, const std::string& request_id, UnixMillis now) {
  std::int64_t grant = LiveParamedicGrant(s, paramedic, person_id, now);
  std::optional<std::int64_t> organization;
  if (t.hospital) {
    auto org = s.QueryOne("SELECT id, name FROM organizations WHERE code = $1 AND kind IN ('hospital', 'clinic')", {*t.hospital});
    if (!org) Fail(ErrorCode::kInvalidArgument, "unknown_hospital", "hospital: no hospital or clinic with this code", "hospital");
    organization = org->Int(0);
    t.hospital_name = org->Text(1);
  }
  std::optional<std::int64_t> hospital_grant;
  if (organization) hospital_grant = OpenHospitalGrant(s, paramedic, person_id, *organization, t.hospital_name, request_id, now).id;
  std::int64_t id = s.QueryOne(
      "INSERT INTO emergency_transports (grant_id, person_id, recorded_by, departed_at, hospital_organization_id, "
      "hospital_name, condition, hospital_grant_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
      {grant, person_id, paramedic.user_id, t.departed_at, store::Opt(organization), t.hospital_name, t.condition,
       store::Opt(hospital_grant), now})->Int(0);
  auto person = registry::GetPerson(s, person_id);
  std::string name = registry::JoinName(person->family_name, person->given_name);
  std::string when = FormatLocalMinute(t.departed_at, registry::TenantTimeZone(s, person->tenant_id));
  RecordedTransport recorded;
  auto post = carenet::AddSystemPost(s, person_id, "emergency",
                                     fmt::format("【救急搬送】{} {} へ搬送しました。\n状態: {}", when, t.hospital_name, t.condition),
                                     true, std::nullopt, now);
  recorded.post = post;
  SendNotice(s, person_id,
             {fmt::format("【もーやっこ救急】{}さんが救急搬送されました", name),
              fmt::format("{}さんが {} に {} へ救急搬送されました。\n詳しくは、もーやっこの連絡帳でご確認ください。\n", name, when,
                          t.hospital_name),
              fmt::format("emergency:transport:{}", id), false},
             now);
  for (const auto& transport : TransportsJson(s, person_id)) {
    if (transport["id"] == id) recorded.transport = transport;
  }
  return recorded;
}

json TransportsJson(store::Session& s, std::int64_t person_id) {
  json list = json::array();
  for (const auto& r : s.Query(
           "SELECT t.id, t.departed_at, o.code, o.name, t.hospital_name, t.condition, u.display_name, g.expires_at "
           "FROM emergency_transports t JOIN users u ON u.id = t.recorded_by "
           "LEFT JOIN organizations o ON o.id = t.hospital_organization_id "
           "LEFT JOIN emergency_grants g ON g.id = t.hospital_grant_id WHERE t.person_id = $1 "
           "ORDER BY t.departed_at DESC, t.id DESC LIMIT 20", {person_id})) {
    list.push_back({{"id", r.Int(0)},
                    {"departed_at", FormatRfc3339(r.Int(1))},
                    {"hospital", r.IsNull(2) ? json(nullptr) : json{{"code", r.Text(2)}, {"name", r.Text(3)}}},
                    {"hospital_name", r.Text(4)},
                    {"condition", r.Text(5)},
                    {"recorded_by", {{"name", r.Text(6)}}},
                    {"hospital_access_until", r.IsNull(7) ? json(nullptr) : json(FormatRfc3339(r.Int(7)))}});
  }
  return list;
}

}  // namespace moyakko::emergency
