#include "http/router.h"

#include <spdlog/spdlog.h>

#include <charconv>

#include "audit/audit_log.h"
#include "auth/guard.h"
#include "common/crypto.h"
#include "common/error.h"
#include "http/json_body.h"

namespace moyakko::http {
namespace {

std::vector<std::string> Split(std::string_view path) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    if (end > start) parts.emplace_back(path.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

bool Matches(const Route& route, const std::vector<std::string>& parts,
             std::map<std::string, std::string>& params) {
  if (route.segments.size() != parts.size()) return false;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const std::string& segment = route.segments[i];
    if (segment.size() > 2 && segment.front() == '{' && segment.back() == '}') {
      params[segment.substr(1, segment.size() - 2)] = parts[i];
    } else if (segment != parts[i]) {
      return false;
    }
  }
  return true;
}

bool ChangesState(const std::string& method) {
  return method != "GET" && method != "HEAD" && method != "OPTIONS";
}

}  // namespace

std::int64_t Context::IdParam(const std::string& name) const {
  const std::string& text = Param(name);
  std::int64_t id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size() || id <= 0) {
    Fail(ErrorCode::kNotFound, "not_found", "no such resource");
  }
  return id;
}

nlohmann::json Context::JsonBody(std::size_t max_string_bytes) const {
  return ParseJsonObject(request_.body, max_string_bytes);
}

Router::Router(auth::AuthService& auth, store::Database& db, RouterOptions options)
    : auth_(auth), db_(db), options_(options),
      cookie_name_(options.secure_cookies ? "__Host-moyakko_session" : "moyakko_session") {}

std::size_t Router::MaxBodyFor(const std::string& method, const std::string& path) const {
  std::vector<std::string> parts = Split(path);
  for (const Route& route : routes_) {
    std::map<std::string, std::string> params;
    if (route.method == method && Matches(route, parts, params)) return route.max_body;
  }
  return 0;
}

void Router::Add(std::string method, std::string pattern, Access access, Handler handler, std::size_t max_body) {
  Route route{std::move(method), std::move(pattern), std::move(access), std::move(handler), {}, max_body};
  route.segments = Split(route.pattern);
  routes_.push_back(std::move(route));
}

std::string Router::SessionCookie(const std::string& token) const {
  return cookie_name_ + "=" + token + "; Path=/; HttpOnly; SameSite=Strict" +
         (options_.secure_cookies ? "; Secure" : "");
}

std::string Router::ClearedSessionCookie() const {
  return cookie_name_ + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0" +
         (options_.secure_cookies ? "; Secure" : "");
}

void Router::RenderErrorsUnder(std::string prefix, ErrorRenderer renderer) {
  renderers_.emplace_back(std::move(prefix), std::move(renderer));
}

Response Router::Render(const Error& error, const Request& request) const {
  for (const auto& [prefix, renderer] : renderers_) {
    if (request.path.starts_with(prefix)) return renderer(error, request.request_id);
  }
  return ErrorResponse(error, request.request_id);
}

// A session cookie (the browser: `ambient`, so state changes need the CSRF header), or a
// bearer access token of a system client, which a browser never sends by itself.
std::optional<auth::Principal> Router::Authenticate(const Request& request, bool& ambient) const {
  constexpr std::string_view kBearer = "Bearer ";
  std::string_view authorization = request.Header("authorization");
  ambient = !authorization.starts_with(kBearer);
  if (!ambient) return auth_.AuthenticateAccessToken(authorization.substr(kBearer.size()));
  if (auto token = request.Cookie(cookie_name_)) return auth_.Authenticate(*token);
  return std::nullopt;
}

