// The text rules every part shares on any valid UTF-8: the search key (NFKC, kana folded)
// is stable when applied twice, and a string written as JSON by hand reads back the same.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/text.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  if (!moyakko::IsValidUtf8(text)) return 0;
  std::string key = moyakko::SearchKey(text);
  if (!moyakko::IsValidUtf8(key) || moyakko::SearchKey(key) != key) __builtin_trap();
  std::string written;
  moyakko::AppendJsonString(written, text);
  if (nlohmann::json::parse(written).get<std::string>() != text) __builtin_trap();
  std::string trimmed = moyakko::Trim(text);
  if (trimmed.size() > text.size()) __builtin_trap();
  return 0;
}
