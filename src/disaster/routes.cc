#include "disaster/routes.h"

#include <fmt/format.h>

#include "audit/audit_log.h"
#include "auth/guard.h"
#include "common/error.h"
#include "common/text.h"
#include "disaster/ledger_import.h"
#include "http/json_body.h"
#include "registry/persons.h"

namespace moyakko::disaster {
namespace {

using auth::Action;
using http::Context;
using http::Response;
using nlohmann::json;

// A municipal ledger of 100,000 people is about 17 MB; four times that is room enough.
constexpr std::size_t kMaxUploadBytes = 64 << 20;

struct Deps {
  store::Database& db;
  const Clock& clock;
};

bool FlagParam(Context& c, const char* name, bool fallback) {
  auto value = c.request().QueryParam(name);
  if (!value || value->empty()) return fallback;
  if (*value == "true" || *value == "1") return true;
  if (*value == "false" || *value == "0") return false;
  Fail(ErrorCode::kInvalidArgument, "invalid_flag", fmt::format("{}: true or false", name), name);
}

json MappingJson(const std::map<std::string, LedgerField>& mapping) {
  json out = json::object(), fields = json::array();
  for (const auto& [header, field] : mapping) out[header] = std::string(FieldName(field));
  for (int f = 0; f <= static_cast<int>(LedgerField::kConsent); ++f) fields.push_back(std::string(FieldName(static_cast<LedgerField>(f))));
  return {{"mapping", out}, {"fields", fields}};
}

audit::Entry Audit(Context& c, const std::string& action, const std::string& detail) {
  audit::Entry entry = auth::EntryFor(c.principal(), Action::kDisasterLedger, c.request_id());
  entry.action = action;
  entry.reason = "role";
  entry.detail = detail;
  return entry;
}

Response ImportRoute(Deps& d, Context& c) {
  bool dry_run = FlagParam(c, "dry_run", true);
  bool skip_invalid = FlagParam(c, "skip_invalid", false);
  auto encoding = ParseEncoding(c.request().QueryParam("encoding").value_or("auto"));
  if (!encoding) Fail(ErrorCode::kInvalidArgument, "invalid_encoding", "encoding: auto, cp932 or utf-8", "encoding");
  const auth::Principal& p = c.principal();
  UnixMillis now = d.clock.Now();
  std::map<std::string, LedgerField> mapping;
  std::string today = d.db.Read([&](store::Session& s) {
    mapping = LoadMapping(s, p.tenant_code);
    return LocalDate(now, registry::TenantTimeZone(s, p.tenant_id));
  });
  ParsedLedger ledger = ParseLedger(c.request().body, *encoding, mapping, today);
  ImportReport report = ImportLedger(d.db, ledger,
                                     {.tenant_code = p.tenant_code, .dry_run = dry_run, .skip_invalid = skip_invalid,
                                      .actor = p.username, .actor_user_id = p.user_id,
                                      .actor_role = std::string(auth::ToString(p.role))},
                                     now);
  // A dry run reads the register to match the records: that reading is audited too.
  if (!report.written) {
    audit::AppendNow(d.db, Audit(c, "ledger.import", fmt::format("dry_run rows={} valid={} review={}", report.rows,
                                                                 report.valid, report.review)));
  }
  Response response = Response::Json(200, report.json);
  response.headers.push_back({"Cache-Control", "private, no-store"});
  return response;
}

Response MappingRoute(Deps& d, Context& c) {
  return Response::Json(200, MappingJson(d.db.Read([&](store::Session& s) { return LoadMapping(s, c.principal().tenant_code); })));
}

Response SaveMappingRoute(Deps& d, Context& c) {
  json body = c.JsonBody();
  auto list = body.find("mapping");
  if (list == body.end() || !list->is_object() || list->size() > 100) {
    Fail(ErrorCode::kInvalidArgument, "invalid_mapping", "mapping: an object of at most 100 headers", "mapping");
  }
  std::map<std::string, LedgerField> mapping;
  for (const auto& [header, field] : list->items()) {
    std::string name = "mapping." + header.substr(0, 100);
    if (header.empty() || header.size() > 300 || !IsValidUtf8(header)) {
      Fail(ErrorCode::kInvalidArgument, "invalid_header", "a header of 1–100 characters", "mapping");
    }
    auto parsed = field.is_string() ? ParseFieldName(field.get<std::string>()) : std::nullopt;
    if (!parsed) Fail(ErrorCode::kInvalidArgument, "invalid_field", name + ": one of the fields", name);
    mapping[header] = *parsed;
  }
  return d.db.Write([&](store::Session& s) {
    SaveMapping(s, c.principal().tenant_code, mapping);
    audit::Append(s, Audit(c, "disaster.ledger", fmt::format("mapping headers={}", mapping.size())));
    return Response::Json(200, MappingJson(mapping));
  });
}

Response ReviewsRoute(Deps& d, Context& c) {
  json reviews = json::array();
  d.db.Read([&](store::Session& s) {
    for (const auto& row : s.Query("SELECT id, record, candidate_person_id, reason, created_at FROM ledger_reviews "
                                   "WHERE tenant_id = $1 AND resolved_at IS NULL ORDER BY id",
                                   {c.principal().tenant_id})) {
      json review = json::parse(row.Text(1));
      review["id"] = row.Int(0);
      review["candidate_person_id"] = row.Int(2);
      review["reason"] = row.Text(3);
      review["created_at"] = FormatRfc3339(row.Int(4));
      reviews.push_back(std::move(review));
    }
  });
  audit::AppendNow(d.db, Audit(c, "disaster.ledger", fmt::format("reviews={}", reviews.size())));
  Response response = Response::Json(200, {{"reviews", reviews}});
  response.headers.push_back({"Cache-Control", "private, no-store"});
  return response;
}

}  // namespace

void AddRoutes(http::Router& router, store::Database& db, const Clock& clock) {
  auto deps = std::make_shared<Deps>(Deps{db, clock});
  auto add = http::RouteAdder(router, deps);
  const std::string l = "/api/v1/disaster/ledger";
  router.Add("POST", l + "/imports", http::Access::Requires(Action::kDisasterLedger),
             [deps](Context& c) { return ImportRoute(*deps, c); }, kMaxUploadBytes);
  add("GET", l + "/mapping", Action::kDisasterLedger, MappingRoute);
  add("PUT", l + "/mapping", Action::kDisasterLedger, SaveMappingRoute);
  add("GET", l + "/reviews", Action::kDisasterLedger, ReviewsRoute);
}

}  // namespace moyakko::disaster
