#include "registry/routes.h"

#include <fmt/format.h>

#include "audit/audit_log.h"
#include "auth/guard.h"
#include "common/error.h"
#include "common/text.h"
#include "http/json_body.h"
#include "registry/persons.h"

namespace moyakko::registry {
namespace {

using auth::Action;
using http::Access;
using http::Context;
using http::Response;

std::string TenantToday(store::Session& s, std::int64_t tenant_id) {
  return LocalDate(SystemClock().Now(), TenantTimeZone(s, tenant_id));
}

Response ListPersons(store::Database& db, Context& c) {
  PersonSearch search;
  search.text = c.request().QueryParam("q").value_or("");
  if (!IsValidUtf8(search.text) || search.text.size() > 200) {
    Fail(ErrorCode::kInvalidArgument, "invalid_query", "q: at most 200 bytes of UTF-8", "q");
  }
  search.limit = static_cast<int>(std::clamp<std::int64_t>(c.request().IntParam("limit").value_or(50), 1, 200));
  return db.Write([&](store::Session& s) {
    std::vector<Person> persons = SearchPersons(s, c.principal(), search);
    audit::Entry entry = auth::EntryFor(c.principal(), Action::kPersonList, c.request_id());
    entry.reason = "search";
    entry.detail = fmt::format("results={}", persons.size());
    audit::Append(s, entry);
    std::string today = TenantToday(s, c.principal().tenant_id);
    nlohmann::json list = nlohmann::json::array();
    for (const Person& p : persons) list.push_back(ToJson(p, today));
    return Response::Json(200, {{"persons", list}});
  });
}

Response ReadPerson(store::Database& db, Context& c) {
  std::int64_t id = c.IdParam("id");
  return db.Write([&](store::Session& s) {
    auth::RequirePerson(s, c.principal(), Action::kPersonRead, id, {c.request_id(), "", ""});
    auto person = GetPerson(s, id);
    return Response::Json(200, {{"person", ToJson(*person, TenantToday(s, person->tenant_id))}});
  });
}

Response CreatePerson(store::Database& db, Context& c) {
  nlohmann::json body = c.JsonBody();
  Person p;
  p.tenant_id = c.principal().tenant_id;
  p.family_name = http::RequiredString(body, "family_name", 50);
  p.given_name = http::OptionalString(body, "given_name", 50).value_or("");
  p.family_kana = http::OptionalString(body, "family_kana", 100).value_or("");
  p.given_kana = http::OptionalString(body, "given_kana", 100).value_or("");
  p.sex = http::OptionalString(body, "sex", 10).value_or("unknown");
  p.birth_date = http::OptionalString(body, "birth_date", 10);
  p.postal_code = http::OptionalString(body, "postal_code", 10).value_or("");
  p.address = http::OptionalString(body, "address", 200).value_or("");
  p.district = http::OptionalString(body, "district", 50).value_or("");
  if (auto phones = body.find("phones"); phones != body.end()) {
    if (!phones->is_array() || phones->size() > 5) {
      Fail(ErrorCode::kInvalidArgument, "invalid_phones", "phones: up to 5 strings", "phones");
    }
    for (const auto& phone : *phones) {
      if (!phone.is_string() || phone.get_ref<const std::string&>().size() > 30) {
        Fail(ErrorCode::kInvalidArgument, "invalid_phones", "phones: up to 5 strings", "phones");
      }
      p.phones.push_back(phone.get<std::string>());
    }
  }
  for (const char* field : {"lat", "lon"}) {
    auto it = body.find(field);
    if (it == body.end() || it->is_null()) continue;
    if (!it->is_number()) Fail(ErrorCode::kInvalidArgument, "invalid_location", fmt::format("{} must be a number", field), field);
    (std::string_view(field) == "lat" ? p.lat : p.lon) = it->get<double>();
  }
  return db.Write([&](store::Session& s) {
    std::int64_t id = AddPerson(s, p, SystemClock().Now());
    audit::Entry entry = auth::EntryFor(c.principal(), Action::kPersonWrite, c.request_id());
    entry.person_id = id;
    entry.reason = "register";
    audit::Append(s, entry);
    auto created = GetPerson(s, id);
    return Response::Json(201, {{"person", ToJson(*created, TenantToday(s, p.tenant_id))}});
  });
}

Response ListOrganizations(store::Database& db, Context&) {
  return db.Read([&](store::Session& s) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& row : s.Query("SELECT o.code, o.name, o.kind, t.code, o.phone, o.address FROM organizations o "
                                   "JOIN tenants t ON t.id = o.tenant_id ORDER BY t.code, o.kind, o.code")) {
      list.push_back({{"code", row.Text(0)}, {"name", row.Text(1)}, {"kind", row.Text(2)},
                      {"tenant", row.Text(3)}, {"phone", row.Text(4)}, {"address", row.Text(5)}});
    }
    return Response::Json(200, {{"organizations", list}});
  });
}

}  // namespace

void AddRoutes(http::Router& router, store::Database& db) {
  router.Add("GET", "/api/v1/persons", Access::Requires(Action::kPersonList),
             [&db](Context& c) { return ListPersons(db, c); });
  router.Add("POST", "/api/v1/persons", Access::Requires(Action::kPersonWrite),
             [&db](Context& c) { return CreatePerson(db, c); });
  router.Add("GET", "/api/v1/persons/{id}", Access::Requires(Action::kPersonRead),
             [&db](Context& c) { return ReadPerson(db, c); });
  router.Add("GET", "/api/v1/organizations", Access::Requires(Action::kOrganizationList),
             [&db](Context& c) { return ListOrganizations(db, c); });
}

}  // namespace moyakko::registry
