// The real binary on a free port: HTTP limits and headers, live events, and durability
// across kill -9.
#include <gtest/gtest.h>
#include <signal.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "auth/totp.h"
#include "common/clock.h"
#include "integration/child_process.h"
#include "integration/http_client.h"
#include "integration/test_town.h"
#include "registry/persons.h"
#include "store/testing.h"
#include "watch/store.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>

namespace moyakko::testing {
namespace {

class ServerTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    test_ = std::make_unique<store::TestDatabase>(GetParam());
    if (!test_->available()) GTEST_SKIP() << "MOYAKKO_TEST_PG_URL not set";
    town_ = BuildTestTown(test_->db());
    Start();
  }
  void Start() {
    server_ = std::make_unique<ServerProcess>(MOYAKKO_BINARY, test_->url());
    ASSERT_NE(server_->port(), 0) << "server did not start";
  }
  // Logs in `username`; returns {cookie, csrf}.
  std::pair<std::string, std::string> Login(const std::string& username) {
    nlohmann::json body = {{"username", username}, {"password", kPassword},
                           {"otp", auth::TotpCode(kTotpSecret, SystemClock().Now())}};
    HttpReply reply = HttpCall(server_->port(), "POST", "/api/v1/auth/login", body.dump());
    EXPECT_EQ(reply.status, 200) << reply.body;
    std::string set_cookie = reply.Header("set-cookie");
    return {set_cookie.substr(0, set_cookie.find(';')), nlohmann::json::parse(reply.body)["csrf_token"]};
  }
  std::unique_ptr<store::TestDatabase> test_;
  TestTown town_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_P(ServerTest, HealthAndSecurityHeaders) {
  HttpReply health = HttpCall(server_->port(), "GET", "/healthz");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.body, R"({"status":"ok"})");
  std::string csp = health.Header("content-security-policy");
  EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos);
  EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos);
  EXPECT_EQ(health.Header("x-content-type-options"), "nosniff");
  EXPECT_EQ(health.Header("referrer-policy"), "no-referrer");
  EXPECT_TRUE(health.Header("strict-transport-security").empty()) << "HSTS only under TLS";
  HttpReply metrics = HttpCall(server_->port(), "GET", "/metrics");
  EXPECT_NE(metrics.body.find("moyakko_http_requests_total{class=\"2xx\"}"), std::string::npos);
}

TEST_P(ServerTest, SessionCookieIsHttpOnlyAndStrict) {
  nlohmann::json body = {{"username", "admin"}, {"password", kPassword},
                         {"otp", auth::TotpCode(kTotpSecret, SystemClock().Now())}};
  HttpReply reply = HttpCall(server_->port(), "POST", "/api/v1/auth/login", body.dump());
  ASSERT_EQ(reply.status, 200);
  std::string cookie = reply.Header("set-cookie");
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);
  EXPECT_NE(cookie.find("Path=/"), std::string::npos);
  std::string token = cookie.substr(0, cookie.find(';'));
  HttpReply me = HttpCall(server_->port(), "GET", "/api/v1/me", "", {{"Cookie", token}});
  EXPECT_EQ(me.status, 200);
  EXPECT_EQ(nlohmann::json::parse(me.body)["user"]["username"], "admin");
  HttpReply wrong = HttpCall(server_->port(), "POST", "/api/v1/auth/login",
                             R"({"username":"admin","password":"nope","otp":"000000"})");
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(nlohmann::json::parse(wrong.body)["error"]["code"], "invalid_credentials");
}

TEST_P(ServerTest, OversizedBodyIs413) {
  std::string huge(2 << 20, 'x');
  HttpReply reply = HttpCall(server_->port(), "POST", "/api/v1/auth/login", huge);
  EXPECT_EQ(reply.status, 413);
  EXPECT_EQ(nlohmann::json::parse(reply.body)["error"]["code"], "payload_too_large");
}

TEST_P(ServerTest, LiveEventsStreamStartsWithAPing) {
  auto [cookie, csrf] = Login("admin");
  boost::asio::io_context io;
  boost::asio::ip::tcp::socket socket(io);
  socket.connect({boost::asio::ip::make_address("127.0.0.1"), server_->port()});
  std::string request = "GET /api/v1/events HTTP/1.1\r\nHost: x\r\nCookie: " + cookie + "\r\n\r\n";
  boost::asio::write(socket, boost::asio::buffer(request));
  boost::asio::streambuf buffer;
  boost::asio::read_until(socket, buffer, "data: {}\n\n");
  std::string received(boost::asio::buffers_begin(buffer.data()), boost::asio::buffers_end(buffer.data()));
  EXPECT_NE(received.find("200 OK"), std::string::npos);
  EXPECT_NE(received.find("text/event-stream"), std::string::npos);
  EXPECT_NE(received.find("event: ping"), std::string::npos);
}

