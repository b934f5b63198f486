#include "carenet/routes.h"

#include <type_traits>

#include <fmt/format.h>

#include "audit/audit_log.h"
#include "auth/guard.h"
#include "carenet/boards.h"
#include "carenet/directory.h"
#include "carenet/patients.h"
#include "carenet/summary.h"
#include "carenet/timeline.h"
#include "carenet/watch_link.h"
#include "common/error.h"
#include "common/text.h"
#include "http/json_body.h"
#include "registry/persons.h"
#include "store/group_commit.h"

namespace moyakko::carenet {
namespace {

using auth::Action;
using http::Access;
using http::Context;
using http::Response;
using nlohmann::json;

constexpr std::size_t kMaxFileBodyBytes = kMaxFilesBodyBytes;
constexpr std::size_t kMaxFileStringBytes = kMaxFilesBodyBytes;

UnixMillis Now() { return SystemClock().Now(); }

struct Deps {
  store::Database& db;
  http::EventHub& events;
  store::GroupCommit& commits;
};

// `work(s, id)`, or `work(s, id, context)` when it needs the relation the check found (e.g.
// which categories the principal sees).
template <class Work>
Response RunWork(Work& work, store::Session& s, std::int64_t id, const auth::PersonContext& context) {
  if constexpr (std::is_invocable_v<Work&, store::Session&, std::int64_t, const auth::PersonContext&>) {
    return work(s, id, context);
  } else {
    return work(s, id);
  }
}

// Runs `work` in one write transaction after the person-level check, whose audit record
// commits with it (a refusal is audited by the error boundary).
template <class Work>
Response ForPatient(store::Database& db, Context& c, Action action, const std::string& what, Work&& work) {
  std::int64_t id = c.IdParam("id");
  return db.Write([&](store::Session& s) {
    auth::PersonContext context;
    audit::Append(s, auth::CheckPerson(s, c.principal(), action, id, {c.request_id(), "", what}, &context));
    return RunWork(work, s, id, context);
  });
}

// A read of one patient's data: decided and read in one read-only transaction (concurrent
// with other readers), audited through the group commit before the answer leaves.
template <class Work>
Response ReadForPatient(store::Database& db, store::GroupCommit& commits, Context& c, Action action,
                        const std::string& what, Work&& work) {
  std::int64_t id = c.IdParam("id");
  audit::Entry entry;
  Response response = db.Read([&](store::Session& s) {
    auth::PersonContext context;
    entry = auth::CheckPerson(s, c.principal(), action, id, {c.request_id(), "", what}, &context);
    return RunWork(work, s, id, context);
  });
  commits.Run([&](store::Session& s) { audit::Append(s, entry); });
  return response;
}

std::string RequireSectionParam(Context& c) {
  std::string section = c.Param("section");
  if (!CategoryOf(section)) Fail(ErrorCode::kNotFound, "no_such_section", fmt::format("no summary section '{}'", section));
  return section;
}

// The summary writer must be allowed to see what they change.
void RequireVisible(const auth::Principal& p, const auth::PersonContext& context, const std::string& section) {
  auto visible = auth::VisibleCategories(p, context);
  if (std::find(visible.begin(), visible.end(), *CategoryOf(section)) == visible.end()) {
    Fail(ErrorCode::kForbidden, "forbidden", "you do not have access to this");
  }
}

std::vector<std::int64_t> IdArray(const json& body, const char* field) {
  auto it = body.find(field);
  if (it == body.end() || !it->is_array() || it->size() > 500) {
    Fail(ErrorCode::kInvalidArgument, "invalid_ids", fmt::format("{}: a list of up to 500 ids", field), field);
  }
  std::vector<std::int64_t> ids;
  for (const auto& id : *it) {
    if (!id.is_number_integer()) Fail(ErrorCode::kInvalidArgument, "invalid_ids", fmt::format("{}: ids", field), field);
    ids.push_back(id.get<std::int64_t>());
  }
  return ids;
}

Response FileResponse(const StoredFile& file) {
  Response r;
  r.status = 200;
  r.content_type = file.media_type;
  r.body = file.bytes;
  bool image = file.media_type.rfind("image/", 0) == 0;
  // The name is ASCII-quoted for old clients and given in full (RFC 6266/5987) for the rest.
  std::string encoded;
  for (unsigned char ch : file.filename) {
    if (std::isalnum(ch) || ch == '.' || ch == '-' || ch == '_') encoded += static_cast<char>(ch);
    else encoded += fmt::format("%{:02X}", ch);
  }
  r.headers.push_back({"Content-Disposition", fmt::format("{}; filename=\"attachment\"; filename*=UTF-8''{}",
                                                          image ? "inline" : "attachment", encoded)});
  r.headers.push_back({"Cache-Control", "private, no-store"});
  return r;
}

// ---- patients -------------------------------------------------------------------------

Response ListPatientsRoute(store::Database& db, store::GroupCommit& commits, Context& c) {
  PatientSearch search;
  search.text = c.request().QueryParam("q").value_or("");
  if (!IsValidUtf8(search.text) || search.text.size() > 200) {
    Fail(ErrorCode::kInvalidArgument, "invalid_query", "q: at most 200 bytes of UTF-8", "q");
  }
  search.limit = static_cast<int>(std::clamp<std::int64_t>(c.request().IntParam("limit").value_or(50), 1, 200));
  json patients = db.Read([&](store::Session& s) { return ListPatients(s, c.principal(), search); });
  audit::Entry entry = auth::EntryFor(c.principal(), Action::kCarenetPatientList, c.request_id());
  entry.reason = "search";
  entry.detail = fmt::format("results={}", patients.size());
  commits.Run([&](store::Session& s) { audit::Append(s, entry); });
  return Response::Json(200, {{"patients", patients}});
}

Response CandidatesRoute(store::Database& db, Context& c) {
  std::string name = c.request().QueryParam("name").value_or("");
  std::string birth_date = c.request().QueryParam("birth_date").value_or("");
  if (!IsValidUtf8(name) || name.size() > 200) Fail(ErrorCode::kInvalidArgument, "invalid_query", "name: at most 200 bytes", "name");
  return db.Write([&](store::Session& s) {
    json persons = RegisterCandidates(s, c.principal(), name, birth_date);
    audit::Entry entry = auth::EntryFor(c.principal(), Action::kCarenetPatientRegister, c.request_id());
    entry.reason = "candidates";
    entry.detail = fmt::format("results={}", persons.size());
    audit::Append(s, entry);
    return Response::Json(200, {{"persons", persons}});
  });
}

Response RegisterRoute(store::Database& db, Context& c) {
  json body = c.JsonBody();
  std::int64_t person_id = http::RequiredInt(body, "person");
  auto consent_field = body.find("consent");
  if (consent_field == body.end() || consent_field->is_null()) Fail(ErrorCode::kInvalidArgument, "missing", "consent is required", "consent");
  Consent consent = ReadConsent(*consent_field, "consent.");
  std::optional<std::int64_t> lead;
  if (body.contains("lead") && !body["lead"].is_null()) lead = http::RequiredInt(body, "lead");
  return db.Write([&](store::Session& s) {
    auth::RequirePerson(s, c.principal(), Action::kCarenetPatientRegister, person_id, {c.request_id(), "", "register"});
    RegisterPatient(s, c.principal(), person_id, consent, lead, Now());
    return Response::Json(201, {{"patient", PatientJson(s, c.principal(), person_id)}});
  });
}

Response ReadPatientRoute(store::Database& db, store::GroupCommit& commits, Context& c) {
  return ReadForPatient(db, commits, c, Action::kCarenetRead, "patient", [&](store::Session& s, std::int64_t id) {
    return Response::Json(200, {{"patient", PatientJson(s, c.principal(), id)}});
  });
}

Response DeregisterRoute(store::Database& db, Context& c) {
  json body = c.JsonBody();
  std::string reason = http::RequiredText(body, "reason", 500);
  return ForPatient(db, c, Action::kCareTeamManage, "deregister", [&](store::Session& s, std::int64_t id) {
    DeregisterPatient(s, id, c.principal().user_id, reason, Now());
    return Response::Json(200, {{"patient", PatientJson(s, c.principal(), id)}});
  });
}

Response ConsentsRoute(store::Database& db, store::GroupCommit& commits, Context& c) {
  return ReadForPatient(db, commits, c, Action::kCarenetRead, "consents", [&](store::Session& s, std::int64_t id) {
    return Response::Json(200, {{"consents", ConsentsJson(s, id)}});
  });
}

Response RecordConsentRoute(store::Database& db, Context& c) {
  Consent consent = ReadConsent(c.JsonBody(), "");
  return ForPatient(db, c, Action::kCarenetWrite, "consent", [&](store::Session& s, std::int64_t id) {
    RecordConsent(s, id, consent, c.principal().user_id, Now());
    return Response::Json(201, {{"consents", ConsentsJson(s, id)}});
  });
}

Response WithdrawConsentRoute(store::Database& db, Context& c) {
  return ForPatient(db, c, Action::kCarenetWrite, "consent withdraw", [&](store::Session& s, std::int64_t id) {
    WithdrawConsent(s, id, c.principal().user_id, Now());
    return Response::Json(200, {{"consents", ConsentsJson(s, id)}});
  });
}

// ---- summary --------------------------------------------------------------------------

Response SummaryRoute(store::Database& db, store::GroupCommit& commits, Context& c) {
  return ReadForPatient(db, commits, c, Action::kCarenetRead, "summary",
                        [&](store::Session& s, std::int64_t id, const auth::PersonContext& context) {
    json summary = SummaryJson(s, id, auth::VisibleCategories(c.principal(), context));
    auto person = registry::GetPerson(s, id);
    summary["person"] = registry::ToJson(*person, LocalDate(Now(), registry::TenantTimeZone(s, person->tenant_id)));
    return Response::Json(200, summary);
  });
}

Response AddEntryRoute(store::Database& db, Context& c) {
  std::string section = RequireSectionParam(c);
  json body = c.JsonBody();
  return ForPatient(db, c, Action::kCarenetWrite, "summary " + section, [&](store::Session& s, std::int64_t id, const auth::PersonContext& context) {
    RequireVisible(c.principal(), context, section);
    RequireConsent(s, id);
    json entry = AddEntry(s, id, section, body.value("data", json()), c.principal().user_id, Now());
    return Response::Json(201, {{"entry", entry}});
  });
}

Response ReviseEntryRoute(store::Database& db, Context& c) {
  std::string section = RequireSectionParam(c);
  std::int64_t entry_id = c.IdParam("entry");
  json body = c.JsonBody();
  return ForPatient(db, c, Action::kCarenetWrite, "summary " + section, [&](store::Session& s, std::int64_t id, const auth::PersonContext& context) {
    RequireVisible(c.principal(), context, section);
    RequireConsent(s, id);
    json entry = ReviseEntry(s, id, section, entry_id, body.value("data", json()), c.principal().user_id, Now());
    return Response::Json(200, {{"entry", entry}});
  });
}

Response RemoveEntryRoute(store::Database& db, Context& c) {
  std::string section = RequireSectionParam(c);
  std::int64_t entry_id = c.IdParam("entry");
  return ForPatient(db, c, Action::kCarenetWrite, "summary " + section, [&](store::Session& s, std::int64_t id, const auth::PersonContext& context) {
    RequireVisible(c.principal(), context, section);
    RemoveEntry(s, id, section, entry_id, c.principal().user_id, Now());
    return Response::Json(200, {{"removed", entry_id}});
  });
}

Response SummaryHistoryRoute(store::Database& db, store::GroupCommit& commits, Context& c) {
  auto section = c.request().QueryParam("section");
  if (section && section->empty()) section.reset();
  return ReadForPatient(db, commits, c, Action::kCarenetRead, "summary history",
                        [&](store::Session& s, std::int64_t id, const auth::PersonContext& context) {
    return Response::Json(200, {{"changes", HistoryJson(s, id, auth::VisibleCategories(c.principal(), context), section)}});
  });
}

// ---- care team ------------------------------------------------------------------------

Response TeamRoute(store::Database& db, store::GroupCommit& commits, Context& c) {
  return ReadForPatient(db, commits, c, Action::kCarenetRead, "team", [&](store::Session& s, std::int64_t id) {
    return Response::Json(200, {{"members", TeamJson(s, id)}});
  });
}

Response InviteRoute(store::Database& db, http::EventHub& events, Context& c) {
  std::int64_t user = http::RequiredInt(c.JsonBody(), "user");
  Response response = ForPatient(db, c, Action::kCareTeamManage, "team invite", [&](store::Session& s, std::int64_t id) {
    InviteMember(s, id, user, c.principal().user_id, Now());
    return Response::Json(201, {{"members", TeamJson(s, id)}});
  });
  events.Publish({"carenet.invitation", json{{"person", c.IdParam("id")}}.dump(), std::nullopt, user, {}});
  return response;
}

Response AnswerRoute(store::Database& db, Context& c, bool accept) {
  return ForPatient(db, c, Action::kCareTeamAnswer, accept ? "team accept" : "team decline",
                    [&](store::Session& s, std::int64_t id) {
                      AnswerInvitation(s, id, c.principal().user_id, accept, Now());
                      return Response::Json(200, {{"members", TeamJson(s, id)}});
                    });
}

Response RemoveMemberRoute(store::Database& db, Context& c) {
  std::int64_t user = c.IdParam("user");
  // Anyone may leave a team; removing someone else is the lead's.
  Action action = user == c.principal().user_id ? Action::kCarenetTimeline : Action::kCareTeamManage;
  return ForPatient(db, c, action, fmt::format("team remove user={}", user), [&](store::Session& s, std::int64_t id) {
    RemoveMember(s, id, user, Now());
    return Response::Json(200, {{"members", TeamJson(s, id)}});
  });
}

Response LeadRoute(store::Database& db, Context& c) {
  std::int64_t user = http::RequiredInt(c.JsonBody(), "user");
  return ForPatient(db, c, Action::kCareTeamManage, fmt::format("team lead user={}", user),
                    [&](store::Session& s, std::int64_t id) {
                      MakeLead(s, id, user);
                      return Response::Json(200, {{"members", TeamJson(s, id)}});
                    });
}

Response InvitationsRoute(store::Database& db, Context& c) {
  return db.Read([&](store::Session& s) {
    return Response::Json(200, {{"invitations", InvitationsJson(s, c.principal().user_id)}});
  });
}

// ---- timeline -------------------------------------------------------------------------

Response TimelineRoute(store::Database& db, store::GroupCommit& commits, Context& c) {
  std::optional<std::int64_t> before = c.request().IntParam("before");
  int limit = static_cast<int>(std::clamp<std::int64_t>(c.request().IntParam("limit").value_or(20), 1, 100));
  return ReadForPatient(db, commits, c, Action::kCarenetTimeline, "timeline", [&](store::Session& s, std::int64_t id) {
    return Response::Json(200, TimelinePage(s, id, c.principal().user_id, before, limit));
  });
}

Response AddPostRoute(store::Database& db, http::EventHub& events, Context& c) {
  NewPost post = ReadNewPost(c.JsonBody(kMaxFileStringBytes));
  PostResult result;
  Response response = ForPatient(db, c, Action::kCarenetTimeline, "timeline post", [&](store::Session& s, std::int64_t id) {
    result = AddPost(s, id, c.principal().user_id, post, Now());
    return Response::Json(201, {{"post", PostJson(s, id, result.post_id, c.principal().user_id)}});
  });
  PublishPost(events, c.IdParam("id"), result);
  return response;
}

Response EditPostRoute(store::Database& db, Context& c) {
  std::int64_t post_id = c.IdParam("post");
  json body = c.JsonBody();
  std::string text = http::RequiredText(body, "body", kMaxPostChars);
  std::optional<bool> important;  // absent: unchanged
  if (auto it = body.find("important"); it != body.end()) {
    if (!it->is_boolean()) Fail(ErrorCode::kInvalidArgument, "invalid_type", "important must be true or false", "important");
    important = it->get<bool>();
  }
  return ForPatient(db, c, Action::kCarenetTimeline, fmt::format("timeline edit post={}", post_id),
                    [&](store::Session& s, std::int64_t id) {
                      EditPost(s, id, post_id, c.principal().user_id, text, important, Now());
                      return Response::Json(200, {{"post", PostJson(s, id, post_id, c.principal().user_id)}});
                    });
}

Response PostHistoryRoute(store::Database& db, store::GroupCommit& commits, Context& c) {
  std::int64_t post_id = c.IdParam("post");
  return ReadForPatient(db, commits, c, Action::kCarenetTimeline, fmt::format("timeline history post={}", post_id),
                    [&](store::Session& s, std::int64_t id) {
                      return Response::Json(200, {{"versions", PostHistory(s, id, post_id)}});
                    });
}

Response CommentRoute(store::Database& db, http::EventHub& events, Context& c) {
  std::int64_t post_id = c.IdParam("post");
  std::string text = http::RequiredText(c.JsonBody(), "body", kMaxPostChars);
  PostResult result;
  Response response = ForPatient(db, c, Action::kCarenetTimeline, fmt::format("timeline comment post={}", post_id),
                                 [&](store::Session& s, std::int64_t id) {
                                   result = AddComment(s, id, post_id, c.principal().user_id, text, Now());
                                   return Response::Json(201, {{"post", PostJson(s, id, post_id, c.principal().user_id)}});
                                 });
  PublishPost(events, c.IdParam("id"), {post_id, result.notify_users});
  return response;
}

Response MarkReadRoute(store::Database& db, Context& c) {
  std::vector<std::int64_t> posts = IdArray(c.JsonBody(), "posts");
  return ForPatient(db, c, Action::kCarenetTimeline, "timeline read", [&](store::Session& s, std::int64_t id) {
    MarkRead(s, id, c.principal().user_id, posts, Now());
    return Response::Json(200, {{"unread", UnreadJson(s, c.principal().user_id)}});
  });
}

Response PatientAttachmentRoute(store::Database& db, store::GroupCommit& commits, Context& c) {
  std::int64_t attachment = c.IdParam("attachment");
  return ReadForPatient(db, commits, c, Action::kCarenetTimeline, fmt::format("attachment={}", attachment),
                    [&](store::Session& s, std::int64_t id) {
                      auto file = LoadAttachment(s, attachment);
                      if (!file || !AttachmentOfPatient(s, id, *file)) {
                        Fail(ErrorCode::kNotFound, "no_such_attachment", "no such file");
                      }
                      return FileResponse(*file);
                    });
}

Response UnreadRoute(store::Database& db, Context& c) {
  return db.Read([&](store::Session& s) { return Response::Json(200, UnreadJson(s, c.principal().user_id)); });
}

// ---- boards ---------------------------------------------------------------------------

template <class Work>
Response ForBoard(store::Database& db, Context& c, bool manage, Work&& work) {
  std::int64_t board = c.IdParam("board");
  return db.Write([&](store::Session& s) {
    auth::RequireBoard(s, c.principal(), board, LoadBoardContext(s, board, c.principal().user_id), manage, c.request_id());
    return work(s, board);
  });
}

Response ListBoardsRoute(store::Database& db, Context& c) {
  return db.Read([&](store::Session& s) { return Response::Json(200, {{"boards", ListBoards(s, c.principal().user_id)}}); });
}

Response CreateBoardRoute(store::Database& db, Context& c) {
  json body = c.JsonBody();
  std::string title = http::RequiredText(body, "title", 100);
  std::string description = http::OptionalString(body, "description", 2000).value_or("");
  return db.Write([&](store::Session& s) {
    std::int64_t id = CreateBoard(s, c.principal(), title, description, Now());
    audit::Entry entry = auth::EntryFor(c.principal(), Action::kCarenetBoard, c.request_id());
    entry.detail = fmt::format("board={} create", id);
    audit::Append(s, entry);
    return Response::Json(201, BoardJson(s, id));
  });
}

Response BoardRoute(store::Database& db, Context& c) {
  return ForBoard(db, c, false, [&](store::Session& s, std::int64_t board) { return Response::Json(200, BoardJson(s, board)); });
}

Response AddBoardMemberRoute(store::Database& db, Context& c) {
  std::int64_t user = http::RequiredInt(c.JsonBody(), "user");
  return ForBoard(db, c, true, [&](store::Session& s, std::int64_t board) {
    AddBoardMember(s, board, user, Now());
    return Response::Json(201, BoardJson(s, board));
  });
}

Response RemoveBoardMemberRoute(store::Database& db, Context& c) {
  std::int64_t user = c.IdParam("user");
  // Members may leave; removing others is the owners'.
  return ForBoard(db, c, user != c.principal().user_id, [&](store::Session& s, std::int64_t board) {
    RemoveBoardMember(s, board, user);
    return Response::Json(200, BoardJson(s, board));
  });
}

Response CreateThreadRoute(store::Database& db, Context& c) {
  json body = c.JsonBody(kMaxFileStringBytes);
  std::string title = http::RequiredText(body, "title", 200);
  std::string text = http::RequiredText(body, "body", kMaxPostChars);
  std::vector<NamedFile> files = ReadAttachments(body);
  return ForBoard(db, c, false, [&](store::Session& s, std::int64_t board) {
    std::int64_t thread = CreateThread(s, board, c.principal().user_id, title, text, files, Now());
    return Response::Json(201, ThreadJson(s, board, thread));
  });
}

Response ThreadRoute(store::Database& db, Context& c) {
  std::int64_t thread = c.IdParam("thread");
  return ForBoard(db, c, false, [&](store::Session& s, std::int64_t board) {
    return Response::Json(200, ThreadJson(s, board, thread));
  });
}

Response AddBoardPostRoute(store::Database& db, Context& c) {
  std::int64_t thread = c.IdParam("thread");
  json body = c.JsonBody(kMaxFileStringBytes);
  std::string text = http::RequiredText(body, "body", kMaxPostChars);
  std::vector<NamedFile> files = ReadAttachments(body);
  return ForBoard(db, c, false, [&](store::Session& s, std::int64_t board) {
    AddBoardPost(s, board, thread, c.principal().user_id, text, files, Now());
    return Response::Json(201, ThreadJson(s, board, thread));
  });
}

Response BoardAttachmentRoute(store::Database& db, Context& c) {
  std::int64_t attachment = c.IdParam("attachment");
  return ForBoard(db, c, false, [&](store::Session& s, std::int64_t board) {
    auto file = LoadAttachment(s, attachment);
    if (!file || !AttachmentOfBoard(s, board, *file)) Fail(ErrorCode::kNotFound, "no_such_attachment", "no such file");
    return FileResponse(*file);
  });
}

// ---- directory ------------------------------------------------------------------------

DirectoryQuery ReadDirectoryQuery(Context& c, const char* kind_param) {
  DirectoryQuery q;
  auto param = [&](const char* name) {
    std::string value = c.request().QueryParam(name).value_or("");
    if (!IsValidUtf8(value) || value.size() > 200) {
      Fail(ErrorCode::kInvalidArgument, "invalid_query", fmt::format("{}: at most 200 bytes of UTF-8", name), name);
    }
    return value;
  };
  q.text = param("q");
  q.kind = param(kind_param);
  q.service = param("service");
  q.organization = param("organization");
  return q;
}

Response OrganizationsRoute(store::Database& db, Context& c) {
  DirectoryQuery q = ReadDirectoryQuery(c, "kind");
  return db.Read([&](store::Session& s) { return Response::Json(200, {{"organizations", SearchOrganizations(s, q)}}); });
}

Response OrganizationRoute(store::Database& db, Context& c) {
  std::string code = c.Param("code");
  return db.Read([&](store::Session& s) { return Response::Json(200, OrganizationJson(s, code)); });
}

Response UpdateOrganizationRoute(store::Database& db, Context& c) {
  std::string code = c.Param("code");
  json body = c.JsonBody();
  return db.Write([&](store::Session& s) {
    UpdateOrganization(s, c.principal().tenant_id, code, body);
    audit::Entry entry = auth::EntryFor(c.principal(), Action::kDirectoryWrite, c.request_id());
    entry.detail = "organization=" + code;
    audit::Append(s, entry);
    return Response::Json(200, OrganizationJson(s, code));
  });
}

Response ProfessionalsRoute(store::Database& db, Context& c) {
  DirectoryQuery q = ReadDirectoryQuery(c, "role");
  return db.Read([&](store::Session& s) { return Response::Json(200, {{"professionals", SearchProfessionals(s, q)}}); });
}

}  // namespace

void PublishPost(http::EventHub& events, std::int64_t person_id, const PostResult& result) {
  std::string data = json{{"person", person_id}, {"post", result.post_id}}.dump();
  for (std::int64_t user : result.notify_users) events.Publish({"carenet.post", data, std::nullopt, user, {}});
}

void AddRoutes(http::Router& router, store::Database& db, http::EventHub& events, store::GroupCommit& commits) {
  InstallRelations();
  LinkWatchAlerts();
  auto deps = std::make_shared<Deps>(Deps{db, events, commits});
  auto add = [&](const char* method, std::string path, Action action, auto handler, std::size_t max_body = 0) {
    router.Add(method, std::move(path), Access::Requires(action), [deps, handler](Context& c) { return handler(*deps, c); },
               max_body);
  };
  const std::string p = "/api/v1/carenet/patients";
  add("GET", p, Action::kCarenetPatientList, [](Deps& d, Context& c) { return ListPatientsRoute(d.db, d.commits, c); });
  add("POST", p, Action::kCarenetPatientRegister, [](Deps& d, Context& c) { return RegisterRoute(d.db, c); });
  add("GET", "/api/v1/carenet/candidates", Action::kCarenetPatientRegister,
      [](Deps& d, Context& c) { return CandidatesRoute(d.db, c); });
  add("GET", p + "/{id}", Action::kCarenetRead, [](Deps& d, Context& c) { return ReadPatientRoute(d.db, d.commits, c); });
  add("POST", p + "/{id}/deregister", Action::kCareTeamManage, [](Deps& d, Context& c) { return DeregisterRoute(d.db, c); });
  add("GET", p + "/{id}/consents", Action::kCarenetRead, [](Deps& d, Context& c) { return ConsentsRoute(d.db, d.commits, c); });
  add("POST", p + "/{id}/consents", Action::kCarenetWrite, [](Deps& d, Context& c) { return RecordConsentRoute(d.db, c); });
  add("POST", p + "/{id}/consents/withdraw", Action::kCarenetWrite,
      [](Deps& d, Context& c) { return WithdrawConsentRoute(d.db, c); });
  add("GET", p + "/{id}/summary", Action::kCarenetRead, [](Deps& d, Context& c) { return SummaryRoute(d.db, d.commits, c); });
  add("GET", p + "/{id}/summary/history", Action::kCarenetRead,
      [](Deps& d, Context& c) { return SummaryHistoryRoute(d.db, d.commits, c); });
  add("POST", p + "/{id}/summary/{section}", Action::kCarenetWrite, [](Deps& d, Context& c) { return AddEntryRoute(d.db, c); });
  add("PUT", p + "/{id}/summary/{section}/{entry}", Action::kCarenetWrite,
      [](Deps& d, Context& c) { return ReviseEntryRoute(d.db, c); });
  add("DELETE", p + "/{id}/summary/{section}/{entry}", Action::kCarenetWrite,
      [](Deps& d, Context& c) { return RemoveEntryRoute(d.db, c); });
  add("GET", p + "/{id}/team", Action::kCarenetRead, [](Deps& d, Context& c) { return TeamRoute(d.db, d.commits, c); });
  add("POST", p + "/{id}/team", Action::kCareTeamManage, [](Deps& d, Context& c) { return InviteRoute(d.db, d.events, c); });
  add("POST", p + "/{id}/team/accept", Action::kCareTeamAnswer, [](Deps& d, Context& c) { return AnswerRoute(d.db, c, true); });
  add("POST", p + "/{id}/team/decline", Action::kCareTeamAnswer,
      [](Deps& d, Context& c) { return AnswerRoute(d.db, c, false); });
  add("POST", p + "/{id}/team/lead", Action::kCareTeamManage, [](Deps& d, Context& c) { return LeadRoute(d.db, c); });
  add("DELETE", p + "/{id}/team/{user}", Action::kCarenetTimeline,
      [](Deps& d, Context& c) { return RemoveMemberRoute(d.db, c); });
  add("GET", p + "/{id}/timeline", Action::kCarenetTimeline, [](Deps& d, Context& c) { return TimelineRoute(d.db, d.commits, c); });
  add("POST", p + "/{id}/timeline", Action::kCarenetTimeline, [](Deps& d, Context& c) { return AddPostRoute(d.db, d.events, c); },
      kMaxFileBodyBytes);
  add("POST", p + "/{id}/timeline/read", Action::kCarenetTimeline, [](Deps& d, Context& c) { return MarkReadRoute(d.db, c); });
  add("PUT", p + "/{id}/timeline/{post}", Action::kCarenetTimeline, [](Deps& d, Context& c) { return EditPostRoute(d.db, c); });
  add("GET", p + "/{id}/timeline/{post}/history", Action::kCarenetTimeline,
      [](Deps& d, Context& c) { return PostHistoryRoute(d.db, d.commits, c); });
  add("POST", p + "/{id}/timeline/{post}/comments", Action::kCarenetTimeline,
      [](Deps& d, Context& c) { return CommentRoute(d.db, d.events, c); });
  add("GET", p + "/{id}/attachments/{attachment}", Action::kCarenetTimeline,
      [](Deps& d, Context& c) { return PatientAttachmentRoute(d.db, d.commits, c); });
  add("GET", "/api/v1/carenet/invitations", Action::kCarenetPatientList,
      [](Deps& d, Context& c) { return InvitationsRoute(d.db, c); });
  add("GET", "/api/v1/carenet/unread", Action::kCarenetPatientList, [](Deps& d, Context& c) { return UnreadRoute(d.db, c); });

  const std::string b = "/api/v1/carenet/boards";
  add("GET", b, Action::kCarenetBoard, [](Deps& d, Context& c) { return ListBoardsRoute(d.db, c); });
  add("POST", b, Action::kCarenetBoard, [](Deps& d, Context& c) { return CreateBoardRoute(d.db, c); });
  add("GET", b + "/{board}", Action::kCarenetBoard, [](Deps& d, Context& c) { return BoardRoute(d.db, c); });
  add("POST", b + "/{board}/members", Action::kCarenetBoard, [](Deps& d, Context& c) { return AddBoardMemberRoute(d.db, c); });
  add("DELETE", b + "/{board}/members/{user}", Action::kCarenetBoard,
      [](Deps& d, Context& c) { return RemoveBoardMemberRoute(d.db, c); });
  add("POST", b + "/{board}/threads", Action::kCarenetBoard, [](Deps& d, Context& c) { return CreateThreadRoute(d.db, c); },
      kMaxFileBodyBytes);
  add("GET", b + "/{board}/threads/{thread}", Action::kCarenetBoard, [](Deps& d, Context& c) { return ThreadRoute(d.db, c); });
  add("POST", b + "/{board}/threads/{thread}/posts", Action::kCarenetBoard,
      [](Deps& d, Context& c) { return AddBoardPostRoute(d.db, c); }, kMaxFileBodyBytes);
  add("GET", b + "/{board}/attachments/{attachment}", Action::kCarenetBoard,
      [](Deps& d, Context& c) { return BoardAttachmentRoute(d.db, c); });

  add("GET", "/api/v1/directory/organizations", Action::kDirectoryRead,
      [](Deps& d, Context& c) { return OrganizationsRoute(d.db, c); });
  add("GET", "/api/v1/directory/organizations/{code}", Action::kDirectoryRead,
      [](Deps& d, Context& c) { return OrganizationRoute(d.db, c); });
  add("PUT", "/api/v1/directory/organizations/{code}", Action::kDirectoryWrite,
      [](Deps& d, Context& c) { return UpdateOrganizationRoute(d.db, c); });
  add("GET", "/api/v1/directory/professionals", Action::kDirectoryRead,
      [](Deps& d, Context& c) { return ProfessionalsRoute(d.db, c); });
}

}  // namespace moyakko::carenet
