#include "lifelog/routes.h"

#include <fmt/format.h>

#include <type_traits>

#include "audit/audit_log.h"
#include "auth/guard.h"
#include "carenet/routes.h"
#include "common/error.h"
#include "http/json_body.h"
#include "lifelog/records.h"

namespace moyakko::lifelog {
namespace {

using auth::Action;
using http::Context;
using http::Response;
using nlohmann::json;

struct Deps {
  store::Database& db;
  store::GroupCommit& commits;
  http::EventHub& events;
  const Clock& clock;
};

Response Private(Response response) {
  response.headers.push_back({"Cache-Control", "private, no-store"});
  return response;
}

// A read of one person's records: checked at the policy point and done in one read
// transaction; the access is audited (through the group commit) before the answer.
template <class Work>
Response ReadPerson(Deps& d, Context& c, const std::string& what, Work&& work) {
  std::int64_t id = c.IdParam("id");
  UnixMillis now = d.clock.Now();
  audit::Entry entry;
  Response response = d.db.Read([&](store::Session& s) {
    auth::PersonContext context;
    entry = auth::CheckPerson(s, c.principal(), Action::kLifelogRead, id, {c.request_id(), "", what}, &context);
    if constexpr (std::is_invocable_v<Work, store::Session&, const PersonRef&, const auth::PersonContext&>) {
      return work(s, LoadPerson(s, id, now), context);
    } else {
      return work(s, LoadPerson(s, id, now));
    }
  });
  d.commits.Run([&](store::Session& s) { audit::Append(s, entry); });
  return Private(std::move(response));
}

// A change to one person's records, checked and audited in its own write transaction.
template <class Work>
Response WritePerson(Deps& d, Context& c, Action action, const std::string& what, Work&& work) {
  std::int64_t id = c.IdParam("id");
  UnixMillis now = d.clock.Now();
  return Private(d.db.Write([&](store::Session& s) {
    auth::RequirePerson(s, c.principal(), action, id, {c.request_id(), "", what});
    return work(s, LoadPerson(s, id, now), now);
  }));
}

// ?from&to, local dates; by default the `days` days up to today.
std::pair<std::string, std::string> Dates(Context& c, const PersonRef& person, int days) {
  auto param = [&](const char* name) {
    auto value = c.request().QueryParam(name);
    return value && !value->empty() ? value : std::nullopt;
  };
  std::string to = param("to").value_or(person.today);
  std::string from = param("from").value_or(IsCalendarDate(to) ? AddDays(to, -(days - 1)) : to);
  return {from, to};
}

std::string ClientIdParam(Context& c) {
  std::string client_id = c.Param("client_id");
  CheckClientId(client_id);
  return client_id;
}

Response PersonsRoute(Deps& d, Context& c) {
  UnixMillis now = d.clock.Now();
  json persons = d.db.Read([&](store::Session& s) { return PersonsJson(s, c.principal(), now); });
  audit::Entry entry = auth::EntryFor(c.principal(), Action::kLifelogList, c.request_id());
  entry.reason = "own_relations";
  entry.detail = fmt::format("persons={}", persons["persons"].size());
  d.commits.Run([&](store::Session& s) { audit::Append(s, entry); });
  return Private(Response::Json(200, persons));
}

Response PresetsRoute(Deps&, Context&) {
  json presets = json::array();
  for (const char* kind : {"elderly", "pediatric"}) presets.push_back(TemplateJson(*Preset(kind)));
  return Response::Json(200, {{"presets", presets}});
}

Response TemplateRoute(Deps& d, Context& c) {
  return ReadPerson(d, c, "template", [&](store::Session& s, const PersonRef& person,
                                          const auth::PersonContext& context) {
    bool may_edit = auth::Decide(c.principal(), Action::kLifelogTemplate, &context).allowed;
    return Response::Json(200, {{"person", {{"id", person.id}, {"name", person.name}, {"kana", person.kana},
                                            {"age", person.age ? json(*person.age) : json(nullptr)}}},
                                {"template", PersonTemplateJson(CurrentTemplate(s, person))},
                                {"may_edit", may_edit}});
  });
}

Response SaveTemplateRoute(Deps& d, Context& c) {
  json body = c.JsonBody();
  Template t = ParseTemplate(body);
  int base_version = static_cast<int>(http::RequiredInt(body, "base_version"));
  return WritePerson(d, c, Action::kLifelogTemplate, "template", [&](store::Session& s, const PersonRef& person,
                                                                      UnixMillis now) {
    PersonTemplate saved = SaveTemplate(s, person, t, base_version, c.principal().user_id, now);
    return Response::Json(200, {{"template", PersonTemplateJson(saved)}, {"may_edit", true}});
  });
}

Response RecordsRoute(Deps& d, Context& c) {
  return ReadPerson(d, c, "records", [&](store::Session& s, const PersonRef& person) {
    auto [from, to] = Dates(c, person, 7);
    return Response::Json(200, RecordsJson(s, person, from, to));
  });
}

Response PutRecordRoute(Deps& d, Context& c) {
  std::string client_id = ClientIdParam(c);
  RecordWrite write = ReadRecordWrite(c.JsonBody(carenet::kMaxFilesBodyBytes), client_id);
  std::int64_t person_id = c.IdParam("id");
  WriteOutcome outcome;
  Response response = WritePerson(d, c, Action::kLifelogWrite, "record " + client_id,
                                  [&](store::Session& s, const PersonRef& person, UnixMillis now) {
    outcome = WriteRecord(s, person, c.principal(), write, now);
    if (outcome.kind == WriteKind::kConflict) {
      json body = {{"error", {{"code", "edit_conflict"},
                              {"message", "the record was changed meanwhile; choose which version to keep"},
                              {"field", "base_version"},
                              {"request_id", c.request_id()}}},
                   {"current", outcome.record}};
      return Response::Json(409, body);
    }
    return Response::Json(outcome.kind == WriteKind::kCreated ? 201 : 200,
                          {{"record", outcome.record}, {"replayed", outcome.kind == WriteKind::kReplayed}});
  });
  if (outcome.notice) carenet::PublishPost(d.events, person_id, *outcome.notice);
  return response;
}

Response HistoryRoute(Deps& d, Context& c) {
  std::string client_id = ClientIdParam(c);
  return ReadPerson(d, c, "history " + client_id, [&](store::Session& s, const PersonRef& person) {
    return Response::Json(200, HistoryJson(s, person, client_id));
  });
}

Response CommentRoute(Deps& d, Context& c) {
  std::string client_id = ClientIdParam(c);
  std::string text = http::RequiredText(c.JsonBody(), "body", 2000);
  return WritePerson(d, c, Action::kLifelogComment, "comment " + client_id,
                     [&](store::Session& s, const PersonRef& person, UnixMillis now) {
    return Response::Json(201, {{"comment", AddComment(s, person, client_id, c.principal().user_id, text, now)}});
  });
}

Response DailyRoute(Deps& d, Context& c) {
  return ReadPerson(d, c, "daily", [&](store::Session& s, const PersonRef& person) {
    auto [from, to] = Dates(c, person, 28);
    return Response::Json(200, DailyJson(s, person, from, to));
  });
}

Response PhotoRoute(Deps& d, Context& c) {
  std::int64_t photo = c.IdParam("photo");
  return ReadPerson(d, c, fmt::format("photo {}", photo), [&](store::Session& s, const PersonRef& person) {
    auto file = LoadPhoto(s, person, photo);
    if (!file) Fail(ErrorCode::kNotFound, "no_such_photo", "no such photo of this person");
    Response r;
    r.status = 200;
    r.content_type = file->media_type;
    r.body = std::move(file->bytes);
    r.headers.push_back({"Content-Disposition", "inline"});
    return r;
  });
}

}  // namespace

void AddRoutes(http::Router& router, store::Database& db, store::GroupCommit& commits, http::EventHub& events,
               const Clock& clock) {
  auto deps = std::make_shared<Deps>(Deps{db, commits, events, clock});
  auto add = http::RouteAdder(router, deps);
  const std::string l = "/api/v1/lifelog";
  add("GET", l + "/persons", Action::kLifelogList, PersonsRoute);
  add("GET", l + "/presets", Action::kLifelogList, PresetsRoute);
  add("GET", l + "/persons/{id}/template", Action::kLifelogRead, TemplateRoute);
  add("PUT", l + "/persons/{id}/template", Action::kLifelogTemplate, SaveTemplateRoute);
  add("GET", l + "/persons/{id}/records", Action::kLifelogRead, RecordsRoute);
  router.Add("PUT", l + "/persons/{id}/records/{client_id}", http::Access::Requires(Action::kLifelogWrite),
             [deps](Context& c) { return PutRecordRoute(*deps, c); }, carenet::kMaxFilesBodyBytes);
  add("GET", l + "/persons/{id}/records/{client_id}/history", Action::kLifelogRead, HistoryRoute);
  add("POST", l + "/persons/{id}/records/{client_id}/comments", Action::kLifelogComment, CommentRoute);
  add("GET", l + "/persons/{id}/daily", Action::kLifelogRead, DailyRoute);
  add("GET", l + "/persons/{id}/photos/{photo}", Action::kLifelogRead, PhotoRoute);
}

}  // namespace moyakko::lifelog
