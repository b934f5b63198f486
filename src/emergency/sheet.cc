#include "emergency/sheet.h"

#include <algorithm>

#include <fmt/format.h>

#include "auth/policy.h"
#include "carenet/patients.h"
#include "carenet/summary.h"
#include "common/error.h"
#include "common/text.h"
#include "emergency/transports.h"
#include "lifelog/records.h"

namespace moyakko::emergency {
namespace {

using nlohmann::json;

std::string Today(store::Session& s, std::int64_t tenant_id, UnixMillis now) {
  return LocalDate(now, registry::TenantTimeZone(s, tenant_id));
}

// The person with birth date and phones: what a paramedic or a kit reader calls and checks.
json PersonJson(store::Session& s, std::int64_t person_id, UnixMillis now) {
  auto person = registry::GetPerson(s, person_id);
  if (!person) Fail(ErrorCode::kNotFound, "no_such_person", "no such person");
  json j = IdentityJson(*person, Today(s, person->tenant_id, now));
  j["birth_date"] = person->birth_date ? json(*person->birth_date) : json(nullptr);
  j["phones"] = person->phones;
  return j;
}

// The current entries of every section, each as its data.
struct Summary {
  json sections;
  // The newest entry of a section kept as one (care level, family doctor).
  json Newest(const char* section) const {
    const json& entries = sections[section];
    return entries.empty() ? json(nullptr) : entries.back()["data"];
  }
  json All(const char* section) const {
    json list = json::array();
    for (const auto& entry : sections[section]) list.push_back(entry["data"]);
    return list;
  }
  json NextOfKin() const {
    json kin = All("next_of_kin");
    std::stable_sort(kin.begin(), kin.end(), [](const json& a, const json& b) { return a.value("order", 99) < b.value("order", 99); });
    return kin;
  }
  json CurrentAcp() const {
    for (const auto& entry : sections["acp"]) {
      if (entry.value("current", false)) return entry["data"];
    }
    return nullptr;
  }
};

Summary LoadSummary(store::Session& s, std::int64_t person_id) {
  // An emergency reads everything the care network keeps: a paramedic at the door acts in
  // the person's vital interest (個人情報保護法 27条1項2号), consent or not.
  return {carenet::SummaryJson(s, person_id, {auth::Category::kIdentity, auth::Category::kCareLevel, auth::Category::kContacts,
                                              auth::Category::kClinical, auth::Category::kAcp})};
}

bool Registered(store::Session& s, std::int64_t person_id) {
  return s.QueryOne("SELECT 1 FROM patients WHERE person_id = $1 AND status = 'active'", {person_id}).has_value();
}

// The care team that looks after the person now, lead first, with the numbers to call.
json CareTeam(store::Session& s, std::int64_t person_id) {
  json team = json::array();
  for (const auto& member : carenet::TeamJson(s, person_id)) {
    if (member["status"] != "active") continue;
    const json& user = member["user"];
    if (user.is_null()) continue;
    json organization = user["organization"].is_null()
                            ? json(nullptr)
                            : json{{"name", user["organization"]["name"]}, {"phone", user["organization"]["phone"]}};
    team.push_back({{"name", user["name"]}, {"role", user["role"]}, {"phone", user["phone"]},
                    {"lead", member["membership"] == "lead"}, {"organization", organization}});
  }
  return team;
}

// Whom the watch-over call centre phones, in its order: often the family's numbers.
json WatchContacts(store::Session& s, std::int64_t person_id) {
  json contacts = json::array();
  for (const auto& r : s.Query("SELECT c.name, c.relationship, c.phone FROM household_contacts c "
                               "JOIN households h ON h.id = c.household_id WHERE h.person_id = $1 ORDER BY c.position",
                               {person_id})) {
    contacts.push_back({{"name", r.Text(0)}, {"relationship", r.Text(1)}, {"phones", json::array({r.Text(2)})}});
  }
  return contacts;
}

}  // namespace

json IdentityJson(const registry::Person& person, const std::string& today) {
  json full = registry::ToJson(person, today);
  return {{"id", person.id},  {"name", full["name"]}, {"kana", full["kana"]},
          {"age", full["age"]}, {"sex", person.sex},   {"address", person.address}};
}

FindQuery ReadFindQuery(const std::optional<std::string>& q, const std::optional<std::string>& birth_date) {
  FindQuery query;
  query.text = q.value_or("");
  if (!IsValidUtf8(query.text) || query.text.size() > 200) {
    Fail(ErrorCode::kInvalidArgument, "invalid_query", "q: at most 200 bytes of UTF-8", "q");
  }
  if (birth_date && !birth_date->empty()) {
    if (!IsCalendarDate(*birth_date)) Fail(ErrorCode::kInvalidArgument, "invalid_date", "birth_date: YYYY-MM-DD", "birth_date");
    query.birth_date = *birth_date;
  }
  if (SearchKey(query.text).empty() && !query.birth_date) {
    Fail(ErrorCode::kInvalidArgument, "query_required", "give q (name, kana, address or phone) or birth_date", "q");
  }
  return query;
}

json FindPersons(store::Session& s, const auth::Principal& paramedic, const FindQuery& query, UnixMillis now) {
  std::vector<store::Value> params;
  auto param = [&](store::Value value) {
    params.push_back(std::move(value));
    return fmt::format("${}", params.size());
  };
  registry::KeySearch match = registry::MatchSearchKey(s, SearchKey(query.text), param);
  std::string tenant = param(paramedic.tenant_id);
  std::vector<std::string> where = {"(p.tenant_id = " + tenant +
                                    " OR p.tenant_id IN (SELECT from_tenant_id FROM tenant_shares WHERE to_tenant_id = " +
                                    tenant + "))"};
  if (!match.where.empty()) where.push_back(match.where);
  if (query.birth_date) where.push_back("p.birth_date = " + param(*query.birth_date));
  auto rows = s.Query(fmt::format("SELECT {} FROM {} WHERE {} ORDER BY p.family_kana, p.given_kana, p.id LIMIT 20",
                                  registry::kPersonColumns, match.from, fmt::join(where, " AND ")),
                      params);
  json persons = json::array();
  std::string today = Today(s, paramedic.tenant_id, now);
  for (const auto& row : rows) persons.push_back(IdentityJson(registry::PersonFromRow(row), today));
  return persons;
}

json SheetJson(store::Session& s, std::int64_t person_id, UnixMillis now) {
  Summary summary = LoadSummary(s, person_id);
  return {{"person", PersonJson(s, person_id, now)},
          {"registered", Registered(s, person_id)},
          {"care_level", summary.Newest("care_level")},
          {"next_of_kin", summary.NextOfKin()},
          {"watch_contacts", WatchContacts(s, person_id)},
          {"care_team", CareTeam(s, person_id)},
          {"family_doctor", summary.Newest("family_doctor")},
          {"history", summary.All("history")},
          {"prescriptions", summary.All("prescriptions")},
          {"allergies", summary.All("allergies")},
          {"acp", summary.CurrentAcp()},
          {"transports", TransportsJson(s, person_id)},
          {"life_records", lifelog::RecentForSheet(s, person_id, now)}};
}

json KitSheetJson(store::Session& s, std::int64_t person_id, UnixMillis now) {
  Summary summary = LoadSummary(s, person_id);
  return {{"person", PersonJson(s, person_id, now)},
          {"care_level", summary.Newest("care_level")},
          {"family_doctor", summary.Newest("family_doctor")},
          {"next_of_kin", summary.NextOfKin()}};
}

}  // namespace moyakko::emergency
