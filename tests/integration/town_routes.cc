#include "integration/town_routes.h"

#include "auth/totp.h"

namespace moyakko::testing {

void TownRoutesTest::SetUp() {
  test_ = std::make_unique<store::TestDatabase>(GetParam());
  if (!test_->available()) GTEST_SKIP() << "MOYAKKO_TEST_PG_URL not set";
  town_ = BuildTestTown(test_->db());
  platform_ = std::make_unique<app::Platform>(app::PlatformOptions{.db_url = test_->url(), .web_root = "/nonexistent"});
}

http::Response TownRoutesTest::Call(const std::string& method, const std::string& target, const Session* session,
                                    const std::string& body, bool with_csrf) {
  http::Request r;
  r.method = method;
  r.target = target;
  std::size_t q = target.find('?');
  r.path = target.substr(0, q);
  if (q != std::string::npos) r.query = target.substr(q + 1);
  r.body = body;
  r.remote_ip = session ? session->ip : "127.0.0.1";
  r.request_id = "test";
  if (session && !session->cookie.empty()) {
    r.headers.emplace_back("cookie", session->cookie);
    if (with_csrf) r.headers.emplace_back("x-csrf-token", session->csrf);
  }
  return platform_->router().Dispatch(r);
}

TownRoutesTest::Session TownRoutesTest::Login(const std::string& username, const std::string& ip,
                                              const std::string& cookie) {
  nlohmann::json body = {{"username", username}, {"password", kPassword},
                         {"otp", auth::TotpCode(kTotpSecret, SystemClock().Now())}};
  Session session;
  session.ip = ip;
  session.cookie = cookie;
  http::Response response = Call("POST", "/api/v1/auth/login", &session, body.dump(), false);
  EXPECT_EQ(response.status, 200) << username << ": " << response.body;
  for (const auto& [name, value] : response.headers) {
    if (name == "Set-Cookie") session.cookie = value.substr(0, value.find(';'));
  }
  auto answer = nlohmann::json::parse(response.body, nullptr, false);
  if (answer.is_object()) session.csrf = answer.value("csrf_token", "");
  return session;
}

}  // namespace moyakko::testing
