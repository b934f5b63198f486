#include "interop/fhir_routes.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <set>

#include "auth/clients.h"
#include "auth/guard.h"
#include "common/crypto.h"
#include "common/error.h"
#include "common/text.h"
#include "interop/fhir.h"

namespace moyakko::interop {
namespace {

using auth::Action;
using http::Access;
using http::Context;
using http::Request;
using http::Response;
using nlohmann::json;

constexpr std::string_view kFhirJson = "application/fhir+json; charset=utf-8";
constexpr int kDefaultCount = 50;
constexpr int kMaxCount = 500;

struct Deps {
  store::Database& db;
  store::GroupCommit& commits;
  const Clock& clock;
  std::string public_url;
};

Response FhirResponse(int status, const json& body) {
  Response response = Response::Json(status, body);
  response.content_type = std::string(kFhirJson);
  return response;
}

std::string_view IssueCode(int status) {
  switch (status) {
    case 400: return "invalid";
    case 401: return "login";
    case 403: return "forbidden";
    case 404: return "not-found";
    case 405: return "not-supported";
    case 409: return "conflict";
    case 413: return "too-costly";
    case 429: return "throttled";
    default: return status >= 500 ? "exception" : "processing";
  }
}

json Information(const std::string& text) {
  return {{"resourceType", "OperationOutcome"},
          {"issue", {{{"severity", "information"}, {"code", "informational"}, {"diagnostics", text}}}}};
}

// `slug`: the platform's error code ("csrf", "invalid_parameter"), for programs.
json Outcome(int status, const std::string& text, const std::string& slug = "") {
  json issue = {{"severity", status >= 500 ? "fatal" : "error"}, {"code", IssueCode(status)}, {"diagnostics", text}};
  if (!slug.empty()) issue["details"] = {{"coding", {{{"system", "urn:moyakko:codes:error"}, {"code", slug}}}}};
  return {{"resourceType", "OperationOutcome"}, {"issue", {issue}}};
}

// The base every link and fullUrl starts with: the public URL when the server knows it, else
// the Host the request came to (characters of a host name only).
std::string Base(const Deps& d, const Request& request) {
  if (!d.public_url.empty()) {
    std::string url = d.public_url;
    while (!url.empty() && url.back() == '/') url.pop_back();
    return url + "/fhir/r4";
  }
  std::string host(request.Header("host"));
  bool plain = !host.empty() && std::all_of(host.begin(), host.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || std::string_view(".:-[]").find(c) != std::string_view::npos;
  });
  return fmt::format("http://{}/fhir/r4", plain ? host : "localhost");
}

const ResourceType& RequireType(const std::string& name) {
  const ResourceType* type = FindType(name);
  if (!type) Fail(ErrorCode::kNotFound, "unknown_type", fmt::format("this server has no resource type '{}'", name));
  return *type;
}

// A client reads only the types its token's scopes name; a refusal is audited as one.
void RequireScope(const Context& c, std::string_view type) {
  if (auth::ScopeAllows(c.principal(), type)) return;
  audit::Entry entry = auth::EntryFor(c.principal(), Action::kFhirRead, c.request_id());
  entry.outcome = audit::Outcome::kDenied;
  entry.reason = "scope";
  entry.detail = std::string(type);
  throw auth::AccessDenied(std::move(entry));
}

// ---- search parameters ---------------------------------------------------------------------

// The search parameters each type understands besides _id, _count, _offset (and patient /
// subject for the types about a patient), with the kind the CapabilityStatement names.
const std::vector<std::pair<std::string, std::string>>& TypeParams(std::string_view type) {
  static const std::vector<std::pair<std::string, std::string>> none;
  static const std::map<std::string_view, std::vector<std::pair<std::string, std::string>>> params = {
      {"Patient", {{"name", "string"}, {"birthdate", "date"}, {"gender", "token"}}},
      {"Observation", {{"category", "token"}, {"code", "token"}, {"date", "date"}}},
      {"Condition", {{"clinical-status", "token"}}},
      {"MedicationStatement", {{"status", "token"}}},
      {"Flag", {{"status", "token"}}},
      {"Consent", {{"status", "token"}}},
      {"Practitioner", {{"name", "string"}}},
      {"Organization", {{"name", "string"}}},
      {"Location", {{"name", "string"}}},
  };
  auto it = params.find(type);
  return it == params.end() ? none : it->second;
}

struct Search {
  int count = kDefaultCount;
  std::int64_t offset = 0;
  std::optional<std::string> id;
  std::optional<std::int64_t> patient;
  std::vector<std::pair<std::string, std::string>> filters;  // type parameters, as given
  std::vector<std::pair<std::string, std::string>> applied;  // everything used, for the links
};

[[noreturn]] void BadParam(const std::string& name, const std::string& why) {
  Fail(ErrorCode::kInvalidArgument, "invalid_parameter", fmt::format("{}: {}", name, why), name);
}

std::int64_t WholeNumber(const std::string& name, const std::string& text, std::int64_t max) {
  std::int64_t value = -1;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 0 || value > max) {
    BadParam(name, fmt::format("a whole number from 0 to {}", max));
  }
  return value;
}

