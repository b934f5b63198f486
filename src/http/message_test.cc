#include "http/message.h"

#include <gtest/gtest.h>

namespace moyakko::http {
namespace {

TEST(Request, ReadsCookiesAndQueryParameters) {
  Request r;
  r.headers = {{"cookie", "a=1; moyakko_session=abc; b=2"}};
  r.query = "q=%E7%80%AC%E6%88%B8+%E5%B8%82&limit=5&flag";
  EXPECT_EQ(r.Cookie("moyakko_session"), "abc");
  EXPECT_FALSE(r.Cookie("missing"));
  EXPECT_EQ(r.QueryParam("q"), "瀬戸 市");
  EXPECT_EQ(r.QueryParam("limit"), "5");
  EXPECT_EQ(r.QueryParam("flag"), "");
  EXPECT_FALSE(r.QueryParam("none"));
}

TEST(PercentDecode, LeavesBrokenEscapesAlone) {
  EXPECT_EQ(PercentDecode("%zz%4", false), "%zz%4");
  EXPECT_EQ(PercentDecode("a+b", false), "a+b");
}

}  // namespace
}  // namespace moyakko::http
