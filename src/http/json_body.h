#pragma once
// Reading JSON from clients, with the limits every endpoint shares: valid UTF-8, nesting at
// most 32 deep, strings at most 64 KiB; anything else is a 400 that names the position or
// the field. Body size is capped earlier, by the server (413).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace moyakko::http {

// Throws Failure 400: invalid_utf8, invalid_json (message gives the byte offset),
// too_deep, string_too_long, or expected_object.
inline constexpr std::size_t kMaxJsonStringBytes = 64 * 1024;
// Routes that take files as base64 strings pass a larger `max_string_bytes`.
nlohmann::json ParseJsonObject(std::string_view body, std::size_t max_string_bytes = kMaxJsonStringBytes);

// Field readers: throw Failure 400 naming `field` when it is missing (Required…), of the
// wrong type, or longer than max_chars code points.
std::string RequiredString(const nlohmann::json& object, std::string_view field, std::size_t max_chars);
std::optional<std::string> OptionalString(const nlohmann::json& object, std::string_view field,
                                          std::size_t max_chars);
// RequiredString that is also not only white space (400 missing).
std::string RequiredText(const nlohmann::json& object, std::string_view field, std::size_t max_chars);
std::int64_t RequiredInt(const nlohmann::json& object, std::string_view field);

}  // namespace moyakko::http
