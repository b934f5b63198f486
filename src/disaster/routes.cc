#include "disaster/routes.h"

#include <fmt/format.h>

#include "audit/audit_log.h"
#include "auth/guard.h"
#include "carenet/routes.h"
#include "common/error.h"
#include "common/text.h"
#include "disaster/broadcast.h"
#include "disaster/events.h"
#include "disaster/ledger_import.h"
#include "disaster/places.h"
#include "disaster/safety.h"
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
  http::EventHub& events;
  const Clock& clock;
  MapTiles tiles;
  LedgerPeopleCache ledger_people;
};

Response Private(Response response) {
  response.headers.push_back({"Cache-Control", "private, no-store"});
  return response;
}

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
  return Private(Response::Json(200, report.json));
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
  return Private(Response::Json(200, {{"reviews", reviews}}));
}

Response ResolveReviewRoute(Deps& d, Context& c) {
  std::string decision = http::RequiredString(c.JsonBody(), "decision", 20);
  UnixMillis now = d.clock.Now();
  return d.db.Write([&](store::Session& s) {
    ReviewOutcome outcome = ResolveReview(s, c.principal().tenant_id, c.IdParam("review"), decision,
                                          c.principal().user_id, now);
    audit::Entry entry = Audit(c, "ledger.review", fmt::format("review={} decision={}", c.IdParam("review"), decision));
    entry.person_id = outcome.person_id;
    audit::Append(s, entry);
    return Response::Json(200, {{"id", c.IdParam("review")},
                                {"decision", outcome.decision},
                                {"person_id", outcome.person_id ? json(*outcome.person_id) : json(nullptr)}});
  });
}

// --- Events ---

// A change by the city (an event, the labels, a shelter), audited in its transaction.
template <class Work>
Response CityChange(Deps& d, Context& c, int status, const std::string& what, Work&& work) {
  const auth::Principal& p = c.principal();
  UnixMillis now = d.clock.Now();
  return d.db.Write([&](store::Session& s) {
    json body = work(s, now);
    audit::Entry entry = auth::EntryFor(p, Action::kDisasterManage, c.request_id());
    entry.reason = "role";
    entry.detail = what;
    audit::Append(s, entry);
    return Response::Json(status, body);
  });
}

Event EventOf(store::Session& s, Context& c) { return LoadEvent(s, c.IdParam("id"), c.principal().tenant_id); }

Response SettingsRoute(Deps& d, Context& c) {
  json out = LabelsJson(d.db.Read([&](store::Session& s) { return LoadSafetySettings(s, c.principal().tenant_code); }));
  out["tile_url"] = d.tiles.url;
  out["tile_attribution"] = d.tiles.attribution;
  return Response::Json(200, out);
}

Response SaveSettingsRoute(Deps& d, Context& c) {
  SafetySettings settings = ParseSafetySettings(c.JsonBody());
  return CityChange(d, c, 200, "safety_labels", [&](store::Session& s, UnixMillis) {
    SaveSafetySettings(s, c.principal().tenant_code, settings);
    json out = LabelsJson(settings);
    out["tile_url"] = d.tiles.url;
    out["tile_attribution"] = d.tiles.attribution;
    return out;
  });
}

Response DistrictsRoute(Deps& d, Context& c) {
  json districts = json::array();
  d.db.Read([&](store::Session& s) {
    for (const auto& row : s.Query("SELECT DISTINCT p.district FROM ledger_entries l JOIN persons p ON p.id = l.person_id "
                                   "WHERE l.tenant_id = $1 AND p.district <> '' ORDER BY p.district",
                                   {c.principal().tenant_id})) {
      districts.push_back(row.Text(0));
    }
  });
  return Response::Json(200, {{"districts", districts}});
}

Response EventsRoute(Deps& d, Context& c) {
  UnixMillis now = d.clock.Now();
  json events = json::array();
  for (const Event& e : d.db.Read([&](store::Session& s) { return ListEvents(s, c.principal().tenant_id); })) {
    events.push_back(EventJson(e, now));
  }
  return Response::Json(200, {{"events", events}});
}

