#pragma once
// The server's own request and response types: plain data, so routes and tests need no
// Beast headers.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace moyakko::http {

struct Request {
  std::string method;  // "GET", "POST", …
  std::string target;  // path and query as received
  std::string path;    // percent-decoded path
  std::string query;   // raw query string, without '?'
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;
  std::string remote_ip;
  std::string request_id;

  std::string_view Header(std::string_view lower_name) const;
  std::optional<std::string> Cookie(std::string_view name) const;
  // Decoded value of one query parameter (the first one of that name).
  std::optional<std::string> QueryParam(std::string_view name) const;
  // An integer query parameter; nullopt when absent or empty, Failure 400 naming it when it
  // is not a whole number ("12abc" included).
  std::optional<std::int64_t> IntParam(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  bool event_stream = false;  // the connection becomes a server-sent event stream …
  std::int64_t stream_tenant_id = 0;  // … carrying this tenant's events
  std::int64_t stream_user_id = 0;    // … and this user's …
  std::string stream_role;            // … and those for this role …
  std::function<bool()> stream_still_allowed;  // … while this holds (checked every 15 s)

  static Response Json(int status, const nlohmann::json& body);
  static Response NoContent();
  static Response EventStream(std::int64_t tenant_id, std::int64_t user_id, std::string role);
};

std::string PercentDecode(std::string_view text, bool plus_is_space);
// Every byte but the unreserved characters (RFC 3986) as %XX, for a query value.
std::string PercentEncode(std::string_view text);
// The decoded name=value pairs of a query string or an application/x-www-form-urlencoded
// body, in order, repeated names kept.
std::vector<std::pair<std::string, std::string>> ParseForm(std::string_view text);

}  // namespace moyakko::http