Response Router::Guarded(const Route& route, const Request& request,
                         std::map<std::string, std::string> params) const {
  if (route.access.is_public) {
    Context context(request, std::nullopt, std::move(params));
    return route.handler(context);
  }
  bool ambient = true;
  std::optional<auth::Principal> principal = Authenticate(request, ambient);
  if (!principal) Fail(ErrorCode::kUnauthenticated, "unauthenticated", "log in first");
  // Every refusal of a known user is audited: the policy's, a missing CSRF token (a forged
  // request is an attack to see), and a 403 by a rule of the thing itself (only a record's
  // author edits it) — an attempt on someone else's data either way.
  auto denial = [&](const std::string& reason) {
    audit::Entry entry = auth::EntryFor(*principal, route.access.action, request.request_id);
    entry.outcome = audit::Outcome::kDenied;
    entry.reason = reason;
    return entry;
  };
  if (ambient && ChangesState(request.method) &&
      !ConstantTimeEquals(request.Header("x-csrf-token"), principal->csrf_token)) {
    throw auth::AccessDenied(denial("csrf"),
                             Error{ErrorCode::kForbidden, "csrf", "missing or wrong X-CSRF-Token header", {}, {}});
  }
  auth::Decision decision = auth::Decide(*principal, route.access.action);
  if (!decision.allowed) throw auth::AccessDenied(denial(decision.reason));
  Context context(request, principal, std::move(params));
  try {
    return route.handler(context);
  } catch (const auth::AccessDenied&) {
    throw;
  } catch (const Failure& f) {
    if (f.error().code != ErrorCode::kForbidden) throw;
    throw auth::AccessDenied(denial(f.error().slug), f.error());
  }
}

Response Router::Dispatch(const Request& request) const {
  try {
    std::vector<std::string> parts = Split(request.path);
    std::string allowed;
    for (const Route& route : routes_) {
      std::map<std::string, std::string> params;
      if (!Matches(route, parts, params)) continue;
      allowed += (allowed.empty() ? "" : ", ") + route.method;
      if (route.method == request.method || (request.method == "HEAD" && route.method == "GET")) {
        return Guarded(route, request, std::move(params));
      }
    }
    if (!allowed.empty()) {
      Response response =
          Render(Error{ErrorCode::kInvalidArgument, "method_not_allowed", "method not allowed"}, request);
      response.status = 405;
      response.headers.emplace_back("Allow", allowed);
      return response;
    }
    bool api = request.path.starts_with("/api/") || request.path == "/api";
    if (!api && fallback_ && (request.method == "GET" || request.method == "HEAD")) {
      Context context(request, std::nullopt, {});
      return fallback_(context);
    }
    Fail(ErrorCode::kNotFound, "not_found", "no such resource");
  } catch (const auth::AccessDenied& denied) {
    try {
      audit::AppendNow(db_, denied.entry());
    } catch (const Failure& f) {
      return Render(f.error(), request);  // cannot record the denial: 503
    }
    return Render(denied.error(), request);
  } catch (const Failure& f) {
    return Render(f.error(), request);
  } catch (const std::exception& e) {
    return Render(Error{ErrorCode::kInternal, "internal", "internal error", {}, e.what()}, request);
  }
}

Response ErrorResponse(const std::exception& exception, const std::string& request_id) {
  if (const auto* failure = dynamic_cast<const Failure*>(&exception)) return ErrorResponse(failure->error(), request_id);
  return ErrorResponse(Error{ErrorCode::kInternal, "internal", "internal error", {}, exception.what()}, request_id);
}

Response ErrorResponse(const Error& error, const std::string& request_id) {
  int status = HttpStatus(error.code);
  if (status >= 500) {
    spdlog::warn("request {} failed: {} {} {}", request_id, status, error.slug, error.internal);
  }
  nlohmann::json body = {{"error", {{"code", error.slug}, {"message", error.message}}}};
  if (!error.field.empty()) body["error"]["field"] = error.field;
  body["error"]["request_id"] = request_id;
  Response response = Response::Json(status, body);
  if (status == 503) response.headers.emplace_back("Retry-After", "5");
  return response;
}

void AddSecurityHeaders(Response& response, const RouterOptions& options) {
  auto& h = response.headers;
  std::string img = options.img_source.empty() ? "" : " " + options.img_source;
  h.emplace_back("Content-Security-Policy",
                 "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:" + img + "; "
                 "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
                 "form-action 'self'; frame-ancestors 'none'");
  h.emplace_back("X-Content-Type-Options", "nosniff");
  h.emplace_back("X-Frame-Options", "DENY");
  h.emplace_back("Referrer-Policy", "no-referrer");
  h.emplace_back("Cross-Origin-Opener-Policy", "same-origin");
  h.emplace_back("Permissions-Policy", "camera=(), microphone=(), geolocation=(self)");
  if (options.secure_cookies) h.emplace_back("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
}

}  // namespace moyakko::http