Response DeclareRoute(Deps& d, Context& c) {
  json body = c.JsonBody();
  NewEvent event;
  event.kind = http::RequiredString(body, "kind", 20);
  event.title = http::RequiredText(body, "title", 100);
  auto area = body.find("area");
  if (area != body.end() && !area->is_null()) {
    if (!area->is_array() || !std::all_of(area->begin(), area->end(), [](const json& v) { return v.is_string(); })) {
      Fail(ErrorCode::kInvalidArgument, "invalid_area", "area: a list of districts", "area");
    }
    for (const json& district : *area) event.area.push_back(Trim(district.get<std::string>()));
  }
  auto drill = body.find("drill");
  if (drill == body.end() || !drill->is_boolean()) {
    Fail(ErrorCode::kInvalidArgument, "invalid_drill", "drill: true for a drill, false for a real event", "drill");
  }
  event.drill = drill->get<bool>();
  UnixMillis now = d.clock.Now();
  event.onset_at = now;
  if (auto onset = http::OptionalString(body, "onset_at", 40)) {
    auto parsed = ParseRfc3339(*onset);
    if (!parsed) Fail(ErrorCode::kInvalidArgument, "invalid_onset", "onset_at: an RFC 3339 time", "onset_at");
    event.onset_at = *parsed;
  }
  const auth::Principal& p = c.principal();
  return CityChange(d, c, 201, "declare", [&](store::Session& s, UnixMillis at) {
    return EventJson(Declare(s, p.tenant_id, p.user_id, event, at), at);
  });
}

Response EventRoute(Deps& d, Context& c) {
  UnixMillis now = d.clock.Now();
  return Response::Json(200, d.db.Read([&](store::Session& s) { return EventDetailJson(s, EventOf(s, c), now); }));
}

Response LogRoute(Deps& d, Context& c) {
  std::string text = http::RequiredText(c.JsonBody(), "text", 2000);
  UnixMillis now = d.clock.Now();
  return d.db.Write([&](store::Session& s) {
    Event event = EventOf(s, c);
    RequireOpen(event);
    return Response::Json(201, AppendLog(s, event, "note", text, c.principal().user_id, now));
  });
}

Response AddChecklistRoute(Deps& d, Context& c) {
  json body = c.JsonBody();
  std::string phase = http::RequiredString(body, "phase", 30);
  std::string text = http::RequiredText(body, "text", 200);
  return CityChange(d, c, 201, "checklist", [&](store::Session& s, UnixMillis now) {
    Event event = EventOf(s, c);
    RequireOpen(event);
    return AddChecklistItem(s, event, phase, text, c.principal().user_id, now);
  });
}

Response TickRoute(Deps& d, Context& c) {
  json body = c.JsonBody();
  auto done = body.find("done");
  if (done == body.end() || !done->is_boolean()) Fail(ErrorCode::kInvalidArgument, "invalid_done", "done: true or false", "done");
  return CityChange(d, c, 200, "checklist", [&](store::Session& s, UnixMillis now) {
    Event event = EventOf(s, c);
    RequireOpen(event);
    return SetChecklistDone(s, event, c.IdParam("item"), done->get<bool>(), c.principal().user_id, now);
  });
}

Response EndRoute(Deps& d, Context& c) {
  return CityChange(d, c, 200, "end", [&](store::Session& s, UnixMillis now) {
    Event event = EventOf(s, c);
    EndEvent(s, event, c.principal().user_id, now);
    return EventJson(LoadEvent(s, event.id, event.tenant_id), now);
  });
}

// --- People and safety ---

