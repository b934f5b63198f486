#include "app/platform_routes.h"

#include <fmt/format.h>

#include "audit/audit_log.h"
#include "auth/guard.h"
#include "auth/totp.h"
#include "common/error.h"
#include "demo/demo_town.h"
#include "http/json_body.h"

namespace moyakko::app {
namespace {

using auth::Action;
using http::Access;
using http::Context;
using http::Response;
using nlohmann::json;

json UserJson(const auth::UserView& u) {
  auth::Principal as_user;
  as_user.role = u.role;
  as_user.tenant_id = u.tenant_id;
  as_user.organization_kind = u.organization_kind;
  as_user.enrolment_only = !u.totp_enrolled;
  json j = {{"id", u.id},
            {"username", u.username},
            {"display_name", u.display_name},
            {"display_kana", u.display_kana},
            {"role", auth::ToString(u.role)},
            {"tenant", {{"code", u.tenant_code}, {"name", u.tenant_name}}},
            {"organization", nullptr},
            {"totp_enrolled", u.totp_enrolled},
            {"permissions", auth::Permissions(as_user)},
            {"disabled", u.disabled},
            {"locked_until", u.locked_until ? json(FormatRfc3339(*u.locked_until)) : json(nullptr)}};
  if (u.organization_id) {
    j["organization"] = {{"code", u.organization_code}, {"name", u.organization_name}, {"kind", u.organization_kind}};
  }
  return j;
}

Response SessionResponse(const http::Router& router, const auth::LoginResult& result) {
  json body = {{"user", UserJson(result.user)}, {"csrf_token", result.principal.csrf_token}};
  if (result.enrolment_required) body["enrolment_required"] = true;
  Response response = Response::Json(200, body);
  response.headers.emplace_back("Set-Cookie", router.SessionCookie(result.session_token));
  return response;
}

std::optional<UnixMillis> ParseDay(const std::optional<std::string>& day, const char* field) {
  if (!day || day->empty()) return std::nullopt;
  std::tm tm{};
  if (day->size() != 10 || !strptime(day->c_str(), "%Y-%m-%d", &tm)) {
    Fail(ErrorCode::kInvalidArgument, "invalid_date", fmt::format("{}: YYYY-MM-DD", field), field);
  }
  // Days are read in Japan time, the tenants' zone (UTC+9, no daylight saving).
  return (static_cast<UnixMillis>(timegm(&tm)) - 9 * 3600) * 1000;
}

json AuditJson(const audit::Entry& e) {
  return {{"id", e.seq},
          {"at", FormatRfc3339(e.at)},
          {"actor", e.actor_user_id ? json{{"id", *e.actor_user_id}, {"username", e.actor_username}, {"role", e.actor_role}}
                                    : json{{"id", nullptr}, {"username", e.actor_username}, {"role", e.actor_role}}},
          {"tenant", e.tenant_code},
          {"action", e.action},
          {"person", e.person_id ? json(*e.person_id) : json(nullptr)},
          {"outcome", audit::ToString(e.outcome)},
          {"reason", e.reason},
          {"request_id", e.request_id},
          {"detail", e.detail}};
}

}  // namespace

void AddPlatformRoutes(http::Router& router, PlatformDeps d) {
  router.Add("GET", "/healthz", Access::Public("load balancers probe without a session"), [d](Context&) {
    try {
      d.db.Read([](store::Session& s) { s.Query("SELECT 1"); });
    } catch (const Failure&) {
      Response response = Response::Json(503, {{"status", "unavailable"}, {"database", "unreachable"}});
      response.headers.emplace_back("Retry-After", "5");
      return response;
    }
    return Response::Json(200, {{"status", "ok"}});
  });

  router.Add("GET", "/metrics", Access::Public("Prometheus scrapes without a session; counters only"),
             [d](Context&) {
               Response response;
               response.content_type = "text/plain; version=0.0.4";
               response.body = d.metrics.Render({d.events.open_streams(), d.database_conflicts()});
               return response;
             });

  router.Add("POST", "/api/v1/auth/login", Access::Public("logging in creates the session"),
             [d, &router](Context& c) {
               json body = c.JsonBody();
               auth::LoginAttempt attempt{http::RequiredString(body, "username", 64),
                                          http::RequiredString(body, "password", 256),
                                          http::OptionalString(body, "otp", 16).value_or(""),
                                          c.request().remote_ip, c.request_id()};
               return SessionResponse(router, d.auth.Login(attempt));
             });

  router.Add("POST", "/api/v1/auth/logout", Access::Requires(Action::kOwnSession), [d, &router](Context& c) {
    d.auth.Logout(c.principal(), c.request_id());
    Response response = Response::NoContent();
    response.headers.emplace_back("Set-Cookie", router.ClearedSessionCookie());
    return response;
  });

  router.Add("GET", "/api/v1/auth/session", Access::Requires(Action::kOwnSession), [d](Context& c) {
    json body = {{"user", UserJson(d.auth.LoadUser(c.principal().user_id))},
                 {"csrf_token", c.principal().csrf_token}};
    if (c.principal().enrolment_only) body["enrolment_required"] = true;
    return Response::Json(200, body);
  });

  router.Add("GET", "/api/v1/auth/totp/enrolment", Access::Requires(Action::kTotpEnrol), [d](Context& c) {
    auth::Enrolment enrolment = d.auth.BeginEnrolment(c.principal());
    return Response::Json(200, {{"secret", enrolment.secret},
                                {"otpauth_uri", enrolment.otpauth_uri},
                                {"qr_svg", auth::QrSvg(enrolment.otpauth_uri)}});
  });

  router.Add("POST", "/api/v1/auth/totp/enrolment", Access::Requires(Action::kTotpEnrol),
             [d, &router](Context& c) {
               json body = c.JsonBody();
               std::string otp = http::RequiredString(body, "otp", 16);
               return SessionResponse(router, d.auth.ConfirmEnrolment(c.principal(), otp, c.request_id()));
             });

  router.Add("GET", "/api/v1/me", Access::Requires(Action::kSessionRead), [d](Context& c) {
    return Response::Json(200, {{"user", UserJson(d.auth.LoadUser(c.principal().user_id))}});
  });

  // Where this user's notifications go: {"email": "…"} or {"email": null} to stop them.
  router.Add("PUT", "/api/v1/me/notifications", Access::Requires(Action::kSessionRead), [d](Context& c) {
    json body = c.JsonBody();
    auto email = http::OptionalString(body, "email", 200);
    if (email && (email->find('@') == std::string::npos || email->find_first_of(" \r\n<>,") != std::string::npos)) {
      Fail(ErrorCode::kInvalidArgument, "invalid_email", "email: one address such as name@example.jp", "email");
    }
    d.db.Write([&](store::Session& s) {
      s.Execute("DELETE FROM notify_preferences WHERE user_id = $1 AND channel = 'email'", {c.principal().user_id});
      if (email) {
        s.Execute("INSERT INTO notify_preferences (user_id, channel, address) VALUES ($1, 'email', $2)",
                  {c.principal().user_id, *email});
      }
      audit::Entry entry = auth::EntryFor(c.principal(), Action::kSessionRead, c.request_id());
      entry.reason = "notification preferences";
      audit::Append(s, entry);
    });
    return Response::Json(200, {{"email", email ? json(*email) : json(nullptr)}});
  });

  router.Add("GET", "/api/v1/events", Access::Requires(Action::kSessionRead), [d, &router](Context& c) {
    Response response = Response::EventStream(c.principal().tenant_id, c.principal().user_id,
                                              std::string(auth::ToString(c.principal().role)));
    // Logout, disabling the user or session expiry ends the stream too.
    std::string token = c.request().Cookie(router.session_cookie_name()).value_or("");
    auth::AuthService& auth = d.auth;
    response.stream_still_allowed = [&auth, token] {
      try {
        return auth.Authenticate(token, /*touch=*/false).has_value();
      } catch (const Failure&) {
        return true;  // database briefly unreachable: keep the stream, check again later
      }
    };
    return response;
  });

  router.Add("GET", "/api/v1/demo/logins", Access::Public("the local demo's login panel; off unless demo on loopback"),
             [d](Context& c) {
               // Only to a browser on this machine talking to us directly, never via a proxy.
               bool local = c.request().remote_ip.starts_with("127.") || c.request().remote_ip == "::1";
               bool proxied = !c.request().Header("x-forwarded-for").empty() || !c.request().Header("forwarded").empty();
               auto logins = d.demo_panel && local && !proxied ? demo::DemoLoginsWithCodes(d.db, d.clock) : std::nullopt;
               if (!logins) Fail(ErrorCode::kNotFound, "not_found", "no such resource");
               for (auto& login : *logins) login.erase("totp_secret");
               return Response::Json(200, {{"logins", *logins}});
             });

  router.Add("GET", "/api/v1/admin/users", Access::Requires(Action::kUserAdmin), [d](Context& c) {
    json users = json::array();
    for (const auto& user : d.auth.ListUsers(c.principal().tenant_id)) users.push_back(UserJson(user));
    return Response::Json(200, {{"users", users}});
  });

  router.Add("POST", "/api/v1/admin/users", Access::Requires(Action::kUserAdmin), [d](Context& c) {
    json body = c.JsonBody();
    auth::NewUser user;
    user.tenant_code = c.principal().tenant_code;
    user.username = http::RequiredString(body, "username", 64);
    user.display_name = http::OptionalString(body, "display_name", 100).value_or("");
    user.display_kana = http::OptionalString(body, "display_kana", 100).value_or("");
    auto role = auth::ParseRole(http::RequiredString(body, "role", 32));
    if (!role) Fail(ErrorCode::kInvalidArgument, "invalid_role", "unknown role", "role");
    user.role = *role;
    user.organization_code = http::OptionalString(body, "organization", 64);
    if (user.organization_code && user.organization_code->empty()) user.organization_code.reset();
    user.password = http::RequiredString(body, "password", 256);
    user.enrolled = false;  // the new user sets up 2FA by QR code at first login
    auth::CreatedUser created = d.auth.AddUser(user, &c.principal(), c.request_id());
    return Response::Json(201, {{"user", UserJson(d.auth.LoadUser(created.id))}});
  });

  router.Add("POST", "/api/v1/admin/users/{id}/disable", Access::Requires(Action::kUserAdmin), [d](Context& c) {
    auth::UserView user = d.auth.LoadUser(c.IdParam("id"));
    if (user.tenant_id != c.principal().tenant_id) Fail(ErrorCode::kNotFound, "not_found", "no such user");
    d.auth.DisableUser(user.username, &c.principal(), c.request_id());
    return Response::Json(200, {{"user", UserJson(d.auth.LoadUser(user.id))}});
  });

  router.Add("POST", "/api/v1/admin/users/{id}/reset-2fa", Access::Requires(Action::kUserAdmin), [d](Context& c) {
    std::int64_t id = c.IdParam("id");
    d.auth.ResetTotp(id, c.principal(), c.request_id());
    return Response::Json(200, {{"user", UserJson(d.auth.LoadUser(id))}});
  });

  router.Add("GET", "/api/v1/admin/audit", Access::Requires(Action::kAuditRead), [d](Context& c) {
    const http::Request& r = c.request();
    audit::Query q;
    q.tenant_code = c.principal().tenant_code;
    q.actor = r.QueryParam("actor");
    if (q.actor && q.actor->empty()) q.actor.reset();
    q.action = r.QueryParam("action");
    if (q.action && q.action->empty()) q.action.reset();
    q.outcome = r.QueryParam("outcome");
    if (q.outcome && q.outcome->empty()) q.outcome.reset();
    q.person_id = r.IntParam("person");
    q.before_seq = r.IntParam("before");
    q.limit = static_cast<int>(std::clamp<std::int64_t>(r.IntParam("limit").value_or(100), 1, 500));
    q.from = ParseDay(r.QueryParam("from"), "from");
    if (auto to = ParseDay(r.QueryParam("to"), "to")) q.to = *to + 24 * 3600 * 1000;
    std::vector<audit::Entry> entries = audit::Search(d.db, q);
    // Reading the audit log is itself audited.
    audit::Entry entry = auth::EntryFor(c.principal(), Action::kAuditRead, c.request_id());
    entry.detail = fmt::format("results={}", entries.size());
    audit::AppendNow(d.db, entry);
    json events = json::array();
    for (const auto& e : entries) events.push_back(AuditJson(e));
    json next = entries.size() == static_cast<std::size_t>(q.limit) ? json(entries.back().seq) : json(nullptr);
    return Response::Json(200, {{"events", events}, {"next_before", next}});
  });
}

}  // namespace moyakko::app
