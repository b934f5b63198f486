#include "emergency/routes.h"

#include <fmt/format.h>

#include "audit/audit_log.h"
#include "auth/guard.h"
#include "auth/totp.h"
#include "carenet/routes.h"
#include "common/error.h"
#include "emergency/grants.h"
#include "emergency/kits.h"
#include "emergency/sheet.h"
#include "emergency/transports.h"
#include "http/json_body.h"
#include "registry/persons.h"

namespace moyakko::emergency {
namespace {

using auth::Action;
using http::Access;
using http::Context;
using http::Response;
using nlohmann::json;

struct Deps {
  store::Database& db;
  http::EventHub& events;
  const Clock& clock;
  std::string public_url;
};

// What an emergency answers is not for caches, shared or the browser's.
Response Private(int status, const json& body) {
  Response r = Response::Json(status, body);
  r.headers.push_back({"Cache-Control", "private, no-store"});
  return r;
}

// Where the kit's QR points: the configured public URL, else the host the request came to
// (only a plain host[:port] is taken, so nothing odd lands in a printed code).
std::string BaseUrl(const Deps& d, Context& c) {
  if (!d.public_url.empty()) return d.public_url.ends_with('/') ? d.public_url.substr(0, d.public_url.size() - 1) : d.public_url;
  std::string host(c.request().Header("host"));
  bool plain = !host.empty() && host.size() < 256 && std::all_of(host.begin(), host.end(), [](unsigned char ch) {
    return std::isalnum(ch) || ch == '.' || ch == '-' || ch == ':' || ch == '[' || ch == ']';
  });
  return plain ? "http://" + host : "";
}

// The start of a local calendar day given as YYYY-MM-DD (400 naming `field`).
UnixMillis LocalDayStart(const std::string& date, const std::string& time_zone, const char* field) {
  if (!IsCalendarDate(date)) Fail(ErrorCode::kInvalidArgument, "invalid_date", fmt::format("{}: YYYY-MM-DD", field), field);
  return StartOfLocalDate(date, time_zone);
}

Response ReasonsRoute(Deps& d, Context& c) {
  json reasons = json::array();
  for (const auto& r : Reasons()) reasons.push_back({{"code", r.code}, {"label", {{"ja", r.ja}, {"en", r.en}}}});
  int minutes = d.db.Read([&](store::Session& s) { return GrantMinutes(s, c.principal().tenant_id); });
  return Response::Json(200, {{"reasons", reasons}, {"grant_minutes", minutes}});
}

Response FindRoute(Deps& d, Context& c) {
  FindQuery query = ReadFindQuery(c.request().QueryParam("q"), c.request().QueryParam("birth_date"));
  return d.db.Write([&](store::Session& s) {
    json persons = FindPersons(s, c.principal(), query, d.clock.Now());
    audit::Entry entry = auth::EntryFor(c.principal(), Action::kEmergencyFind, c.request_id());
    entry.reason = "search";
    entry.detail = fmt::format("results={}", persons.size());
    audit::Append(s, entry);
    return Private(200, {{"persons", persons}});
  });
}

Response KitLookupRoute(Deps& d, Context& c) {
  std::string code = c.Param("code");
  return d.db.Write([&](store::Session& s) {
    auto person_id = ResolveKit(s, code);
    if (!person_id) Fail(ErrorCode::kNotFound, "kit_invalid", "this code is not a current fridge kit (it may have been reprinted)");
    auto person = registry::GetPerson(s, *person_id);
    audit::Entry entry = auth::EntryFor(c.principal(), Action::kEmergencyFind, c.request_id());
    entry.person_id = *person_id;
    entry.reason = "kit";
    audit::Append(s, entry);
    return Private(200, {{"person", IdentityJson(*person, LocalDate(d.clock.Now(), registry::TenantTimeZone(s, person->tenant_id)))}});
  });
}

Response OpenGrantRoute(Deps& d, Context& c) {
  NewGrant grant = ReadNewGrant(c.JsonBody());
  OpenedGrant opened;
  Response response = d.db.Write([&](store::Session& s) {
    audit::Entry start = auth::CheckPerson(s, c.principal(), Action::kEmergencyGrant, grant.person_id, {c.request_id(), "", ""});
    opened = OpenGrant(s, c.principal(), grant, start, d.clock.Now());
    return Private(201, {{"grant", opened.code}, {"expires_at", FormatRfc3339(opened.expires_at)}, {"person", grant.person_id}});
  });
  if (opened.post) carenet::PublishPost(d.events, grant.person_id, *opened.post);
  return response;
}

Response LiveGrantsRoute(Deps& d, Context& c) {
  return d.db.Read([&](store::Session& s) { return Private(200, {{"grants", LiveGrantsJson(s, c.principal(), d.clock.Now())}}); });
}

Response EndGrantRoute(Deps& d, Context& c) {
  std::string code = c.Param("grant");
  return d.db.Write([&](store::Session& s) {
    UnixMillis ended = EndGrant(s, c.principal(), code, c.request_id(), d.clock.Now());
    return Private(200, {{"grant", code}, {"ended_at", FormatRfc3339(ended)}});
  });
}

Response SheetRoute(Deps& d, Context& c) {
  std::int64_t id = c.IdParam("id");
  return d.db.Write([&](store::Session& s) {
    UnixMillis now = d.clock.Now();
    audit::Entry entry = auth::CheckPerson(s, c.principal(), Action::kEmergencySheet, id, {c.request_id(), "", "sheet"});
    auto grant = UseLiveGrant(s, c.principal(), id, now);
    if (!grant) Fail(ErrorCode::kForbidden, "forbidden", "you do not have access to this");
    entry.detail = fmt::format("sheet grant={}", (*grant)["grant"].get<std::string>());
    audit::Append(s, entry);
    json sheet = SheetJson(s, id, now);
    sheet["grant"] = *grant;
    return Private(200, sheet);
  });
}

Response TransportRoute(Deps& d, Context& c) {
  std::int64_t id = c.IdParam("id");
  NewTransport transport = ReadNewTransport(c.JsonBody(), d.clock.Now());
  RecordedTransport recorded;
  Response response = d.db.Write([&](store::Session& s) {
    audit::Append(s, auth::CheckPerson(s, c.principal(), Action::kEmergencyTransport, id, {c.request_id(), "", "transport"}));
    recorded = RecordTransport(s, c.principal(), id, transport, c.request_id(), d.clock.Now());
    return Private(201, {{"transport", recorded.transport}});
  });
  if (recorded.post) carenet::PublishPost(d.events, id, *recorded.post);
  return response;
}

Response KitRoute(Deps& d, Context& c) {
  std::int64_t id = c.IdParam("id");
  std::string base = BaseUrl(d, c);
  return d.db.Write([&](store::Session& s) {
    audit::Append(s, auth::CheckPerson(s, c.principal(), Action::kEmergencyKit, id, {c.request_id(), "", "kit issue"}));
    UnixMillis now = d.clock.Now();
    IssuedKit kit = IssueKit(s, id, c.principal().user_id, now);
    std::string url = base + "/e/" + kit.code;
    json body = KitSheetJson(s, id, now);
    body["kit"] = {{"url", url}, {"qr_svg", auth::QrSvg(url)}, {"issued_at", FormatRfc3339(kit.issued_at)}};
    return Private(201, body);
  });
}

Response ReviewRoute(Deps& d, Context& c) {
  UnixMillis now = d.clock.Now();
  return d.db.Write([&](store::Session& s) {
    std::string zone = registry::TenantTimeZone(s, c.principal().tenant_id);
    auto day = [&](const char* field, UnixMillis fallback) {
      auto value = c.request().QueryParam(field);
      return value && !value->empty() ? LocalDayStart(*value, zone, field) : fallback;
    };
    UnixMillis from = day("from", StartOfLocalDay(now, zone) - 30LL * 86400000);
    // `to` is the last day shown, so the range ends at the following midnight.
    UnixMillis to = day("to", StartOfLocalDay(now, zone)) + 86400000;
    json grants = ReviewJson(s, c.principal(), from, to);
    audit::Entry entry = auth::EntryFor(c.principal(), Action::kEmergencyReview, c.request_id());
    entry.detail = fmt::format("results={}", grants.size());
    audit::Append(s, entry);
    return Private(200, {{"grants", grants}});
  });
}

Response MarkReviewedRoute(Deps& d, Context& c) {
  std::string code = c.Param("grant");
  std::string note = http::OptionalString(c.JsonBody(), "note", 1000).value_or("");
  return d.db.Write([&](store::Session& s) {
    MarkReviewed(s, c.principal(), code, note, d.clock.Now());
    audit::Entry entry = auth::EntryFor(c.principal(), Action::kEmergencyReview, c.request_id());
    entry.detail = "reviewed grant=" + code;
    audit::Append(s, entry);
    return Response::Json(200, {{"grant", code}, {"reviewed_at", FormatRfc3339(d.clock.Now())}});
  });
}

Response SettingsRoute(Deps& d, Context& c) {
  return d.db.Read([&](store::Session& s) { return Response::Json(200, {{"grant_minutes", GrantMinutes(s, c.principal().tenant_id)}}); });
}

Response UpdateSettingsRoute(Deps& d, Context& c) {
  std::int64_t minutes = http::RequiredInt(c.JsonBody(), "grant_minutes");
  return d.db.Write([&](store::Session& s) {
    SetGrantMinutes(s, c.principal().tenant_id, static_cast<int>(std::clamp<std::int64_t>(minutes, 0, 100000)));
    audit::Entry entry = auth::EntryFor(c.principal(), Action::kEmergencySettings, c.request_id());
    entry.detail = fmt::format("grant_minutes={}", minutes);
    audit::Append(s, entry);
    return Response::Json(200, {{"grant_minutes", GrantMinutes(s, c.principal().tenant_id)}});
  });
}

}  // namespace

void AddRoutes(http::Router& router, store::Database& db, http::EventHub& events, const Clock& clock,
               std::string public_url) {
  InstallRelations(clock);
  auto add = http::RouteAdder(router, std::make_shared<Deps>(Deps{db, events, clock, std::move(public_url)}));
  const std::string e = "/api/v1/emergency";
  add("GET", e + "/reasons", Action::kEmergencyFind, ReasonsRoute);
  add("GET", e + "/persons", Action::kEmergencyFind, FindRoute);
  add("GET", e + "/kits/{code}", Action::kEmergencyFind, KitLookupRoute);
  add("POST", e + "/grants", Action::kEmergencyGrant, OpenGrantRoute);
  add("GET", e + "/grants", Action::kEmergencySheet, LiveGrantsRoute);
  add("POST", e + "/grants/{grant}/end", Action::kEmergencyGrant, EndGrantRoute);
  add("POST", e + "/grants/{grant}/review", Action::kEmergencyReview, MarkReviewedRoute);
  add("GET", e + "/persons/{id}/sheet", Action::kEmergencySheet, SheetRoute);
  add("POST", e + "/persons/{id}/transports", Action::kEmergencyTransport, TransportRoute);
  add("POST", e + "/persons/{id}/kit", Action::kEmergencyKit, KitRoute);
  add("GET", e + "/review", Action::kEmergencyReview, ReviewRoute);
  add("GET", e + "/settings", Action::kEmergencySettings, SettingsRoute);
  add("PUT", e + "/settings", Action::kEmergencySettings, UpdateSettingsRoute);
}

}  // namespace moyakko::emergency