std::vector<std::string> SplitList(const std::string& text) {
  std::vector<std::string> items;
  for (std::size_t start = 0; start <= text.size();) {
    std::size_t end = std::min(text.find(',', start), text.size());
    if (end > start) items.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return items;
}

// The people of an event that the caller may see, read and audited as one access to the list.
template <class Work>
Response ReadPeople(Deps& d, Context& c, Action action, bool with_contacts, Work&& work) {
  UnixMillis now = d.clock.Now();
  std::size_t count = 0;
  Response response = d.db.Read([&](store::Session& s) {
    Event event = EventOf(s, c);
    SafetySettings settings = LoadSafetySettings(s, c.principal().tenant_code);
    std::vector<SafetyRow> rows = EventPeople(s, c.principal(), event, settings, now, with_contacts, &d.ledger_people);
    count = rows.size();
    return work(s, event, rows, settings, now);
  });
  audit::Entry entry = auth::EntryFor(c.principal(), action, c.request_id());
  entry.reason = "role";
  entry.detail = fmt::format("event={} people={}", c.IdParam("id"), count);
  audit::AppendNow(d.db, entry);
  return Private(std::move(response));
}

Response PeopleRoute(Deps& d, Context& c) {
  PeopleFilter filter;
  const http::Request& r = c.request();
  filter.labels = SplitList(r.QueryParam("label").value_or(""));
  filter.need = r.QueryParam("need").value_or("");
  filter.district = r.QueryParam("district").value_or("");
  filter.q = r.QueryParam("q").value_or("");
  if (!IsValidUtf8(filter.need + filter.district + filter.q)) {
    Fail(ErrorCode::kInvalidArgument, "invalid_utf8", "query parameters must be UTF-8");
  }
  return ReadPeople(d, c, Action::kDisasterPerson, false, [&](store::Session&, const Event&, const std::vector<SafetyRow>& rows,
                                                        const SafetySettings& settings, UnixMillis) {
    Response response;
    response.body = PeopleJson(rows, filter, settings);
    return response;
  });
}

Response DashboardRoute(Deps& d, Context& c) {
  return ReadPeople(d, c, Action::kDisasterReport, false, [&](store::Session& s, const Event& event,
                                                        const std::vector<SafetyRow>& rows,
                                                        const SafetySettings& settings, UnixMillis now) {
    return Response::Json(200, DashboardJson(s, event, rows, settings, now));
  });
}

Response CsvRoute(Deps& d, Context& c) {
  return ReadPeople(d, c, Action::kDisasterReport, true, [&](store::Session& s, const Event& event,
                                                        const std::vector<SafetyRow>& rows,
                                                        const SafetySettings& settings, UnixMillis) {
    Response response;
    response.content_type = "text/csv; charset=utf-8";
    response.body = SafetyCsv(rows, settings, registry::TenantTimeZone(s, event.tenant_id));
    response.headers.push_back(
        {"Content-Disposition", fmt::format("attachment; filename=\"safety-{}.csv\"", event.id)});
    return response;
  });
}

Response CardRoute(Deps& d, Context& c) {
  std::int64_t person_id = c.IdParam("person");
  UnixMillis now = d.clock.Now();
  audit::Entry entry;
  Response response = d.db.Read([&](store::Session& s) {
    Event event = EventOf(s, c);
    entry = auth::CheckPerson(s, c.principal(), Action::kDisasterPerson, person_id,
                              {c.request_id(), "", fmt::format("event={}", event.id)});
    return Response::Json(200, PersonCard(s, event, person_id, LoadSafetySettings(s, c.principal().tenant_code), now));
  });
  audit::AppendNow(d.db, entry);
  return Private(std::move(response));
}

Response SafetyRoute(Deps& d, Context& c) {
  std::int64_t person_id = c.IdParam("person");
  json body = c.JsonBody();
  UnixMillis now = d.clock.Now();
  PostOutcome outcome = d.db.Write([&](store::Session& s) {
    Event event = EventOf(s, c);
    SafetySettings settings = LoadSafetySettings(s, c.principal().tenant_code);
    SafetyPost post = ParseSafetyPost(body, settings);
    auth::RequirePerson(s, c.principal(), Action::kDisasterSafety, person_id,
                        {c.request_id(), "", fmt::format("event={} label={}", event.id, post.label)});
    RequireInEvent(s, event, person_id);
    return PostSafety(s, c.principal(), event, person_id, settings, post, now);
  });
  if (outcome.notice) carenet::PublishPost(d.events, person_id, *outcome.notice);
  return Private(Response::Json(outcome.replayed ? 200 : 201, outcome.body));
}

// --- Broadcasts ---

Response CreateBroadcastRoute(Deps& d, Context& c) {
  json body = c.JsonBody();
  std::string message = http::RequiredText(body, "message", 1000);
  Audience audience = ParseAudience(body.contains("audience") ? body["audience"] : json(nullptr));
  return CityChange(d, c, 201, "broadcast", [&](store::Session& s, UnixMillis now) {
    return CreateBroadcast(s, c.principal(), EventOf(s, c), LoadSafetySettings(s, c.principal().tenant_code), message,
                           audience, now);
  });
}

Response BroadcastsRoute(Deps& d, Context& c) {
  return Private(Response::Json(200, d.db.Read([&](store::Session& s) { return BroadcastsJson(s, EventOf(s, c)); })));
}

// The call list names people and their phones: each read is audited.
Response BroadcastRoute(Deps& d, Context& c) {
  json out = d.db.Read([&](store::Session& s) {
    return BroadcastJson(s, EventOf(s, c), c.IdParam("broadcast"), LoadSafetySettings(s, c.principal().tenant_code));
  });
  audit::Entry entry = auth::EntryFor(c.principal(), Action::kDisasterCalls, c.request_id());
  entry.reason = "role";
  entry.detail = fmt::format("broadcast={} calls={}", c.IdParam("broadcast"), out["calls"].size());
  audit::AppendNow(d.db, entry);
  return Private(Response::Json(200, out));
}

Response CallRoute(Deps& d, Context& c) {
  json body = c.JsonBody();
  std::string outcome = http::RequiredString(body, "outcome", 20);
  std::string note = http::OptionalString(body, "note", 1000).value_or("");
  UnixMillis now = d.clock.Now();
  return Private(d.db.Write([&](store::Session& s) {
    RecordedCall call = RecordCall(s, c.principal(), EventOf(s, c), LoadSafetySettings(s, c.principal().tenant_code),
                                   c.IdParam("broadcast"), c.IdParam("call"), outcome, note, now);
    audit::Entry entry = auth::EntryFor(c.principal(), Action::kDisasterCalls, c.request_id());
    entry.reason = "role";
    entry.person_id = call.person_id;
    entry.detail = fmt::format("broadcast={} outcome={}", c.IdParam("broadcast"), outcome);
    audit::Append(s, entry);
    return Response::Json(200, call.call);
  }));
}

// --- Shelters and facilities ---

Response SheltersRoute(Deps& d, Context& c) {
  return Response::Json(200, d.db.Read([&](store::Session& s) { return SheltersJson(s, c.principal().tenant_id); }));
}

Response AddShelterRoute(Deps& d, Context& c) {
  NewShelter shelter = ParseShelter(c.JsonBody());
  return CityChange(d, c, 201, "shelter", [&](store::Session& s, UnixMillis now) {
    return AddShelter(s, c.principal().tenant_id, shelter, now);
  });
}

Response PlacesRoute(Deps& d, Context& c) {
  return Response::Json(200, d.db.Read([&](store::Session& s) { return PlacesJson(s, EventOf(s, c)); }));
}

Response ShelterReportRoute(Deps& d, Context& c) {
  ShelterReport report = ParseShelterReport(c.JsonBody());
  return CityChange(d, c, 201, "shelter_report", [&](store::Session& s, UnixMillis now) {
    return ReportShelter(s, c.principal(), EventOf(s, c), c.IdParam("shelter"), report, now);
  });
}

// A facility's own staff report its status (or the city for it); refusals are audited too.
Response FacilityReportRoute(Deps& d, Context& c) {
  FacilityReport report = ParseFacilityReport(c.JsonBody(carenet::kMaxFilesBodyBytes));
  std::int64_t organization = c.IdParam("organization");
  UnixMillis now = d.clock.Now();
  return d.db.Write([&](store::Session& s) {
    Event event = EventOf(s, c);
    auth::Decision decision = auth::DecideFacility(c.principal(), organization, FacilityTenant(s, event, organization));
    audit::Entry entry = auth::EntryFor(c.principal(), Action::kDisasterFacility, c.request_id());
    entry.reason = decision.reason;
    entry.detail = fmt::format("event={} organization={} status={}", event.id, organization, report.status);
    if (!decision.allowed) {
      entry.outcome = audit::Outcome::kDenied;
      throw auth::AccessDenied(std::move(entry));
    }
    audit::Append(s, entry);
    return Response::Json(201, ReportFacility(s, c.principal(), event, organization, report, now));
  });
}

Response FacilityPhotoRoute(Deps& d, Context& c) {
  return d.db.Read([&](store::Session& s) {
    auto file = FacilityPhoto(s, EventOf(s, c), c.IdParam("organization"), c.IdParam("photo"));
    if (!file) Fail(ErrorCode::kNotFound, "no_such_photo", "no such photo of this facility's reports");
    Response r;
    r.content_type = file->media_type;
    r.body = std::move(file->bytes);
    r.headers.push_back({"Content-Disposition", "inline"});
    return r;
  });
}

}  // namespace