// "Patient/12" or "12".
std::int64_t PatientParam(const std::string& name, std::string value) {
  if (value.starts_with("Patient/")) value = value.substr(8);
  std::int64_t id = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), id);
  if (ec != std::errc() || end != value.data() + value.size() || id <= 0) BadParam(name, "a Patient reference");
  return id;
}

// FHIR's default is lenient: an unknown parameter is ignored (and left out of the self
// link); "Prefer: handling=strict" makes it an error.
Search ReadSearch(const Request& request, const ResourceType& type) {
  bool strict = request.Header("prefer").find("handling=strict") != std::string_view::npos;
  const auto& known = TypeParams(type.name);
  Search search;
  for (auto& [name, value] : http::ParseForm(request.query)) {
    if (name == "_count") {
      search.count = static_cast<int>(WholeNumber(name, value, kMaxCount));
    } else if (name == "_offset") {
      search.offset = WholeNumber(name, value, 1'000'000'000);
      continue;  // the links set it themselves
    } else if (name == "_id") {
      search.id = value;
    } else if ((name == "patient" || name == "subject") && type.per_patient() && type.name != "Patient") {
      search.patient = PatientParam(name, value);
    } else if (std::any_of(known.begin(), known.end(), [&](const auto& p) { return p.first == name; })) {
      if (value.empty()) BadParam(name, "needs a value");
      search.filters.emplace_back(name, value);
    } else if (name == "_format") {
      continue;
    } else {
      if (strict) BadParam(name, fmt::format("{} has no search parameter '{}'", type.name, name));
      continue;
    }
    search.applied.emplace_back(name, value);
  }
  return search;
}

bool AnyCode(const json& concepts, const std::string& wanted) {
  std::string code = wanted.substr(wanted.find('|') == std::string::npos ? 0 : wanted.find('|') + 1);
  auto match = [&](const json& codeable) {
    if (codeable.value("text", "") == code) return true;
    for (const auto& coding : codeable.value("coding", json::array())) {
      if (coding.value("code", "") == code) return true;
    }
    return false;
  };
  if (concepts.is_array()) return std::any_of(concepts.begin(), concepts.end(), match);
  return concepts.is_object() && match(concepts);
}

bool NameMatches(const json& resource, const std::string& wanted) {
  std::string key = SearchKey(wanted);
  auto contains = [&](const json& text) { return text.is_string() && SearchKey(text.get<std::string>()).find(key) != std::string::npos; };
  const json& name = resource.contains("name") ? resource["name"] : json();
  if (name.is_string()) return contains(name);
  for (const auto& n : name.is_array() ? name : json::array()) {
    if (contains(n.value("text", json())) || contains(n.value("family", json()))) return true;
  }
  return false;
}

// date=[eq|ne|gt|lt|ge|le]YYYY[-MM[-DD…]]: compared at the precision given.
bool DateMatches(const json& resource, const std::string& wanted) {
  std::string op = "eq", value = wanted;
  if (wanted.size() > 2 && std::isalpha(static_cast<unsigned char>(wanted[0]))) op = wanted.substr(0, 2), value = wanted.substr(2);
  std::string at = resource.value("effectiveDateTime", resource.value("birthDate", ""));
  if (at.empty() && resource.contains("effectivePeriod")) at = resource["effectivePeriod"].value("start", "");
  if (at.empty()) return false;
  std::string cut = at.substr(0, std::min(at.size(), value.size()));
  if (op == "eq") return cut == value;
  if (op == "ne") return cut != value;
  if (op == "gt") return cut > value;
  if (op == "lt") return cut < value;
  if (op == "ge") return cut >= value;
  if (op == "le") return cut <= value;
  BadParam("date", "prefix eq, ne, gt, lt, ge or le");
}

bool Matches(const json& r, const std::string& name, const std::string& value) {
  if (name == "name") return NameMatches(r, value);
  if (name == "birthdate" || name == "date") return DateMatches(r, value);
  if (name == "gender" || name == "status") return r.value(name, "") == value;
  if (name == "clinical-status") return AnyCode(r.value("clinicalStatus", json()), value);
  if (name == "category") return AnyCode(r.value("category", json()), value);
  if (name == "code") return AnyCode(r.value("code", json()), value);
  return true;
}

// ---- bundles ---------------------------------------------------------------------------------

std::string Link(const std::string& base, std::string_view type, const Search& search, std::int64_t offset) {
  std::string query;
  for (const auto& [name, value] : search.applied) {
    if (name == "_count") continue;
    query += fmt::format("{}={}&", name, http::PercentEncode(value));
  }
  return fmt::format("{}/{}?{}_count={}&_offset={}", base, type, query, search.count, offset);
}

json Entry(const std::string& base, const json& resource, std::string_view mode = "match") {
  return {{"fullUrl", fmt::format("{}/{}/{}", base, resource["resourceType"].get<std::string>(),
                                  resource["id"].get<std::string>())},
          {"resource", resource},
          {"search", {{"mode", mode}}}};
}

json SearchBundle(std::int64_t total) {
  return {{"resourceType", "Bundle"}, {"type", "searchset"}, {"total", total}, {"link", json::array()},
          {"entry", json::array()}};
}

// Appends the records of the patients whose data is in `found` (and of a directory read),
// before the answer leaves.
void AuditDisclosed(Deps& d, const Context& c, std::vector<Readable>& readable, const std::vector<const Found*>& found,
                    const std::string& what) {
  std::set<std::int64_t> disclosed;
  bool directory = false;
  for (const Found* f : found) {
    if (f->person_id) disclosed.insert(*f->person_id);
    else directory = true;
  }
  d.commits.Run([&](store::Session& s) {
    for (auto& r : readable) {
      if (disclosed.count(r.person_id)) audit::Append(s, r.entry);
    }
    if (directory) {
      audit::Entry entry = auth::EntryFor(c.principal(), Action::kFhirRead, c.request_id());
      entry.reason = "directory";  // no one person's data
      entry.detail = what;
      audit::Append(s, entry);
    }
  });
}

// ---- routes ----------------------------------------------------------------------------------

Response SearchRoute(Deps& d, Context& c) {
  const ResourceType& type = RequireType(c.Param("type"));
  RequireScope(c, type.name);
  Search search = ReadSearch(c.request(), type);
  std::string what = fmt::format("{} search", type.name);
  UnixMillis now = d.clock.Now();
  std::vector<Readable> readable;
  std::vector<Found> found = d.db.Read([&](store::Session& s) {
    std::vector<std::int64_t> patients;
    if (type.per_patient()) {
      std::optional<std::int64_t> only = search.patient;
      if (type.name == "Patient" && search.id) {
        auto id = std::string_view(*search.id);
        std::int64_t value = 0;
        auto [end, ec] = std::from_chars(id.data(), id.data() + id.size(), value);
        if (ec == std::errc() && end == id.data() + id.size()) only = value;
      }
      if (only) {
        readable.push_back({*only, auth::CheckPerson(s, c.principal(), Action::kFhirRead, *only,
                                                     {c.request_id(), "", what})});
      } else {
        readable = ReadablePatients(s, c.principal(), c.request_id(), what);
      }
      for (const auto& r : readable) patients.push_back(r.person_id);
    }
    return Collect(s, c.principal(), type, patients, now);
  });
  std::vector<const Found*> matching;
  for (const Found& f : found) {
    if (search.id && f.resource["id"] != *search.id) continue;
    bool all = std::all_of(search.filters.begin(), search.filters.end(),
                           [&](const auto& p) { return Matches(f.resource, p.first, p.second); });
    if (all) matching.push_back(&f);
  }
  auto total = static_cast<std::int64_t>(matching.size());
  std::int64_t end = std::min<std::int64_t>(total, search.offset + search.count);
  std::vector<const Found*> page;
  for (std::int64_t i = search.offset; i < end; ++i) page.push_back(matching[i]);
  AuditDisclosed(d, c, readable, page, what);

  std::string base = Base(d, c.request());
  json bundle = SearchBundle(total);
  bundle["link"].push_back({{"relation", "self"}, {"url", Link(base, type.name, search, search.offset)}});
  if (end < total) bundle["link"].push_back({{"relation", "next"}, {"url", Link(base, type.name, search, end)}});
  if (search.offset > 0) {
    bundle["link"].push_back({{"relation", "previous"},
                              {"url", Link(base, type.name, search, std::max<std::int64_t>(0, search.offset - search.count))}});
  }
  for (const Found* f : page) bundle["entry"].push_back(Entry(base, f->resource));
  if (bundle["entry"].empty()) bundle.erase("entry");
  return FhirResponse(200, bundle);
}

// One resource, or 404 — also when the client may not read the patient it is about (the
// refusal is audited), so that ids cannot be probed.
Response ReadRoute(Deps& d, Context& c) {
  const ResourceType& type = RequireType(c.Param("type"));
  RequireScope(c, type.name);
  const std::string& id = c.Param("id");
  std::string what = fmt::format("{}/{}", type.name, id);
  std::vector<Readable> readable;
  std::optional<Found> found;
  try {
    d.db.Read([&](store::Session& s) {
      std::vector<std::int64_t> patients;
      if (type.per_patient()) {
        auto owner = type.owner(s, id);
        if (!owner) return;
        readable.push_back({*owner, auth::CheckPerson(s, c.principal(), Action::kFhirRead, *owner,
                                                      {c.request_id(), "", what})});
        patients.push_back(*owner);
      }
      for (auto& f : Collect(s, c.principal(), type, patients, d.clock.Now())) {
        if (f.resource["id"] == id) found = std::move(f);
      }
    });
  } catch (const auth::AccessDenied& denied) {
    audit::AppendNow(d.db, denied.entry());
  }
  if (!found) Fail(ErrorCode::kNotFound, "not_found", fmt::format("no {} with id '{}' that you may read", type.name, id));
  AuditDisclosed(d, c, readable, {&*found}, what);
  return FhirResponse(200, found->resource);
}

// Every resource about one patient the client's scopes allow, with the practitioners and
// organisations they refer to.
Response EverythingRoute(Deps& d, Context& c) {
  RequireScope(c, "Patient");
  std::int64_t person_id = c.IdParam("id");
  std::string what = "Patient/$everything";
  std::vector<Readable> readable;
  std::vector<Found> found = d.db.Read([&](store::Session& s) {
    readable.push_back({person_id, auth::CheckPerson(s, c.principal(), Action::kFhirRead, person_id,
                                                     {c.request_id(), "", what})});
    std::vector<Found> all;
    std::set<std::string> referenced;
    for (const auto& type : ResourceTypes()) {
      if (!type.per_patient() || !type.in_everything || !auth::ScopeAllows(c.principal(), type.name)) continue;
      for (auto& f : Collect(s, c.principal(), type, {person_id}, d.clock.Now())) {
        std::string text = f.resource.dump();
        for (std::string_view kind : {"Practitioner/", "Organization/"}) {
          for (auto at = text.find(kind); at != std::string::npos; at = text.find(kind, at + 1)) {
            referenced.insert(text.substr(at, text.find('"', at) - at));
          }
        }
        all.push_back(std::move(f));
      }
    }
    for (std::string_view kind : {"Practitioner", "Organization"}) {
      if (!auth::ScopeAllows(c.principal(), kind)) continue;
      for (auto& f : Collect(s, c.principal(), *FindType(kind), {}, d.clock.Now())) {
        if (referenced.count(fmt::format("{}/{}", kind, f.resource["id"].get<std::string>()))) all.push_back(std::move(f));
      }
    }
    return all;
  });
  std::vector<const Found*> page;
  for (const Found& f : found) page.push_back(&f);
  AuditDisclosed(d, c, readable, page, what);
  std::string base = Base(d, c.request());
  json bundle = SearchBundle(static_cast<std::int64_t>(found.size()));
  bundle["link"].push_back({{"relation", "self"}, {"url", fmt::format("{}/Patient/{}/$everything", base, person_id)}});
  for (const Found& f : found) bundle["entry"].push_back(Entry(base, f.resource, f.person_id ? "match" : "include"));
  return FhirResponse(200, bundle);
}

json Capabilities(const std::string& base, UnixMillis now) {
  json resources = json::array();
  for (const auto& type : ResourceTypes()) {
    json params = {{{"name", "_id"}, {"type", "token"}}, {{"name", "_count"}, {"type", "number"}}};
    if (type.per_patient() && type.name != "Patient") params.push_back({{"name", "patient"}, {"type", "reference"}});
    for (const auto& [name, kind] : TypeParams(type.name)) params.push_back({{"name", name}, {"type", kind}});
    json resource = {{"type", type.name},
                     {"interaction", {{{"code", "read"}}, {{"code", "search-type"}}}},
                     {"searchParam", params}};
    if (auto profile = ProfileOf(type.name); !profile.empty()) resource["supportedProfile"] = {profile};
    if (type.name == "Patient") {
      resource["operation"] = {{{"name", "everything"},
                                {"definition", "http://hl7.org/fhir/OperationDefinition/Patient-everything"}},
                               {{"name", "export"},
                                {"definition", "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/patient-export"}}};
    }
    resources.push_back(std::move(resource));
  }
  return {{"resourceType", "CapabilityStatement"},
          {"status", "active"},
          {"date", FormatRfc3339(now)},
          {"publisher", "moyakko"},
          {"kind", "instance"},
          {"software", {{"name", "moyakko"}}},
          {"implementation", {{"description", "moyakko FHIR R4 API (read-only)"}, {"url", base}}},
          {"fhirVersion", "4.0.1"},
          {"format", {"json"}},
          {"rest",
           {{{"mode", "server"},
             {"security",
              {{"extension",
                {{{"url", "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris"},
                  {"extension", {{{"url", "token"}, {"valueUri", base + "/auth/token"}}}}}}},
               {"service", {{{"coding", {{{"system", "http://terminology.hl7.org/CodeSystem/restful-security-service"},
                                          {"code", "SMART-on-FHIR"}}}}}}},
               {"description", "OAuth 2.0 client credentials (moyakko client add); scopes system/<Type>.read"}}},
             {"resource", resources},
             {"operation", {{{"name", "export"},
                             {"definition", "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export"}}}}}}}};
}

Response MetadataRoute(Deps& d, Context& c) { return FhirResponse(200, Capabilities(Base(d, c.request()), d.clock.Now())); }

Response SmartConfigurationRoute(Deps& d, Context& c) {
  std::string base = Base(d, c.request());
  return Response::Json(200, {{"token_endpoint", base + "/auth/token"},
                              {"grant_types_supported", {"client_credentials"}},
                              {"token_endpoint_auth_methods_supported", {"client_secret_basic", "client_secret_post"}},
                              {"scopes_supported", {"system/*.read", "system/*.rs"}},
                              {"capabilities", {"client-confidential-symmetric"}}});
}

// OAuth 2.0 errors have a body of their own (RFC 6749 §5.2).
Response OAuthError(int status, std::string_view error, std::string_view description) {
  Response response = Response::Json(status, {{"error", error}, {"error_description", description}});
  if (status == 401) response.headers.emplace_back("WWW-Authenticate", "Basic realm=\"moyakko\"");
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

Response TokenRoute(Deps& d, Context& c) {
  if (!c.request().Header("content-type").starts_with("application/x-www-form-urlencoded")) {
    return OAuthError(400, "invalid_request", "send the form as application/x-www-form-urlencoded");
  }
  std::string grant, scope, client_id, secret;
  for (auto& [name, value] : http::ParseForm(c.request().body)) {
    if (name == "grant_type") grant = value;
    else if (name == "scope") scope = value;
    else if (name == "client_id") client_id = value;
    else if (name == "client_secret") secret = value;
  }
  constexpr std::string_view kBasic = "Basic ";
  if (std::string_view header = c.request().Header("authorization"); header.starts_with(kBasic)) {
    auto decoded = Base64Decode(header.substr(kBasic.size()));
    auto colon = decoded ? decoded->find(':') : std::string::npos;
    if (colon == std::string::npos) return OAuthError(401, "invalid_client", "malformed Basic credentials");
    client_id = http::PercentDecode(decoded->substr(0, colon), true);
    secret = http::PercentDecode(decoded->substr(colon + 1), true);
  }
  if (grant != "client_credentials") return OAuthError(400, "unsupported_grant_type", "only client_credentials");
  try {
    auto token = auth::IssueToken(d.db, client_id, secret, scope, d.clock.Now(), c.request_id());
    Response response = Response::Json(200, {{"access_token", token.access_token}, {"token_type", "bearer"},
                                             {"expires_in", token.expires_in}, {"scope", token.scope}});
    response.headers.emplace_back("Cache-Control", "no-store");
    return response;
  } catch (const Failure& f) {
    if (f.error().code == ErrorCode::kUnauthenticated) return OAuthError(401, "invalid_client", f.error().message);
    if (f.error().slug == "invalid_scope") return OAuthError(400, "invalid_scope", f.error().message);
    throw;
  }
}

// ---- bulk export -----------------------------------------------------------------------------

std::vector<std::string> ExportTypes(const Context& c) {
  std::vector<std::string> types;
  auto wanted = c.request().QueryParam("_type");
  if (wanted && !wanted->empty()) {
    std::size_t start = 0;
    while (start <= wanted->size()) {
      std::size_t end = std::min(wanted->find(',', start), wanted->size());
      std::string name = wanted->substr(start, end - start);
      if (!FindType(name)) BadParam("_type", fmt::format("no resource type '{}'", name));
      RequireScope(c, name);
      types.push_back(name);
      start = end + 1;
    }
    return types;
  }
  for (const auto& type : ResourceTypes()) {
    if (type.in_everything && auth::ScopeAllows(c.principal(), type.name)) types.emplace_back(type.name);
  }
  if (types.empty()) RequireScope(c, "Patient");
  return types;
}

Response ExportRoute(Deps& d, Context& c) {
  if (c.request().Header("prefer").find("respond-async") == std::string_view::npos) {
    BadParam("Prefer", "an export runs asynchronously: send Prefer: respond-async");
  }
  auto format = c.request().QueryParam("_outputFormat");
  if (format && *format != "application/fhir+ndjson" && *format != "application/ndjson" && *format != "ndjson") {
    BadParam("_outputFormat", "only application/fhir+ndjson");
  }
  std::optional<UnixMillis> since;
  if (auto text = c.request().QueryParam("_since")) {
    since = ParseRfc3339(*text);
    if (!since) BadParam("_since", "an instant with a time zone, e.g. 2026-11-01T00:00:00+09:00");
  }
  std::string base = Base(d, c.request());
  std::string request_url = base + c.request().target.substr(std::string_view("/fhir/r4").size());
  std::int64_t id = QueueExport(d.db, c.principal(), ExportTypes(c), since, request_url, d.clock.Now(), c.request_id());
  Response response = FhirResponse(202, Information(fmt::format("export {} queued", id)));
  response.headers.emplace_back("Content-Location", fmt::format("{}/$export-status/{}", base, id));
  return response;
}

Response ExportStatusRoute(Deps& d, Context& c) {
  std::int64_t id = c.IdParam("id");
  auto state = LoadExport(d.db, c.principal(), id);
  if (!state) Fail(ErrorCode::kNotFound, "not_found", "no such export of yours");
  if (state->state == "queued" || state->state == "running") {
    Response response = Response::NoContent();
    response.status = 202;
    response.headers.emplace_back("X-Progress", state->state);
    response.headers.emplace_back("Retry-After", "2");
    return response;
  }
  if (state->state == "failed") return FhirResponse(500, Outcome(500, state->error));
  std::string base = Base(d, c.request());
  json output = json::array();
  for (const auto& [type, count] : state->files) {
    output.push_back({{"type", type}, {"url", fmt::format("{}/$export-file/{}/{}", base, id, type)}, {"count", count}});
  }
  Response response = Response::Json(200, {{"transactionTime", FormatRfc3339(state->finished_at.value_or(0))},
                                           {"request", state->request},
                                           {"requiresAccessToken", true},
                                           {"output", output},
                                           {"error", json::array()}});
  response.headers.emplace_back("Expires", "0");
  return response;
}

Response ExportCancelRoute(Deps& d, Context& c) {
  if (!CancelExport(d.db, c.principal(), c.IdParam("id"))) Fail(ErrorCode::kNotFound, "not_found", "no such export of yours");
  return FhirResponse(202, Information("export cancelled and its files removed"));
}

Response ExportFileRoute(Deps& d, Context& c) {
  auto body = ExportFile(d.db, c.principal(), c.IdParam("id"), c.Param("type"));
  if (!body) Fail(ErrorCode::kNotFound, "not_found", "no such file of yours");
  Response response;
  response.content_type = "application/fhir+ndjson";
  response.body = std::move(*body);
  return response;
}

Response RenderOutcome(const Error& error, const std::string& request_id) {
  int status = HttpStatus(error.code);
  Response response =
      FhirResponse(status, Outcome(status, fmt::format("{} (request {})", error.message, request_id), error.slug));
  if (status == 401) response.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"moyakko\"");
  if (status == 503) response.headers.emplace_back("Retry-After", "5");
  return response;
}

}  // namespace

