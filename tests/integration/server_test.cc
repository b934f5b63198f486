// The real binary on a free port: HTTP limits and headers, live events, and durability and
// alert timers across kill -9.
#include <gtest/gtest.h>

#include <fmt/format.h>
#include <signal.h>

#include <nlohmann/json.hpp>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>
#include <random>
#include <thread>

#include "auth/totp.h"
#include "common/clock.h"
#include "integration/child_process.h"
#include "integration/http_client.h"
#include "integration/test_town.h"
#include "registry/persons.h"
#include "store/testing.h"
#include "watch/alerts.h"
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
    std::string url = test_->url();
    if (GetParam() == "postgres") {  // names its sessions, for KillServer
      url += (url.find('?') == std::string::npos ? "?" : "&") + std::string("application_name=") + kServerSessions;
    }
    server_ = std::make_unique<ServerProcess>(MOYAKKO_BINARY, url);
    ASSERT_NE(server_->port(), 0) << "server did not start";
  }
  // kill -9, then wait until PostgreSQL has ended the dead server's sessions: one that had
  // already sent COMMIT completes it, so only then is it settled what was stored.
  void KillServer() {
    server_->Kill(SIGKILL);
    if (GetParam() != "postgres") return;
    auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (test_->db().Read([&](store::Session& s) {
      return s.QueryOne("SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND "
                        "application_name = $1", {std::string(kServerSessions)})->Int(0);
    }) > 0) {
      if (std::chrono::steady_clock::now() > give_up) {
        ADD_FAILURE() << "the killed server's database sessions outlived it by 10 s";
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
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
  // Rounds of the kill -9 tests: MOYAKKO_KILL_ROUNDS, else 3 (the full run, tests/crash/README.md, uses 50).
  static int KillRounds() {
    const char* rounds = std::getenv("MOYAKKO_KILL_ROUNDS");
    return rounds ? std::max(1, std::atoi(rounds)) : 3;
  }
  // Picks the kill moments. Its seed is printed; MOYAKKO_KILL_SEED=<seed> replays them.
  static std::mt19937_64 KillRng() {
    const char* given = std::getenv("MOYAKKO_KILL_SEED");
    std::uint64_t seed = given ? std::strtoull(given, nullptr, 10) : std::random_device{}();
    std::cout << "kill moments: MOYAKKO_KILL_SEED=" << seed << std::endl;
    RecordProperty("kill_seed", std::to_string(seed));
    return std::mt19937_64(seed);
  }
  static constexpr char kServerSessions[] = "moyakko-under-test";
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

// Behind a trusted proxy the client's address is the last X-Forwarded-For entry — of the last
// header line, when the client sent a line of its own and the proxy added another.
TEST_P(ServerTest, ALoginThrottleBehindAProxyCountsTheAddressTheProxySaw) {
  ServerProcess proxied(MOYAKKO_BINARY, test_->url(), {"--trusted-proxy", "127.0.0.1"});
  ASSERT_NE(proxied.port(), 0);
  int throttled = 0;
  for (int i = 0; i < 35; ++i) {
    nlohmann::json body = {{"username", fmt::format("nobody{}", i)}, {"password", "wrong"}, {"otp", "000000"}};
    HttpReply reply = HttpCall(proxied.port(), "POST", "/api/v1/auth/login", body.dump(),
                               {{"X-Forwarded-For", fmt::format("198.51.100.{}", i)},  // the client's own
                                {"X-Forwarded-For", "203.0.113.9"}});                 // the proxy's
    if (reply.status == 429) ++throttled;
  }
  EXPECT_GE(throttled, 5) << "30 attempts a minute from one address, whatever the client claims";
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

TEST_P(ServerTest, AcknowledgedReadingsSurviveRepeatedKill9DuringABurst) {
  // Twenty gateways upload concurrently (so batches share group commits). Each round the
  // server starts on the same database and is killed (-9) at a random moment. A gateway keeps
  // its readings until they are acknowledged, so after a restart it first sends the batch
  // that was in flight again, then carries on.
  constexpr int kDevices = 20;
  constexpr std::int64_t kBatch = 50;
  server_.reset();
  std::vector<watch::DeviceCredential> devices;
  test_->db().Write([&](store::Session& s) {
    std::int64_t tenant = s.QueryOne("SELECT id FROM tenants WHERE code = 'seto'")->Int(0);
    for (int i = 0; i < kDevices; ++i) {
      std::int64_t person = registry::AddPerson(s, {.tenant_id = tenant, .family_name = "試験", .given_name = std::to_string(i)}, 0);
      std::int64_t household = watch::AddHousehold(s, {.tenant_id = tenant, .person_id = person}, 0);
      devices.push_back(watch::AddDevice(s, tenant, household, 0));
    }
  });
  struct Gateway {
    std::int64_t acknowledged = 0;    // seqs [0, acknowledged) were acknowledged
    std::int64_t pending_stored = 0;  // of the batch after them (unacknowledged), how many are stored
    std::optional<std::int64_t> first_duplicates;  // the answer to a round's first batch
    std::string error;                // anything but a 200 or the server going away
  };
  std::vector<Gateway> gateways(kDevices);
  std::string at = FormatRfc3339(SystemClock().Now() - 60000);
  auto upload = [&](std::uint16_t port, std::size_t d, std::int64_t first) {
    nlohmann::json readings = nlohmann::json::array();
    for (std::int64_t seq = first; seq < first + kBatch; ++seq) {
      readings.push_back({{"seq", seq}, {"at", at}, {"kind", "door"}, {"value", seq % 2 ? "close" : "open"}});
    }
    return HttpCall(port, "POST", "/api/v1/ingest", nlohmann::json{{"device", devices[d].device}, {"readings", readings}}.dump(),
                    {{"Authorization", "Bearer " + devices[d].token}});
  };
  auto rng = KillRng();
  const int rounds = KillRounds();
  std::int64_t acknowledged_total = 0, stored_unacknowledged = 0, resent_already_stored = 0;
  for (int round = 1; round <= rounds; ++round) {
    ASSERT_NO_FATAL_FAILURE(Start());
    std::uint16_t port = server_->port();
    std::atomic<bool> killing{false}, burst_running{false};
    std::int64_t acknowledged_before = acknowledged_total;
    std::vector<std::thread> threads;
    for (std::size_t d = 0; d < devices.size(); ++d) {
      threads.emplace_back([&, d] {
        Gateway& g = gateways[d];
        g.first_duplicates.reset();
        while (!killing) {  // the kill ends the loop within 2 s
          try {
            HttpReply reply = upload(port, d, g.acknowledged);
            if (reply.status != 200) {
              g.error = std::to_string(reply.status) + " " + reply.body;
              return;
            }
            if (!g.first_duplicates) g.first_duplicates = nlohmann::json::parse(reply.body)["duplicates"].get<std::int64_t>();
            g.acknowledged += kBatch;
            burst_running = true;
          } catch (const std::exception& e) {
            if (!killing) g.error = e.what();
            return;  // the server is gone
          }
        }
      });
    }
    int delay_ms = std::uniform_int_distribution<int>(50, 2000)(rng);
    // The random moment falls inside the burst: counted from its first acknowledged batch, so
    // that a slow start on a loaded machine does not turn a round into a kill before any ingest.
    for (int waited = 0; !burst_running && waited < 10000; waited += 10) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
    killing = true;
    KillServer();
    for (auto& thread : threads) thread.join();
    std::int64_t stored_total = 0;
    acknowledged_total = 0;
    for (std::size_t d = 0; d < devices.size(); ++d) {
      Gateway& g = gateways[d];
      EXPECT_EQ(g.error, "") << devices[d].device << " in round " << round;
      // The re-sent batch: what was stored of it before is answered as duplicates.
      if (g.first_duplicates) {
        EXPECT_EQ(*g.first_duplicates, g.pending_stored) << devices[d].device << " in round " << round;
        if (*g.first_duplicates > 0) ++resent_already_stored;
      }
      auto counts = test_->db().Read([&](store::Session& s) {
        return *s.QueryOne("SELECT COUNT(*), COALESCE(SUM(CASE WHEN seq < $2 THEN 1 ELSE 0 END), 0), "
                           "COALESCE(MAX(seq), -1) FROM readings WHERE device_id = $1",
                           {devices[d].device, g.acknowledged});
      });
      // Seqs are unique per device, so as many stored below `acknowledged` as acknowledged means all of them.
      EXPECT_EQ(counts.Int(1), g.acknowledged) << devices[d].device << ": acknowledged readings lost in round " << round;
      g.pending_stored = counts.Int(0) - counts.Int(1);
      EXPECT_TRUE(g.pending_stored == 0 || g.pending_stored == kBatch)
          << devices[d].device << ": " << g.pending_stored << " readings of a batch stored in round " << round;
      EXPECT_LT(counts.Int(2), g.acknowledged + kBatch) << "stored beyond the batch in flight in round " << round;
      if (g.pending_stored > 0) ++stored_unacknowledged;
      stored_total += counts.Int(0);
      acknowledged_total += g.acknowledged;
    }
    std::cout << "round " << round << "/" << rounds << ": killed after " << delay_ms << " ms; acknowledged "
              << acknowledged_total - acknowledged_before << " (" << acknowledged_total << " in all), stored "
              << stored_total << std::endl;
    if (HasFailure()) break;
  }
  // No (device, seq) twice, whatever was sent again.
  std::int64_t repeated = test_->db().Read([&](store::Session& s) {
    return s.QueryOne("SELECT COUNT(*) FROM (SELECT device_id, seq FROM readings GROUP BY device_id, seq "
                      "HAVING COUNT(*) > 1) repeated")->Int(0);
  });
  EXPECT_EQ(repeated, 0);
  // After the last kill: each gateway's unacknowledged batch is taken, and sending it once
  // more (its acknowledgement lost) stores nothing new.
  ASSERT_NO_FATAL_FAILURE(Start());
  for (std::size_t d = 0; d < devices.size(); ++d) {
    if (gateways[d].pending_stored > 0) ++resent_already_stored;
    for (std::int64_t duplicates : {gateways[d].pending_stored, kBatch}) {
      HttpReply reply = upload(server_->port(), d, gateways[d].acknowledged);
      ASSERT_EQ(reply.status, 200) << reply.body;
      nlohmann::json answer = nlohmann::json::parse(reply.body);
      EXPECT_EQ(answer["duplicates"], duplicates) << devices[d].device;
      EXPECT_EQ(answer["accepted"], kBatch - duplicates) << devices[d].device;
    }
    gateways[d].acknowledged += kBatch;
  }
  std::int64_t expected_rows = 0;
  for (const Gateway& g : gateways) expected_rows += g.acknowledged;
  EXPECT_EQ(test_->db().Read([&](store::Session& s) { return s.QueryOne("SELECT COUNT(*) FROM readings")->Int(0); }),
            expected_rows);
  EXPECT_GT(acknowledged_total, 0) << "the burst never ran before a kill";
  std::cout << rounds << " kills: " << acknowledged_total << " readings acknowledged; " << stored_unacknowledged
            << " batches stored but not acknowledged, re-sent and answered as duplicates: " << resent_already_stored
            << std::endl;
  RecordProperty("kill_rounds", rounds);
  RecordProperty("readings_acknowledged", std::to_string(acknowledged_total));
  RecordProperty("batches_stored_unacknowledged", std::to_string(stored_unacknowledged));
}

TEST_P(ServerTest, AFullDiskAnswers503AndKeepsNothingOfTheBatch) {
  if (GetParam() == "postgres") GTEST_SKIP() << "PostgreSQL's disk is its own server's";
  server_.reset();
  watch::DeviceCredential device;
  test_->db().Write([&](store::Session& s) {
    std::int64_t tenant = s.QueryOne("SELECT id FROM tenants WHERE code = 'seto'")->Int(0);
    std::int64_t household = watch::AddHousehold(s, {.tenant_id = tenant, .person_id = town_.persons["hanako"]}, 0);
    device = watch::AddDevice(s, tenant, household, 0);
  });
  // No file may grow past the database file's present size (the test town still lives in
  // the write-ahead log, so that is a page or two): the server starts and reads, but nothing
  // more can be written — a full disk.
  std::uint64_t limit = std::filesystem::file_size(test_->url());
  server_ = std::make_unique<ServerProcess>(MOYAKKO_BINARY, test_->url(), std::vector<std::string>{}, limit);
  ASSERT_NE(server_->port(), 0) << "server did not start";
  nlohmann::json readings = nlohmann::json::array();
  std::string at = FormatRfc3339(SystemClock().Now() - 60000);
  for (int seq = 0; seq < 10000; ++seq) {
    readings.push_back({{"seq", seq}, {"at", at}, {"kind", "temperature"}, {"value", 20 + seq % 10}});
  }
  std::string batch = nlohmann::json{{"device", device.device}, {"readings", readings}}.dump();
  auto upload = [&] {
    return HttpCall(server_->port(), "POST", "/api/v1/ingest", batch, {{"Authorization", "Bearer " + device.token}});
  };
  HttpReply full = upload();
  EXPECT_EQ(full.status, 503) << full.body;
  EXPECT_NE(full.body.find("storage_unavailable"), std::string::npos) << full.body;
  EXPECT_EQ(HttpCall(server_->port(), "GET", "/healthz").status / 100, 2) << "the server keeps answering";

  Start();  // space again
  EXPECT_EQ(test_->db().Read([](store::Session& s) { return s.QueryOne("SELECT COUNT(*) FROM readings")->Int(0); }), 0)
      << "nothing of the unacknowledged batch is stored";
  HttpReply retried = upload();
  ASSERT_EQ(retried.status, 200) << retried.body;
  EXPECT_EQ(nlohmann::json::parse(retried.body), (nlohmann::json{{"accepted", 10000}, {"duplicates", 0}}));
}

TEST_P(ServerTest, AlertTimersFireOnceEachThroughKill9) {
  // Hundreds of alerts with due timers: unclaimed ones are re-notified, claimed ones and those
  // with the city escalate. Each round the server starts, is killed (-9) at a random moment
  // while its monitor fires them, and is started again to fire the rest. Before each later
  // round the timers are moved an hour back, as if an hour had passed: one more period each.
  constexpr int kAlerts = 300;
  constexpr UnixMillis kHour = 3600 * 1000;
  const watch::EscalationTimers timers;
  server_.reset();
  struct Expected {
    std::string state;
    int level = 1;
    std::vector<std::string> steps;  // "action target", in order
  };
  std::map<std::int64_t, Expected> expected;
  std::int64_t officer = town_.users["officer"];
  test_->db().Write([&](store::Session& s) {
    std::int64_t tenant = s.QueryOne("SELECT id FROM tenants WHERE code = 'seto'")->Int(0);
    UnixMillis opened_at = SystemClock().Now() - kHour;
    watch::Actor actor{officer, "officer", "city_officer"};
    // Every new alert queues one e-mail, to this officer.
    s.Execute("INSERT INTO notify_preferences (user_id, channel, address) VALUES ($1, 'email', 'officer@example.jp')",
              {officer});
    for (int i = 0; i < kAlerts; ++i) {
      std::int64_t person = registry::AddPerson(s, {.tenant_id = tenant, .family_name = "見守", .given_name = std::to_string(i)}, 0);
      std::int64_t household = watch::AddHousehold(s, {.tenant_id = tenant, .person_id = person}, opened_at);
      // Only the alert timers are under test: no rule runs for these households.
      s.Execute("DELETE FROM watch_deadlines WHERE household_id = $1", {household});
      std::int64_t id = *watch::OpenAlert(s, household, {.kind = watch::AlertKind::kNoActivity, .urgency = 2, .text = "試験"},
                                          opened_at);
      expected[id] = {"open", 1, {"opened "}};
      if (i % 3 == 1) {
        watch::ClaimAlert(s, tenant, id, actor, opened_at);
        expected[id] = {"claimed", 1, {"opened ", "claim "}};
      } else if (i % 3 == 2) {
        watch::RecordStep(s, tenant, id, actor, {.action = "handover_city"}, opened_at);
        expected[id] = {"city", 3, {"opened ", "handover_city "}};
      }
    }
  });
  auto rng = KillRng();
  const int rounds = KillRounds();
  for (int round = 1; round <= rounds; ++round) {
    if (round > 1) {
      test_->db().Write([&](store::Session& s) {
        s.Execute("UPDATE alerts SET timer_at = timer_at - $1 WHERE timer_at IS NOT NULL", {kHour});
      });
    }
    UnixMillis round_start = SystemClock().Now();
    ASSERT_NO_FATAL_FAILURE(Start());
    int delay_ms = std::uniform_int_distribution<int>(0, 800)(rng);
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
    // At once, as a supervisor would: on PostgreSQL the dead server's last transaction may
    // still be finishing beside the new server's first pass.
    server_->Kill(SIGKILL);
    UnixMillis killed_at = SystemClock().Now();
    ASSERT_NO_FATAL_FAILURE(Start());
    auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (test_->db().Read([&](store::Session& s) {
      return s.QueryOne("SELECT COUNT(*) FROM alerts WHERE timer_at <= $1", {SystemClock().Now()})->Int(0);
    }) > 0) {
      ASSERT_LT(std::chrono::steady_clock::now(), give_up) << "timers still due 30 s after the restart";
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    server_.reset();
    std::int64_t fired_before_kill = test_->db().Read([&](store::Session& s) {
      return s.QueryOne("SELECT COUNT(*) FROM alert_steps WHERE actor_name = 'system' AND at >= $1 AND at < $2",
                        {round_start, killed_at})->Int(0);
    });
    std::cout << "round " << round << "/" << rounds << ": killed after " << delay_ms << " ms with " << fired_before_kill
              << " of " << kAlerts << " timers fired; the restart fired the rest" << std::endl;
    // Each alert: exactly one more timer step, as its state called for, and its next timer
    // one period after that step.
    std::map<std::int64_t, UnixMillis> period;
    for (auto& [id, e] : expected) {
      bool remind = e.state == "open" || e.level >= 4;
      period[id] = remind ? timers.renotify_unclaimed : timers.escalate_idle;
      if (remind) {
        e.steps.push_back("renotify ");
      } else {
        ++e.level;
        e.steps.push_back("escalate " + std::to_string(e.level));
      }
    }
    std::map<std::int64_t, std::vector<std::string>> steps;
    std::map<std::int64_t, UnixMillis> last_step_at;
    std::vector<std::string> problems;
    test_->db().Read([&](store::Session& s) {
      for (const store::Row& r : s.Query("SELECT alert_id, seq, action, target, at FROM alert_steps ORDER BY alert_id, seq")) {
        std::vector<std::string>& list = steps[r.Int(0)];
        if (r.Int(1) != static_cast<std::int64_t>(list.size()) + 1) {
          problems.push_back("alert " + std::to_string(r.Int(0)) + ": step seqs not 1, 2, …");
        }
        list.push_back(r.Text(2) + " " + r.Text(3));
        last_step_at[r.Int(0)] = r.Int(4);
      }
      store::Rows alerts = s.Query("SELECT id, state, level, timer_at FROM alerts ORDER BY id");
      if (alerts.size() != expected.size()) {
        problems.push_back(std::to_string(alerts.size()) + " alerts, not " + std::to_string(kAlerts));
      }
      for (const store::Row& r : alerts) {
        auto it = expected.find(r.Int(0));
        if (it == expected.end()) {
          problems.push_back("an alert not opened by the test: " + std::to_string(r.Int(0)));
          continue;
        }
        const Expected& e = it->second;
        std::string alert = "alert " + std::to_string(r.Int(0)) + ": ";
        if (r.Text(1) != e.state || r.Int(2) != e.level) {
          problems.push_back(alert + r.Text(1) + " at level " + std::to_string(r.Int(2)) + ", not " + e.state +
                             " at level " + std::to_string(e.level));
        }
        if (steps[r.Int(0)] != e.steps) {
          std::string got;
          for (const std::string& step : steps[r.Int(0)]) got += "[" + step + "]";
          problems.push_back(alert + "steps " + got);
        }
        if (r.OptInt(3) != last_step_at[r.Int(0)] + period[r.Int(0)]) {
          problems.push_back(alert + "timer not one period after the last step");
        }
      }
      // One e-mail per alert, queued when it opened; timers queue none, and no key repeats.
      auto outbox = s.QueryOne("SELECT COUNT(*), COUNT(DISTINCT dedup_key) FROM outbox");
      if (outbox->Int(0) != kAlerts || outbox->Int(1) != kAlerts) {
        problems.push_back("outbox: " + std::to_string(outbox->Int(0)) + " messages, " +
                           std::to_string(outbox->Int(1)) + " dedup keys");
      }
    });
    std::string listed;
    for (std::size_t i = 0; i < problems.size() && i < 10; ++i) listed += "\n  " + problems[i];
    ASSERT_TRUE(problems.empty()) << problems.size() << " problems in round " << round << ":" << listed;
  }
  RecordProperty("kill_rounds", rounds);
}

INSTANTIATE_TEST_SUITE_P(Backends, ServerTest, ::testing::ValuesIn(store::TestBackends()));

}  // namespace
}  // namespace moyakko::testing