TEST_P(ServerTest, AcknowledgedWritesSurviveKill9) {
  auto [cookie, csrf] = Login("admin");
  std::vector<std::int64_t> acknowledged;
  std::atomic<bool> stop{false};
  std::thread writer([&, cookie = cookie, csrf = csrf] {
    for (int i = 0; !stop && i < 100000; ++i) {
      try {
        nlohmann::json person = {{"family_name", "耐久"}, {"given_name", "試験" + std::to_string(i)}};
        HttpReply reply = HttpCall(server_->port(), "POST", "/api/v1/persons", person.dump(),
                                   {{"Cookie", cookie}, {"X-CSRF-Token", csrf}});
        if (reply.status == 201) acknowledged.push_back(nlohmann::json::parse(reply.body)["person"]["id"]);
      } catch (...) {
        break;  // the server is gone
      }
    }
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(700));
  server_->Kill(SIGKILL);
  stop = true;
  writer.join();
  ASSERT_GT(acknowledged.size(), 5u);
  Start();  // restart on the same database
  auto [cookie2, csrf2] = Login("officer");
  for (std::int64_t id : acknowledged) {
    HttpReply reply = HttpCall(server_->port(), "GET", "/api/v1/persons/" + std::to_string(id), "", {{"Cookie", cookie2}});
    ASSERT_EQ(reply.status, 200) << "acknowledged person " << id << " lost";
  }
  int verify = std::system(("'" MOYAKKO_BINARY "' audit verify --db '" + test_->url() + "' >/dev/null").c_str());
  EXPECT_EQ(verify, 0) << "audit chain broken after kill -9";
}

TEST_P(ServerTest, AcknowledgedReadingsSurviveKill9DuringABurst) {
  // Twenty gateways upload concurrently (so batches share group commits); kill -9 mid-way.
  std::vector<watch::DeviceCredential> devices;
  test_->db().Write([&](store::Session& s) {
    std::int64_t tenant = s.QueryOne("SELECT id FROM tenants WHERE code = 'seto'")->Int(0);
    for (int i = 0; i < 20; ++i) {
      std::int64_t person = registry::AddPerson(s, {.tenant_id = tenant, .family_name = "試験", .given_name = std::to_string(i)}, 0);
      std::int64_t household = watch::AddHousehold(s, {.tenant_id = tenant, .person_id = person}, 0);
      devices.push_back(watch::AddDevice(s, tenant, household, 0));
    }
  });
  std::vector<std::int64_t> acknowledged(devices.size(), 0);  // readings acknowledged per device
  std::vector<std::thread> gateways;
  std::string at = FormatRfc3339(SystemClock().Now() - 60000);
  for (std::size_t d = 0; d < devices.size(); ++d) {
    gateways.emplace_back([&, d] {
      for (int batch = 0; batch < 1000; ++batch) {
        nlohmann::json readings = nlohmann::json::array();
        for (int i = 0; i < 50; ++i) {
          readings.push_back({{"seq", batch * 50 + i}, {"at", at}, {"kind", "door"}, {"value", i % 2 ? "close" : "open"}});
        }
        try {
          HttpReply reply = HttpCall(server_->port(), "POST", "/api/v1/ingest",
                                     nlohmann::json{{"device", devices[d].device}, {"readings", readings}}.dump(),
                                     {{"Authorization", "Bearer " + devices[d].token}});
          if (reply.status != 200) return;
          acknowledged[d] += 50;
        } catch (...) {
          return;  // the server is gone
        }
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  server_->Kill(SIGKILL);
  for (auto& gateway : gateways) gateway.join();
  std::int64_t total = 0;
  for (std::size_t d = 0; d < devices.size(); ++d) {
    std::int64_t stored = test_->db().Read([&](store::Session& s) {
      return s.QueryOne("SELECT COUNT(*) FROM readings WHERE device_id = $1", {devices[d].device})->Int(0);
    });
    // Batches are sent in order, so the first `acknowledged` seqs must all be there.
    std::int64_t stored_prefix = test_->db().Read([&](store::Session& s) {
      return s.QueryOne("SELECT COUNT(*) FROM readings WHERE device_id = $1 AND seq < $2",
                        {devices[d].device, acknowledged[d]})->Int(0);
    });
    EXPECT_EQ(stored_prefix, acknowledged[d]) << devices[d].device << ": acknowledged readings lost";
    EXPECT_LE(stored - acknowledged[d], 50) << "more than the one batch in flight was stored";
    total += acknowledged[d];
  }
  EXPECT_GT(total, 1000) << "the burst barely ran before the kill";
  // Retrying after the restart adds no duplicates.
  Start();
  nlohmann::json retry = nlohmann::json::array();
  for (int i = 0; i < 50; ++i) retry.push_back({{"seq", i}, {"at", at}, {"kind", "door"}, {"value", i % 2 ? "close" : "open"}});
  HttpReply reply = HttpCall(server_->port(), "POST", "/api/v1/ingest",
                             nlohmann::json{{"device", devices[0].device}, {"readings", retry}}.dump(),
                             {{"Authorization", "Bearer " + devices[0].token}});
  ASSERT_EQ(reply.status, 200) << reply.body;
  ASSERT_GE(acknowledged[0], 50);
  EXPECT_EQ(nlohmann::json::parse(reply.body)["duplicates"], 50);
}

INSTANTIATE_TEST_SUITE_P(Backends, ServerTest, ::testing::ValuesIn(store::TestBackends()));

}  // namespace
}  // namespace moyakko::testing
