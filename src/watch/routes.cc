#include "watch/routes.h"

#include <fmt/format.h>

#include "audit/audit_log.h"
#include "auth/guard.h"
#include "common/error.h"
#include "common/text.h"
#include "http/json_body.h"
#include "registry/persons.h"
#include "watch/alerts.h"
#include "watch/ingest.h"
#include "watch/monitor.h"
#include "watch/status_cache.h"
#include "watch/store.h"

namespace moyakko::watch {
namespace {

using auth::Action;
using http::Access;
using http::Context;
using http::Response;
using nlohmann::json;

json StatusJson(const StatusRow& r) {
  auto opt = [](const auto& v) { return v ? json(*v) : json(nullptr); };
  return {{"id", r.household_id},
          {"person", r.person_id},
          {"name", r.name},
          {"kana", r.kana},
          {"district", r.district},
          {"state", ToString(r.state)},
          {"last_upload", r.last_upload_at ? json(FormatRfc3339(*r.last_upload_at)) : json(nullptr)},
          {"door_openings_today", r.door_openings_today},
          {"temperature", opt(r.temperature)},
          {"humidity", opt(r.humidity)},
          {"battery", opt(r.battery)},
          {"open_alerts", r.open_alerts}};
}

Response Status(store::Database& db, store::GroupCommit& commits, StatusSnapshots& snapshots, Context& c) {
  const http::Request& r = c.request();
  StatusQuery q;
  q.tenant_id = c.principal().tenant_id;
  q.text = r.QueryParam("q").value_or("");
  if (!IsValidUtf8(q.text) || q.text.size() > 200) Fail(ErrorCode::kInvalidArgument, "invalid_query", "q: up to 200 bytes", "q");
  if (auto state = r.QueryParam("state"); state && !state->empty()) {
    for (auto candidate : {HouseholdState::kOk, HouseholdState::kAttention, HouseholdState::kAlert, HouseholdState::kOffline}) {
      if (ToString(candidate) == *state) q.state = candidate;
    }
    if (!q.state) Fail(ErrorCode::kInvalidArgument, "invalid_state", "state: ok, attention, alert or offline", "state");
  }
  std::string sort = r.QueryParam("sort").value_or("kana");
  if (sort != "kana" && sort != "severity") Fail(ErrorCode::kInvalidArgument, "invalid_sort", "sort: kana or severity", "sort");
  q.by_severity = sort == "severity";
  q.limit = static_cast<int>(std::clamp<std::int64_t>(r.IntParam("limit").value_or(100), 1, 1000));
  q.offset = static_cast<int>(std::clamp<std::int64_t>(r.IntParam("offset").value_or(0), 0, 1000000));
  UnixMillis now = SystemClock().Now();
  StatusPage page = db.Read([&](store::Session& s) {
    return ListStatus(*snapshots.Get(s, q.tenant_id, now, registry::TenantTimeZone(s, q.tenant_id)), q, now);
  });
  // Audited before anything is answered; the call centre's screens refresh on every live
  // event, so their audit rows share commits.
  audit::Entry entry = auth::EntryFor(c.principal(), Action::kWatchStatus, c.request_id());
  entry.detail = fmt::format("results={}", page.households.size());
  commits.Run([&](store::Session& s) { audit::Append(s, entry); });
  json households = json::array();
  for (const StatusRow& row : page.households) households.push_back(StatusJson(row));
  json counts = json::object();
  for (auto state : {HouseholdState::kOk, HouseholdState::kAttention, HouseholdState::kAlert, HouseholdState::kOffline}) {
    counts[std::string(ToString(state))] = page.counts[static_cast<int>(state)];
  }
  return Response::Json(200, {{"households", households}, {"total", page.total}, {"counts", counts},
                              {"as_of", FormatRfc3339(now)}});
}

Response CreateHousehold(store::Database& db, http::EventHub& events, Context& c) {
  json body = c.JsonBody();
  NewHousehold h;
  h.tenant_id = c.principal().tenant_id;
  h.person_id = http::RequiredInt(body, "person");
  if (auto contacts = body.find("contacts"); contacts != body.end()) {
    if (!contacts->is_array()) Fail(ErrorCode::kInvalidArgument, "invalid_type", "contacts must be an array", "contacts");
    for (const json& contact : *contacts) {
      if (!contact.is_object()) Fail(ErrorCode::kInvalidArgument, "invalid_type", "each contact is an object", "contacts");
      h.contacts.push_back({http::OptionalString(contact, "kind", 10).value_or("family"),
                            http::OptionalString(contact, "name", 100).value_or(""),
                            http::OptionalString(contact, "relationship", 30).value_or(""),
                            http::OptionalString(contact, "phone", 30).value_or("")});
    }
  }
  if (auto plan = body.find("plan"); plan != body.end() && plan->is_object()) {
    h.plan_name = http::OptionalString(*plan, "name", 100).value_or("");
    if (auto yen = plan->find("monthly_yen"); yen != plan->end() && !yen->is_null()) h.plan_monthly_yen = http::RequiredInt(*plan, "monthly_yen");
    h.plan_started_on = http::OptionalString(*plan, "started_on", 10);
  }
  UnixMillis now = SystemClock().Now();
  std::int64_t id = db.Write([&](store::Session& s) {
    std::int64_t added = AddHousehold(s, h, now);
    audit::Entry entry = auth::EntryFor(c.principal(), Action::kWatchAdmin, c.request_id());
    entry.person_id = h.person_id;
    entry.reason = "household.add";
    entry.detail = fmt::format("household={}", added);
    audit::Append(s, entry);
    return added;
  });
  // The status list gains a tile.
  events.Publish({"watch.status", json{{"household", id}}.dump(), h.tenant_id, std::nullopt, kWatchRoles});
  return Response::Json(201, {{"household", {{"id", id}, {"person", h.person_id}}}});
}

Response CreateDevice(store::Database& db, Context& c) {
  std::int64_t household = c.IdParam("id");
  UnixMillis now = SystemClock().Now();
  return db.Write([&](store::Session& s) {
    DeviceCredential credential = AddDevice(s, c.principal().tenant_id, household, now);
    audit::Entry entry = auth::EntryFor(c.principal(), Action::kWatchAdmin, c.request_id());
    entry.reason = "device.add";
    entry.detail = fmt::format("household={} device={}", household, credential.device);
    audit::Append(s, entry);
    // The token is shown this once; only its hash is kept.
    return Response::Json(201, {{"device", credential.device}, {"token", credential.token}});
  });
}

Response Revoke(store::Database& db, Context& c) {
  std::string device = c.Param("id");
  UnixMillis now = SystemClock().Now();
  return db.Write([&](store::Session& s) {
    if (!RevokeDevice(s, c.principal().tenant_id, device, now)) Fail(ErrorCode::kNotFound, "not_found", "no such live device");
    audit::Entry entry = auth::EntryFor(c.principal(), Action::kWatchAdmin, c.request_id());
    entry.reason = "device.revoke";
    entry.detail = "device=" + device;
    audit::Append(s, entry);
    return Response::Json(200, {{"device", device}, {"revoked", true}});
  });
}

Actor ActorOf(store::Session& s, const Context& c) {
  auto name = s.QueryOne("SELECT display_name FROM users WHERE id = $1", {c.principal().user_id});
  return {c.principal().user_id, name ? name->Text(0) : c.principal().username, std::string(auth::ToString(c.principal().role))};
}

// The resident and the people to call, for the operator's screen.
json CallSheet(store::Session& s, std::int64_t household_id) {
  json contacts = json::array();
  for (const store::Row& r : s.Query("SELECT position, kind, name, relationship, phone FROM household_contacts "
                                     "WHERE household_id = $1 ORDER BY position", {household_id})) {
    contacts.push_back({{"position", r.Int(0)}, {"kind", r.Text(1)}, {"name", r.Text(2)}, {"relationship", r.Text(3)},
                        {"phone", r.Text(4)}});
  }
  auto p = s.QueryOne("SELECT p.id, p.family_name, p.given_name, p.family_kana, p.given_kana, p.address, p.phones, "
                      "p.birth_date FROM households h JOIN persons p ON p.id = h.person_id WHERE h.id = $1", {household_id});
  json resident = nullptr;
  if (p) {
    resident = {{"id", p->Int(0)}, {"name", registry::JoinName(p->Text(1), p->Text(2))},
                {"kana", registry::JoinName(p->Text(3), p->Text(4))},
                {"address", p->Text(5)}, {"phones", json::parse(p->Text(6), nullptr, false)},
                {"birth_date", p->OptText(7) ? json(*p->OptText(7)) : json(nullptr)}};
  }
  return {{"resident", resident}, {"contacts", contacts}};
}

Response ListAlertsRoute(store::Database& db, Context& c) {
  AlertQuery q;
  q.tenant_id = c.principal().tenant_id;
  auto state = c.request().QueryParam("state").value_or("open");
  if (state != "open" && state != "all") Fail(ErrorCode::kInvalidArgument, "invalid_state", "state: open or all", "state");
  q.open_only = state == "open";
  q.household_id = c.request().IntParam("household");
  q.limit = static_cast<int>(c.request().IntParam("limit").value_or(100));
  return db.Write([&](store::Session& s) {
    json alerts = json::array();
    for (const Alert& alert : ListAlerts(s, q)) {
      json j = AlertJson(alert);
      j.update(CallSheet(s, alert.household_id));
      alerts.push_back(std::move(j));
    }
    audit::Entry entry = auth::EntryFor(c.principal(), Action::kWatchAlerts, c.request_id());
    entry.reason = "worklist";
    entry.detail = fmt::format("results={}", alerts.size());
    audit::Append(s, entry);
    return Response::Json(200, {{"alerts", alerts}});
  });
}

// Loads one alert of the principal's tenant, through the person-level policy (audited).
Alert AlertFor(store::Session& s, const Context& c, std::int64_t id, const std::string& detail) {
  auto alert = GetAlert(s, c.principal().tenant_id, id);
  if (!alert) Fail(ErrorCode::kNotFound, "not_found", "no such alert");
  auth::RequirePerson(s, c.principal(), Action::kPersonRead, alert->person_id, {c.request_id(), "", detail});
  return *alert;
}

Response GetAlertRoute(store::Database& db, Context& c) {
  std::int64_t id = c.IdParam("id");
  return db.Write([&](store::Session& s) {
    Alert alert = AlertFor(s, c, id, fmt::format("alert={}", id));
    json j = AlertJson(alert);
    j.update(CallSheet(s, alert.household_id));
    return Response::Json(200, {{"alert", j}});
  });
}

// claim / steps / close share this: policy and audit, the change, the updated alert back.
template <class Change>
Response ChangeAlert(store::Database& db, http::EventHub& events, Context& c, const std::string& what, Change change) {
  std::int64_t id = c.IdParam("id");
  json body = c.request().body.empty() ? json::object() : c.JsonBody();
  UnixMillis now = SystemClock().Now();
  Response response = db.Write([&](store::Session& s) {
    AlertFor(s, c, id, fmt::format("alert={} {}", id, what));
    change(s, ActorOf(s, c), body, id, now);
    Alert alert = *GetAlert(s, c.principal().tenant_id, id);
    json j = AlertJson(alert);
    j.update(CallSheet(s, alert.household_id));  // the same shape as GET
    return Response::Json(200, {{"alert", j}});
  });
  PublishAlerts(db, events, {id}, what);
  return response;
}

Response PersonSummary(store::Database& db, Context& c) {
  std::int64_t person = c.IdParam("id");
  UnixMillis now = SystemClock().Now();
  return db.Write([&](store::Session& s) {
    auth::RequirePerson(s, c.principal(), Action::kWatchView, person, {c.request_id(), "", "watch summary"});
    auto tenant = s.QueryOne("SELECT tenant_id FROM persons WHERE id = $1", {person});
    auto summary = SummaryForPerson(s, person, now, registry::TenantTimeZone(s, tenant->Int(0)));
    if (!summary) Fail(ErrorCode::kNotFound, "no_household", "this person has no watch-over sensor");
    json days = json::array();
    for (const auto& [date, openings] : summary->last_days) days.push_back({{"date", date}, {"door_openings", openings}});
    json alerts = json::array();
    for (const Alert& alert : ListAlerts(s, {.tenant_id = tenant->Int(0), .open_only = false,
                                             .household_id = summary->household_id, .limit = 20})) {
      alerts.push_back({{"id", alert.id}, {"kind", alert.kind}, {"text", alert.text}, {"state", alert.state},
                        {"opened_at", FormatRfc3339(alert.opened_at)},
                        {"closed_at", alert.closed_at ? json(FormatRfc3339(*alert.closed_at)) : json(nullptr)},
                        {"outcome", alert.outcome ? json(*alert.outcome) : json(nullptr)}});
    }
    return Response::Json(200, {{"today", StatusJson(summary->today)}, {"days", days}, {"alerts", alerts}});
  });
}

Response Relatives(store::Database& db, Context& c) {
  return db.Write([&](store::Session& s) {
    json relatives = json::array();
    for (const store::Row& r : s.Query("SELECT p.id, p.family_name, p.given_name, f.relationship, "
                                       "(SELECT COUNT(*) FROM households h WHERE h.person_id = p.id) "
                                       "FROM family_links f JOIN persons p ON p.id = f.person_id WHERE f.user_id = $1 "
                                       "ORDER BY p.id", {c.principal().user_id})) {
      relatives.push_back({{"person", r.Int(0)}, {"name", registry::JoinName(r.Text(1), r.Text(2))}, {"relationship", r.Text(3)},
                           {"watch_over", r.Int(4) > 0}});
    }
    audit::Entry entry = auth::EntryFor(c.principal(), Action::kFamilyRelatives, c.request_id());
    entry.detail = fmt::format("results={}", relatives.size());
    audit::Append(s, entry);
    return Response::Json(200, {{"relatives", relatives}});
  });
}

// GET: the thresholds in force (for the tenant, or one household) and the overrides stored.
Response GetThresholds(store::Database& db, Context& c) {
  std::int64_t household = c.request().IntParam("household").value_or(0);
  return db.Read([&](store::Session& s) {
    if (household && !s.QueryOne("SELECT 1 FROM households WHERE id = $1 AND tenant_id = $2",
                                 {household, c.principal().tenant_id})) {
      Fail(ErrorCode::kNotFound, "not_found", "no such household", "household");
    }
    auto own = s.QueryOne("SELECT settings FROM watch_thresholds WHERE tenant_id = $1 AND household_id = $2",
                          {c.principal().tenant_id, household});
    return Response::Json(200, {{"household", household ? json(household) : json(nullptr)},
                                {"effective", SettingsJson(LoadThresholds(s, c.principal().tenant_id, household))},
                                {"overrides", own ? json::parse(own->Text(0)) : json::object()}});
  });
}

// PUT {"household": id|null, "settings": {...}}: replaces the overrides at that level.
Response PutThresholds(store::Database& db, Context& c) {
  json body = c.JsonBody();
  std::int64_t household = 0;
  if (auto h = body.find("household"); h != body.end() && !h->is_null()) household = http::RequiredInt(body, "household");
  auto settings = body.find("settings");
  if (settings == body.end()) Fail(ErrorCode::kInvalidArgument, "missing", "settings is required", "settings");
  UnixMillis now = SystemClock().Now();
  return db.Write([&](store::Session& s) {
    // Checked against what they are laid over (400 naming the field, nothing written).
    Thresholds check = household ? LoadThresholds(s, c.principal().tenant_id, 0) : Thresholds{};
    ApplySettings(check, *settings);
    if (household && !s.QueryOne("SELECT 1 FROM households WHERE id = $1 AND tenant_id = $2",
                                 {household, c.principal().tenant_id})) {
      Fail(ErrorCode::kNotFound, "not_found", "no such household", "household");
    }
    s.Execute("DELETE FROM watch_thresholds WHERE tenant_id = $1 AND household_id = $2", {c.principal().tenant_id, household});
    s.Execute("INSERT INTO watch_thresholds (tenant_id, household_id, settings, updated_at) VALUES ($1, $2, $3, $4)",
              {c.principal().tenant_id, household, settings->dump(), now});
    audit::Entry entry = auth::EntryFor(c.principal(), Action::kWatchAdmin, c.request_id());
    entry.reason = "thresholds";
    entry.detail = fmt::format("household={} settings={}", household, settings->dump());
    audit::Append(s, entry);
    // Re-evaluate soon with the new values: due now.
    if (household) {
      s.Execute("DELETE FROM watch_deadlines WHERE household_id = $1", {household});
      s.Execute("INSERT INTO watch_deadlines (household_id, due_at) VALUES ($1, $2)", {household, now});
    } else {
      s.Execute("UPDATE watch_deadlines SET due_at = $2 WHERE household_id IN (SELECT id FROM households WHERE tenant_id = $1)",
                {c.principal().tenant_id, now});
    }
    return Response::Json(200, {{"household", household ? json(household) : json(nullptr)},
                                {"effective", SettingsJson(LoadThresholds(s, c.principal().tenant_id, household))},
                                {"overrides", *settings}});
  });
}

Response AddWebhook(store::Database& db, Context& c) {
  json body = c.JsonBody();
  std::string url = http::RequiredString(body, "url", 500);
  std::string secret = http::RequiredString(body, "secret", 200);
  if (!url.starts_with("https://") && !url.starts_with("http://")) {
    Fail(ErrorCode::kInvalidArgument, "invalid_url", "url must be http(s)://", "url");
  }
  if (secret.size() < 16) Fail(ErrorCode::kInvalidArgument, "weak_secret", "secret: at least 16 characters", "secret");
  return db.Write([&](store::Session& s) {
    std::int64_t id = s.QueryOne("INSERT INTO notify_webhooks (tenant_id, url, secret, created_at) VALUES ($1, $2, $3, $4) "
                                 "RETURNING id", {c.principal().tenant_id, url, secret, SystemClock().Now()})->Int(0);
    audit::Entry entry = auth::EntryFor(c.principal(), Action::kWatchAdmin, c.request_id());
    entry.reason = "webhook.add";
    entry.detail = fmt::format("webhook={}", id);  // the URL may carry credentials: not logged
    audit::Append(s, entry);
    return Response::Json(201, {{"webhook", {{"id", id}, {"url", url}}}});
  });
}

}  // namespace

void AddRoutes(http::Router& router, store::Database& db, http::EventHub& events, IngestWriter& writer,
               store::GroupCommit& commits) {
  router.Add("POST", "/api/v1/ingest", Access::Public("sensors authenticate with their own device token"),
             [ingest = IngestContext{db, writer, events}](Context& c) {
               IngestResult result = Ingest(ingest, c.request().Header("authorization"), c.request().body,
                                            IngestSource::Http(c.request_id(), c.request().remote_ip));
               return Response::Json(200, IngestResultJson(result));
             },
             kMaxIngestBytes);
  router.Add("GET", "/api/v1/watch/status", Access::Requires(Action::kWatchStatus),
             [&db, &commits, snapshots = std::make_shared<StatusSnapshots>(db, events)](Context& c) {
               return Status(db, commits, *snapshots, c);
             });
  router.Add("POST", "/api/v1/watch/households", Access::Requires(Action::kWatchAdmin),
             [&db, &events](Context& c) { return CreateHousehold(db, events, c); });
  router.Add("POST", "/api/v1/watch/households/{id}/devices", Access::Requires(Action::kWatchAdmin),
             [&db](Context& c) { return CreateDevice(db, c); });
  router.Add("POST", "/api/v1/watch/devices/{id}/revoke", Access::Requires(Action::kWatchAdmin),
             [&db](Context& c) { return Revoke(db, c); });
  router.Add("GET", "/api/v1/watch/persons/{id}/summary", Access::Requires(Action::kWatchView),
             [&db](Context& c) { return PersonSummary(db, c); });
  router.Add("GET", "/api/v1/family/relatives", Access::Requires(Action::kFamilyRelatives),
             [&db](Context& c) { return Relatives(db, c); });
  router.Add("POST", "/api/v1/watch/webhooks", Access::Requires(Action::kWatchAdmin),
             [&db](Context& c) { return AddWebhook(db, c); });
  router.Add("GET", "/api/v1/watch/thresholds", Access::Requires(Action::kWatchAdmin),
             [&db](Context& c) { return GetThresholds(db, c); });
  router.Add("PUT", "/api/v1/watch/thresholds", Access::Requires(Action::kWatchAdmin),
             [&db](Context& c) { return PutThresholds(db, c); });
  router.Add("GET", "/api/v1/watch/alerts", Access::Requires(Action::kWatchAlerts),
             [&db](Context& c) { return ListAlertsRoute(db, c); });
  router.Add("GET", "/api/v1/watch/alerts/{id}", Access::Requires(Action::kWatchAlerts),
             [&db](Context& c) { return GetAlertRoute(db, c); });
  router.Add("POST", "/api/v1/watch/alerts/{id}/claim", Access::Requires(Action::kWatchAlerts),
             [&db, &events](Context& c) {
               return ChangeAlert(db, events, c, "claim", [&c](store::Session& s, const Actor& actor, const json&,
                                                               std::int64_t id, UnixMillis now) {
                 ClaimAlert(s, c.principal().tenant_id, id, actor, now, TimersForAlert(s, c.principal().tenant_id, id));
               });
             });
  router.Add("POST", "/api/v1/watch/alerts/{id}/steps", Access::Requires(Action::kWatchAlerts),
             [&db, &events](Context& c) {
               return ChangeAlert(db, events, c, "step", [&c](store::Session& s, const Actor& actor, const json& body,
                                                              std::int64_t id, UnixMillis now) {
                 StepInput step{http::RequiredString(body, "action", 30),
                                http::OptionalString(body, "target", 200).value_or(""),
                                http::OptionalString(body, "outcome", 30).value_or(""),
                                http::OptionalString(body, "note", 2000).value_or("")};
                 RecordStep(s, c.principal().tenant_id, id, actor, step, now,
                            TimersForAlert(s, c.principal().tenant_id, id));
               });
             });
  router.Add("POST", "/api/v1/watch/alerts/{id}/close", Access::Requires(Action::kWatchAlerts),
             [&db, &events](Context& c) {
               return ChangeAlert(db, events, c, "close", [&c](store::Session& s, const Actor& actor, const json& body,
                                                               std::int64_t id, UnixMillis now) {
                 CloseAlert(s, c.principal().tenant_id, id, actor, http::RequiredString(body, "outcome", 30),
                            http::OptionalString(body, "note", 2000).value_or(""), now);
               });
             });
}

}  // namespace moyakko::watch
