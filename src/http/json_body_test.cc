#include "http/json_body.h"

#include <gtest/gtest.h>

#include "common/error.h"

namespace moyakko::http {
namespace {

std::string SlugOf(const std::string& body) {
  try {
    ParseJsonObject(body);
  } catch (const Failure& f) {
    return f.error().slug + "|" + f.error().message;
  }
  return "ok";
}

TEST(JsonBody, ReportsMalformedJsonWithItsPosition) {
  EXPECT_EQ(SlugOf(R"({"a": 1,})"), "invalid_json|malformed JSON at byte 9");
  EXPECT_EQ(SlugOf(R"({"名前": "瀬戸"})"), "ok");
}

TEST(JsonBody, RejectsBrokenUtf8DeepNestingLongStringsAndNonObjects) {
  EXPECT_EQ(SlugOf("{\"a\": \"\xff\"}").substr(0, 12), "invalid_utf8");
  EXPECT_EQ(SlugOf(std::string(40, '[') + std::string(40, ']')).substr(0, 8), "too_deep");
  EXPECT_EQ(SlugOf("{\"a\": \"" + std::string(70000, 'x') + "\"}").substr(0, 15), "string_too_long");
  EXPECT_EQ(SlugOf("[1]").substr(0, 15), "expected_object");
}

TEST(JsonBody, FieldReadersNameTheField) {
  auto body = ParseJsonObject(R"({"name": "加藤", "n": "x"})");
  EXPECT_EQ(RequiredString(body, "name", 2), "加藤");
  try {
    RequiredString(body, "name", 1);
    FAIL();
  } catch (const Failure& f) {
    EXPECT_EQ(f.error().field, "name");
    EXPECT_EQ(f.error().slug, "too_long");
  }
  try {
    RequiredInt(body, "n");
    FAIL();
  } catch (const Failure& f) {
    EXPECT_EQ(f.error().field, "n");
  }
  EXPECT_FALSE(OptionalString(body, "missing", 10));
}

}  // namespace
}  // namespace moyakko::http
