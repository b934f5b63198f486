#pragma once
// Text rules shared by every part: UTF-8 validation at the edge, and the search key that
// makes "ｽｽﾞｷ", "スズキ", "すずき" and "鈴木 " comparable (NFKC, katakana folded to
// hiragana, lower case, spaces removed).
#include <string>
#include <string_view>

namespace moyakko {

bool IsValidUtf8(std::string_view text);
// Number of code points; assumes valid UTF-8.
std::size_t Utf8Length(std::string_view text);
// NFKC + katakana→hiragana + lower case, with all white space removed.
std::string SearchKey(std::string_view text);
// Without ASCII white space (space, tab, CR, LF) at either end.
std::string Trim(std::string_view text);
// Appends `text` (valid UTF-8) as a quoted JSON string: for large answers written by hand
// instead of through a JSON tree.
void AppendJsonString(std::string& out, std::string_view text);

}  // namespace moyakko
