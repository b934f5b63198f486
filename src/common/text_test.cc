#include "common/text.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace moyakko {
namespace {

TEST(Utf8, AcceptsJapaneseAndRejectsBrokenSequences) {
  EXPECT_TRUE(IsValidUtf8("瀬戸市 もーやっこ"));
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_FALSE(IsValidUtf8("\xff"));
  EXPECT_FALSE(IsValidUtf8("\xe7\x80"));          // truncated 瀬
  EXPECT_FALSE(IsValidUtf8("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));      // UTF-16 surrogate
  EXPECT_FALSE(IsValidUtf8("\xf4\x90\x80\x80"));  // past U+10FFFF
}

TEST(Utf8, CountsCodePoints) { EXPECT_EQ(Utf8Length("瀬戸a"), 3u); }

TEST(JsonString, EscapesWhatJsonRequiresAndKeepsTheRestWhole) {
  std::string out = "x";
  AppendJsonString(out, std::string("瀬戸 \"a\\b\"\n\r\t\x01\x1f end"));
  EXPECT_EQ(out, "x\"瀬戸 \\\"a\\\\b\\\"\\n\\r\\t\\u0001\\u001f end\"");
  EXPECT_EQ(nlohmann::json::parse(out.substr(1)), std::string("瀬戸 \"a\\b\"\n\r\t\x01\x1f end"));
  out.clear();
  AppendJsonString(out, "");
  EXPECT_EQ(out, "\"\"");
}

// Found by fuzzing (tests/fuzz/corpus/text/mark_after_space): a half-width dakuten after
// white space stayed apart from its kana, so the key of the key differed.
TEST(SearchKey, IsItsOwnKey) {
  for (std::string text : {"䭽ｽ\fﾞ$", "ｽ ﾞｽﾞｷ", "¨A", "ＡＢＣ　ｶﾞ"}) {
    std::string key = SearchKey(text);
    EXPECT_EQ(SearchKey(key), key) << text;
  }
  EXPECT_EQ(SearchKey("ｽ\fﾞ"), "ず");
}

TEST(SearchKey, FoldsWidthKanaCaseAndSpace) {
  EXPECT_EQ(SearchKey("ｽｽﾞｷ ﾊﾅｺ"), SearchKey("すずきはなこ"));
  EXPECT_EQ(SearchKey("スズキ　ハナコ"), "すずきはなこ");
  EXPECT_EQ(SearchKey("０５６１－２１"), "0561-21");
  EXPECT_EQ(SearchKey("Seto CITY"), "setocity");
  EXPECT_EQ(SearchKey("瀬戸市"), "瀬戸市");
}

}  // namespace
}  // namespace moyakko

#include "common/clock.h"

namespace moyakko {
namespace {
TEST(LocalDate, UsesTheTenantZone) {
  // 2025-11-25T15:30Z is already the 26th in Tokyo.
  EXPECT_EQ(LocalDate(1764084600000, "Asia/Tokyo"), "2025-11-26");
  EXPECT_EQ(LocalDate(1764084600000, "UTC"), "2025-11-25");
  EXPECT_EQ(FormatRfc3339(1764084600123), "2025-11-25T15:30:00.123Z");
}
}  // namespace
}  // namespace moyakko

namespace moyakko {
namespace {
TEST(Rfc3339, ParsesOffsetsAndFractionsAndRejectsTheRest) {
  EXPECT_EQ(ParseRfc3339("2025-11-25T15:30:00Z"), 1764084600000);
  EXPECT_EQ(ParseRfc3339("2025-11-26T00:30:00+09:00"), 1764084600000);
  EXPECT_EQ(ParseRfc3339("2025-11-25T15:30:00.123456Z"), 1764084600123);
  EXPECT_EQ(ParseRfc3339("2025-11-25T10:30:00-05:00"), 1764084600000);
  for (const char* bad : {"2025-11-25T15:30:00", "2025-11-25 15:30:00Z", "2025-02-30T00:00:00Z", "2025-11-25T24:00:00Z",
                          "2025-11-25T15:30:00+0900", "2025-11-25T15:30:00Zjunk", "", "２０２５-11-25T15:30:00Z"}) {
    EXPECT_FALSE(ParseRfc3339(bad)) << bad;
  }
}
TEST(StartOfLocalDay, IsLocalMidnight) {
  // 2025-11-26 00:30 in Tokyo → the day began at 2025-11-25T15:00Z.
  EXPECT_EQ(StartOfLocalDay(1764084600000, "Asia/Tokyo"), 1764082800000);
}
}  // namespace
}  // namespace moyakko
