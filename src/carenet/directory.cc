#include "carenet/directory.h"

#include <algorithm>

#include <fmt/format.h>

#include "carenet/people.h"
#include "common/error.h"
#include "common/text.h"
#include "http/json_body.h"

namespace moyakko::carenet {
namespace {

constexpr std::string_view kOrganizationColumns =
    "SELECT o.code, o.name, o.kind, t.code, o.phone, o.fax, o.address, o.hours, o.services, o.lat, o.lon, o.note, o.id "
    "FROM organizations o JOIN tenants t ON t.id = o.tenant_id ";

nlohmann::json OrganizationFromRow(const store::Row& r) {
  return {{"code", r.Text(0)},    {"name", r.Text(1)},     {"kind", r.Text(2)},
          {"tenant", r.Text(3)},  {"phone", r.Text(4)},    {"fax", r.Text(5)},
          {"address", r.Text(6)}, {"hours", r.Text(7)},    {"services", nlohmann::json::parse(r.Text(8))},
          {"lat", r.IsNull(9) ? nlohmann::json(nullptr) : nlohmann::json(r.Real(9))},
          {"lon", r.IsNull(10) ? nlohmann::json(nullptr) : nlohmann::json(r.Real(10))},
          {"note", r.Text(11)}};
}

bool Matches(const std::string& key, const std::string& haystack) {
  return key.empty() || SearchKey(haystack).find(key) != std::string::npos;
}

}  // namespace

const std::vector<std::string>& ServiceVocabulary() {
  static const std::vector<std::string> services = {"home_visits",   "24h",           "terminal_care",
                                                    "pediatric",     "dementia",      "rehabilitation",
                                                    "dental_visits", "medication_delivery", "short_stay",
                                                    "day_care"};
  return services;
}

nlohmann::json SearchOrganizations(store::Session& s, const DirectoryQuery& q) {
  // Hundreds of organisations per region: filtering in memory keeps the search tolerant of
  // width and kana without a stored key to keep up to date.
  std::string key = SearchKey(q.text);
  nlohmann::json list = nlohmann::json::array();
  for (const auto& r : s.Query(std::string(kOrganizationColumns) + "ORDER BY t.code, o.kind, o.code")) {
    nlohmann::json o = OrganizationFromRow(r);
    if (!q.kind.empty() && o["kind"] != q.kind) continue;
    if (!q.service.empty() && std::find(o["services"].begin(), o["services"].end(), q.service) == o["services"].end()) {
      continue;
    }
    if (!Matches(key, fmt::format("{} {} {} {}", r.Text(1), r.Text(6), r.Text(4), r.Text(11)))) continue;
    list.push_back(std::move(o));
  }
  return list;
}

nlohmann::json OrganizationJson(store::Session& s, const std::string& code) {
  auto row = s.QueryOne(std::string(kOrganizationColumns) + "WHERE o.code = $1", {code});
  if (!row) Fail(ErrorCode::kNotFound, "no_such_organization", "no such organisation");
  std::set<std::int64_t> ids;
  for (const auto& r : s.Query("SELECT id FROM users WHERE organization_id = $1 AND disabled = 0 AND role <> 'admin' "
                               "ORDER BY display_kana", {row->Int(12)})) {
    ids.insert(r.Int(0));
  }
  UserCards cards(s, ids);
  nlohmann::json professionals = nlohmann::json::array();
  for (std::int64_t id : ids) professionals.push_back(cards.Get(id));
  std::sort(professionals.begin(), professionals.end(),
            [](const auto& a, const auto& b) { return a["kana"] < b["kana"]; });
  return {{"organization", OrganizationFromRow(*row)}, {"professionals", professionals}};
}

void UpdateOrganization(store::Session& s, std::int64_t tenant_id, const std::string& code, const nlohmann::json& body) {
  auto row = s.QueryOne("SELECT id, phone, fax, address, hours, services, note FROM organizations "
                        "WHERE code = $1 AND tenant_id = $2", {code, tenant_id});
  if (!row) Fail(ErrorCode::kNotFound, "no_such_organization", "no such organisation");
  std::string phone = http::OptionalString(body, "phone", 30).value_or(row->Text(1));
  std::string fax = http::OptionalString(body, "fax", 30).value_or(row->Text(2));
  std::string address = http::OptionalString(body, "address", 200).value_or(row->Text(3));
  std::string hours = http::OptionalString(body, "hours", 200).value_or(row->Text(4));
  std::string note = http::OptionalString(body, "note", 1000).value_or(row->Text(6));
  std::string services = row->Text(5);
  if (auto it = body.find("services"); it != body.end()) {
    const auto& vocabulary = ServiceVocabulary();
    if (!it->is_array()) Fail(ErrorCode::kInvalidArgument, "invalid_services", "services must be a list", "services");
    for (const auto& service : *it) {
      if (!service.is_string() || std::find(vocabulary.begin(), vocabulary.end(), service.get<std::string>()) == vocabulary.end()) {
        Fail(ErrorCode::kInvalidArgument, "invalid_services",
             fmt::format("services: any of {}", fmt::join(vocabulary, ", ")), "services");
      }
    }
    services = it->dump();
  }
  s.Execute("UPDATE organizations SET phone = $2, fax = $3, address = $4, hours = $5, services = $6, note = $7 WHERE id = $1",
            {row->Int(0), phone, fax, address, hours, services, note});
}

nlohmann::json SearchProfessionals(store::Session& s, const DirectoryQuery& q) {
  std::string key = SearchKey(q.text);
  std::set<std::int64_t> ids;
  for (const auto& r : s.Query("SELECT u.id, u.display_name, u.display_kana, u.role, COALESCE(o.code, ''), COALESCE(o.name, '') "
                               "FROM users u LEFT JOIN organizations o ON o.id = u.organization_id "
                               "WHERE u.disabled = 0 AND u.role NOT IN ('family', 'resident', 'admin')")) {
    if (!q.kind.empty() && r.Text(3) != q.kind) continue;
    if (!q.organization.empty() && r.Text(4) != q.organization) continue;
    if (!Matches(key, fmt::format("{} {} {}", r.Text(1), r.Text(2), r.Text(5)))) continue;
    ids.insert(r.Int(0));
    if (ids.size() >= 200) break;
  }
  UserCards cards(s, ids);
  nlohmann::json list = nlohmann::json::array();
  for (std::int64_t id : ids) list.push_back(cards.Get(id));
  std::sort(list.begin(), list.end(), [](const auto& a, const auto& b) { return a["kana"] < b["kana"]; });
  return list;
}

}  // namespace moyakko::carenet
