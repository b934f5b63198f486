#include "http/message.h"

#include <fmt/format.h>

#include <cctype>
#include <charconv>

#include "common/error.h"

namespace moyakko::http {

std::string_view Request::Header(std::string_view lower_name) const {
  for (const auto& [name, value] : headers) {
    if (name == lower_name) return value;
  }
  return {};
}

std::optional<std::string> Request::Cookie(std::string_view wanted) const {
  std::string_view cookies = Header("cookie");
  while (!cookies.empty()) {
    std::size_t end = cookies.find(';');
    std::string_view pair = cookies.substr(0, end);
    cookies = end == std::string_view::npos ? std::string_view{} : cookies.substr(end + 1);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    std::size_t eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == wanted) {
      return std::string(pair.substr(eq + 1));
    }
  }
  return std::nullopt;
}

std::string PercentEncode(std::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> ParseForm(std::string_view text) {
  std::vector<std::pair<std::string, std::string>> pairs;
  while (!text.empty()) {
    std::size_t end = text.find('&');
    std::string_view pair = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    if (pair.empty()) continue;
    std::size_t eq = pair.find('=');
    pairs.emplace_back(PercentDecode(pair.substr(0, eq), true),
                       eq == std::string_view::npos ? std::string() : PercentDecode(pair.substr(eq + 1), true));
  }
  return pairs;
}

std::optional<std::string> Request::QueryParam(std::string_view wanted) const {
  for (auto& [name, value] : ParseForm(query)) {
    if (name == wanted) return std::move(value);
  }
  return std::nullopt;
}

std::optional<std::int64_t> Request::IntParam(std::string_view name) const {
  auto text = QueryParam(name);
  if (!text || text->empty()) return std::nullopt;
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc() || end != text->data() + text->size()) {
    Fail(ErrorCode::kInvalidArgument, "invalid_number", std::string(name) + " must be a whole number",
         std::string(name));
  }
  return value;
}

Response Response::Json(int status, const nlohmann::json& body) {
  Response response;
  response.status = status;
  response.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return response;
}

Response Response::NoContent() {
  Response response;
  response.status = 204;
  response.content_type.clear();
  return response;
}

Response Response::EventStream(std::int64_t tenant_id, std::int64_t user_id, std::string role) {
  Response response;
  response.stream_role = std::move(role);
  response.stream_tenant_id = tenant_id;
  response.stream_user_id = user_id;
  response.content_type = "text/event-stream";
  response.event_stream = true;
  return response;
}

std::string PercentDecode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%' && i + 2 < text.size() && hex(text[i + 1]) >= 0 && hex(text[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex(text[i + 1]) * 16 + hex(text[i + 2])));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace moyakko::http