void AddRoutes(http::Router& router, store::Database& db, store::GroupCommit& commits, const Clock& clock,
               const std::string& public_url) {
  InstallRelations();
  auto deps = std::make_shared<Deps>(Deps{db, commits, clock, public_url});
  auto pub = [&](const char* method, std::string pattern, std::string why, Response (*handler)(Deps&, Context&)) {
    router.Add(method, std::move(pattern), Access::Public(std::move(why)),
               [deps, handler](Context& c) { return handler(*deps, c); });
  };
  pub("GET", "/fhir/r4/metadata", "FHIR CapabilityStatement: read before a client has a token", MetadataRoute);
  pub("GET", "/fhir/r4/.well-known/smart-configuration", "SMART discovery of the token endpoint",
      SmartConfigurationRoute);
  pub("POST", "/fhir/r4/auth/token", "OAuth token endpoint: the client authenticates with its secret", TokenRoute);
  auto add = http::RouteAdder(router, deps);
  // The operations first: their paths would otherwise match /{type}/{id}.
  add("GET", "/fhir/r4/$export", Action::kFhirRead, ExportRoute);
  add("GET", "/fhir/r4/Patient/$export", Action::kFhirRead, ExportRoute);
  add("GET", "/fhir/r4/$export-status/{id}", Action::kFhirRead, ExportStatusRoute);
  add("DELETE", "/fhir/r4/$export-status/{id}", Action::kFhirRead, ExportCancelRoute);
  add("GET", "/fhir/r4/$export-file/{id}/{type}", Action::kFhirRead, ExportFileRoute);
  add("GET", "/fhir/r4/Patient/{id}/$everything", Action::kFhirRead, EverythingRoute);
  add("GET", "/fhir/r4/{type}", Action::kFhirRead, SearchRoute);
  add("GET", "/fhir/r4/{type}/{id}", Action::kFhirRead, ReadRoute);
  router.RenderErrorsUnder("/fhir/", RenderOutcome);
}

}  // namespace moyakko::interop
