#include "http/json_body.h"

#include <fmt/format.h>

#include "common/error.h"
#include "common/text.h"

namespace moyakko::http {
namespace {

constexpr int kMaxDepth = 32;

}  // namespace

nlohmann::json ParseJsonObject(std::string_view body, std::size_t max_string_bytes) {
  if (!IsValidUtf8(body)) Fail(ErrorCode::kInvalidArgument, "invalid_utf8", "the body is not valid UTF-8");
  nlohmann::json::parser_callback_t limits = [max_string_bytes](int depth, nlohmann::json::parse_event_t event,
                                                nlohmann::json& value) {
    if (depth > kMaxDepth) {
      Fail(ErrorCode::kInvalidArgument, "too_deep", fmt::format("JSON nests deeper than {} levels", kMaxDepth));
    }
    if ((event == nlohmann::json::parse_event_t::value || event == nlohmann::json::parse_event_t::key) &&
        value.is_string() && value.get_ref<const std::string&>().size() > max_string_bytes) {
      Fail(ErrorCode::kInvalidArgument, "string_too_long",
           fmt::format("a string in the body is longer than {} KiB", max_string_bytes / 1024));
    }
    return true;
  };
  nlohmann::json parsed;
  try {
    parsed = nlohmann::json::parse(body, limits);
  } catch (const nlohmann::json::parse_error& e) {
    Fail(ErrorCode::kInvalidArgument, "invalid_json",
         fmt::format("malformed JSON at byte {}", e.byte));
  } catch (const nlohmann::json::out_of_range&) {
    // A number beyond a double (1e999) is not a parse error to the parser, but to us it is.
    Fail(ErrorCode::kInvalidArgument, "invalid_json", "a number in the body is out of range");
  }
  if (!parsed.is_object()) Fail(ErrorCode::kInvalidArgument, "expected_object", "the body must be a JSON object");
  return parsed;
}

std::optional<std::string> OptionalString(const nlohmann::json& object, std::string_view field,
                                          std::size_t max_chars) {
  auto it = object.find(field);
  if (it == object.end() || it->is_null()) return std::nullopt;
  if (!it->is_string()) {
    Fail(ErrorCode::kInvalidArgument, "invalid_type", fmt::format("{} must be a string", field), std::string(field));
  }
  const std::string& value = it->get_ref<const std::string&>();
  if (Utf8Length(value) > max_chars) {
    Fail(ErrorCode::kInvalidArgument, "too_long", fmt::format("{} is longer than {} characters", field, max_chars),
         std::string(field));
  }
  return value;
}

std::string RequiredString(const nlohmann::json& object, std::string_view field, std::size_t max_chars) {
  auto value = OptionalString(object, field, max_chars);
  if (!value) Fail(ErrorCode::kInvalidArgument, "missing", fmt::format("{} is required", field), std::string(field));
  return *value;
}

std::string RequiredText(const nlohmann::json& object, std::string_view field, std::size_t max_chars) {
  std::string text = RequiredString(object, field, max_chars);
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
    Fail(ErrorCode::kInvalidArgument, "missing", fmt::format("{} is required", field), std::string(field));
  }
  return text;
}

std::int64_t RequiredInt(const nlohmann::json& object, std::string_view field) {
  auto it = object.find(field);
  if (it == object.end() || !it->is_number_integer()) {
    Fail(ErrorCode::kInvalidArgument, "invalid_type", fmt::format("{} must be an integer", field), std::string(field));
  }
  return it->get<std::int64_t>();
}

}  // namespace moyakko::http
