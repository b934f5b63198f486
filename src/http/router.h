#pragma once
// Routes and the request pipeline. A route cannot be registered without saying how it is
// guarded: Access::Public(why) for the handful that must work without a session (login,
// health, static files), or Access::Requires(action), which makes the router authenticate
// the session, check the CSRF token on state-changing methods, and ask the policy point
// before the handler runs. Denials are audited. Handlers that touch one person's data then
// call auth::RequirePerson.
//
// Dispatch is the one error boundary: Failure → its status and
// {"error":{"code","message","field"}}, anything else → 500 with nothing internal exposed.
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "auth/policy.h"
#include "auth/service.h"
#include "common/error.h"
#include "http/json_body.h"
#include "http/message.h"
#include "store/database.h"

namespace moyakko::http {

struct Access {
  bool is_public = false;
  auth::Action action = auth::Action::kSessionRead;
  std::string why_public;

  static Access Public(std::string why) { return {true, auth::Action::kSessionRead, std::move(why)}; }
  static Access Requires(auth::Action action) { return {false, action, {}}; }
};

class Context {
 public:
  Context(const Request& request, std::optional<auth::Principal> principal,
          std::map<std::string, std::string> params)
      : request_(request), principal_(std::move(principal)), params_(std::move(params)) {}
  const Request& request() const { return request_; }
  // Only for routes with Access::Requires; Public routes have no principal.
  const auth::Principal& principal() const { return *principal_; }
  bool has_principal() const { return principal_.has_value(); }
  const std::string& request_id() const { return request_.request_id; }
  // A path parameter, "{id}" in the pattern.
  const std::string& Param(const std::string& name) const { return params_.at(name); }
  // A path parameter that must be a positive integer (else 404).
  std::int64_t IdParam(const std::string& name) const;
  // The body as a JSON object, strings up to `max_string_bytes` (json_body.h).
  nlohmann::json JsonBody(std::size_t max_string_bytes = kMaxJsonStringBytes) const;

 private:
  const Request& request_;
  std::optional<auth::Principal> principal_;
  std::map<std::string, std::string> params_;
};

using Handler = std::function<Response(Context&)>;
// Turns an error into the response body a family of routes speaks (FHIR: an OperationOutcome).
using ErrorRenderer = std::function<Response(const Error&, const std::string& request_id)>;

struct Route {
  std::string method;
  std::string pattern;
  Access access;
  Handler handler;
  std::vector<std::string> segments;
  std::size_t max_body = 0;  // 0: the server's default
};

struct RouterOptions {
  bool secure_cookies = false;  // served over TLS: Secure, __Host- prefix, HSTS
  std::string img_source;       // one more CSP img-src source (the map tiles' origin), or ""
};

class Router {
 public:
  Router(auth::AuthService& auth, store::Database& db, RouterOptions options);

  void Add(std::string method, std::string pattern, Access access, Handler handler, std::size_t max_body = 0);
  // The body limit of the route `method` `path` would reach; 0 when it has none of its own.
  std::size_t MaxBodyFor(const std::string& method, const std::string& path) const;
  // Errors of requests whose path starts with `prefix` are rendered by `renderer` instead of
  // {"error":{…}}; the pipeline (authentication, policy, audit of denials) is unchanged.
  void RenderErrorsUnder(std::string prefix, ErrorRenderer renderer);
  // Fallback for GETs outside /api (the web UI); public.
  void SetFallback(Handler handler) { fallback_ = std::move(handler); }
  const std::vector<Route>& routes() const { return routes_; }

  Response Dispatch(const Request& request) const;

  const std::string& session_cookie_name() const { return cookie_name_; }
  std::string SessionCookie(const std::string& token) const;
  std::string ClearedSessionCookie() const;
  const RouterOptions& options() const { return options_; }

 private:
  Response Guarded(const Route& route, const Request& request,
                   std::map<std::string, std::string> params) const;
  std::optional<auth::Principal> Authenticate(const Request& request, bool& ambient) const;
  Response Render(const Error& error, const Request& request) const;

  auth::AuthService& auth_;
  store::Database& db_;
  RouterOptions options_;
  std::string cookie_name_;
  std::vector<Route> routes_;
  Handler fallback_;
  std::vector<std::pair<std::string, ErrorRenderer>> renderers_;
};

// The JSON error body for `error`; logs error.internal, never returns it.
Response ErrorResponse(const Error& error, const std::string& request_id);
// The same for an exception: a Failure's own error, anything else 500 with nothing exposed.
Response ErrorResponse(const std::exception& exception, const std::string& request_id);
// Security headers added to every response.
void AddSecurityHeaders(Response& response, const RouterOptions& options);

// For a feature whose handlers share one set of dependencies: returns
// add(method, pattern, action, handler) registering handler(deps, context) behind `action`.
template <class Deps>
auto RouteAdder(Router& router, std::shared_ptr<Deps> deps) {
  return [&router, deps](const char* method, std::string pattern, auth::Action action,
                         Response (*handler)(Deps&, Context&)) {
    router.Add(method, std::move(pattern), Access::Requires(action),
               [deps, handler](Context& c) { return handler(*deps, c); });
  };
}

}  // namespace moyakko::http