void AddRoutes(http::Router& router, store::Database& db, http::EventHub& events, const Clock& clock,
               MapTiles tiles) {
  InstallRelations();
  auto deps = std::make_shared<Deps>(db, events, clock, std::move(tiles));
  auto add = http::RouteAdder(router, deps);
  const std::string l = "/api/v1/disaster/ledger";
  router.Add("POST", l + "/imports", http::Access::Requires(Action::kDisasterLedger),
             [deps](Context& c) { return ImportRoute(*deps, c); }, kMaxUploadBytes);
  add("GET", l + "/mapping", Action::kDisasterLedger, MappingRoute);
  add("PUT", l + "/mapping", Action::kDisasterLedger, SaveMappingRoute);
  add("GET", l + "/reviews", Action::kDisasterLedger, ReviewsRoute);
  add("POST", l + "/reviews/{review}", Action::kDisasterLedger, ResolveReviewRoute);
  const std::string base = "/api/v1/disaster";
  add("GET", base + "/settings", Action::kDisasterEvents, SettingsRoute);
  add("PUT", base + "/settings", Action::kDisasterManage, SaveSettingsRoute);
  add("GET", base + "/districts", Action::kDisasterEvents, DistrictsRoute);
  const std::string e = base + "/events";
  add("GET", e, Action::kDisasterEvents, EventsRoute);
  add("POST", e, Action::kDisasterManage, DeclareRoute);
  add("GET", e + "/{id}", Action::kDisasterEvents, EventRoute);
  add("POST", e + "/{id}/log", Action::kDisasterEvents, LogRoute);
  add("POST", e + "/{id}/checklist", Action::kDisasterManage, AddChecklistRoute);
  add("PUT", e + "/{id}/checklist/{item}", Action::kDisasterManage, TickRoute);
  add("POST", e + "/{id}/end", Action::kDisasterManage, EndRoute);
  add("GET", e + "/{id}/people", Action::kDisasterPerson, PeopleRoute);
  add("GET", e + "/{id}/people/{person}", Action::kDisasterPerson, CardRoute);
  add("POST", e + "/{id}/people/{person}/safety", Action::kDisasterSafety, SafetyRoute);
  add("GET", e + "/{id}/dashboard", Action::kDisasterReport, DashboardRoute);
  add("GET", e + "/{id}/safety.csv", Action::kDisasterReport, CsvRoute);
  add("POST", e + "/{id}/broadcasts", Action::kDisasterManage, CreateBroadcastRoute);
  add("GET", e + "/{id}/broadcasts", Action::kDisasterCalls, BroadcastsRoute);
  add("GET", e + "/{id}/broadcasts/{broadcast}", Action::kDisasterCalls, BroadcastRoute);
  add("PUT", e + "/{id}/broadcasts/{broadcast}/calls/{call}", Action::kDisasterCalls, CallRoute);
  add("GET", base + "/shelters", Action::kDisasterPlaces, SheltersRoute);
  add("POST", base + "/shelters", Action::kDisasterManage, AddShelterRoute);
  add("GET", e + "/{id}/places", Action::kDisasterPlaces, PlacesRoute);
  add("POST", e + "/{id}/shelters/{shelter}/reports", Action::kDisasterManage, ShelterReportRoute);
  router.Add("POST", e + "/{id}/facilities/{organization}/reports", http::Access::Requires(Action::kDisasterFacility),
             [deps](Context& c) { return FacilityReportRoute(*deps, c); }, carenet::kMaxFilesBodyBytes);
  add("GET", e + "/{id}/facilities/{organization}/photos/{photo}", Action::kDisasterPlaces, FacilityPhotoRoute);
}

}  // namespace moyakko::disaster
