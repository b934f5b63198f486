// Sensor ingest through the real router: device credentials, idempotency, all-or-nothing.
#include <gtest/gtest.h>

#include "app/platform.h"
#include "audit/audit_log.h"
#include "auth/totp.h"
#include "store/faulty_vfs.h"
#include "integration/test_town.h"
#include "store/testing.h"
#include "watch/store.h"

namespace moyakko::testing {
namespace {

class IngestTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    test_ = std::make_unique<store::TestDatabase>(GetParam());
    if (!test_->available()) GTEST_SKIP() << "MOYAKKO_TEST_PG_URL not set";
    town_ = BuildTestTown(test_->db());
    test_->db().Write([&](store::Session& s) {
      std::int64_t tenant = s.QueryOne("SELECT id FROM tenants WHERE code = 'seto'")->Int(0);
      std::int64_t household = watch::AddHousehold(s, {.tenant_id = tenant, .person_id = town_.persons["hanako"]}, 0);
      device_ = watch::AddDevice(s, tenant, household, 0);
      other_ = watch::AddDevice(s, tenant, household, 0);
    });
    platform_ = std::make_unique<app::Platform>(app::PlatformOptions{.db_url = test_->url(), .web_root = "/nonexistent"});
  }
  http::Response Ingest(const std::string& body, const std::string& token) {
    http::Request r;
    r.method = "POST";
    r.path = r.target = "/api/v1/ingest";
    r.body = body;
    r.request_id = "test";
    if (!token.empty()) r.headers.emplace_back("authorization", "Bearer " + token);
    return platform_->router().Dispatch(r);
  }
  std::string Batch(const std::string& device, int first_seq, int count, const std::string& at = "") {
    nlohmann::json readings = nlohmann::json::array();
    std::string when = at.empty() ? FormatRfc3339(SystemClock().Now() - 60000) : at;
    for (int i = 0; i < count; ++i) {
      readings.push_back({{"seq", first_seq + i}, {"at", when}, {"kind", "door"}, {"value", i % 2 ? "close" : "open"}});
    }
    return nlohmann::json{{"device", device}, {"readings", readings}}.dump();
  }
  std::int64_t StoredReadings() {
    return test_->db().Read([](store::Session& s) { return s.QueryOne("SELECT COUNT(*) FROM readings")->Int(0); });
  }
  std::unique_ptr<store::TestDatabase> test_;
  TestTown town_;
  watch::DeviceCredential device_, other_;
  std::unique_ptr<app::Platform> platform_;
};

TEST_P(IngestTest, AcceptsOnceAndCountsRetriesAsDuplicates) {
  http::Response first = Ingest(Batch(device_.device, 1, 100), device_.token);
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(nlohmann::json::parse(first.body), (nlohmann::json{{"accepted", 100}, {"duplicates", 0}}));
  http::Response retry = Ingest(Batch(device_.device, 51, 100), device_.token);  // half overlaps
  EXPECT_EQ(nlohmann::json::parse(retry.body), (nlohmann::json{{"accepted", 50}, {"duplicates", 50}}));
  EXPECT_EQ(StoredReadings(), 150);
}

TEST_P(IngestTest, ADiskThatFailsAnswers503AndKeepsNothingUnacknowledged) {
  if (GetParam() == "postgres") GTEST_SKIP() << "PostgreSQL's disk is its own server's";
  store::RegisterFaultyVfs();
  platform_ = std::make_unique<app::Platform>(
      app::PlatformOptions{.db_url = "file:" + test_->url() + "?vfs=faulty", .web_root = "/nonexistent"});
  int seq = 1;
  std::int64_t acknowledged = 0;
  for (store::DiskFault fault : {store::DiskFault::kWriteError, store::DiskFault::kFull, store::DiskFault::kSyncError}) {
    SCOPED_TRACE(static_cast<int>(fault));
    std::string batch = Batch(device_.device, seq, 100);
    int failures = store::InjectedFailures();
    store::InjectDiskFault(fault);
    http::Response failed = Ingest(batch, device_.token);
    store::InjectDiskFault(store::DiskFault::kNone);
    ASSERT_GT(store::InjectedFailures(), failures) << "the fault was met";
    EXPECT_EQ(failed.status, 503) << failed.body;
    EXPECT_EQ(nlohmann::json::parse(failed.body)["error"]["code"], "storage_unavailable");
    EXPECT_EQ(StoredReadings(), acknowledged) << "nothing of a batch answered 503 is kept";
    // The gateway sends the batch again once the disk works: stored once, and the server
    // goes on as before.
    http::Response retried = Ingest(batch, device_.token);
    ASSERT_EQ(retried.status, 200) << retried.body;
    EXPECT_EQ(nlohmann::json::parse(retried.body), (nlohmann::json{{"accepted", 100}, {"duplicates", 0}}));
    acknowledged += 100;
    seq += 100;
    EXPECT_EQ(StoredReadings(), acknowledged);
  }
  EXPECT_EQ(test_->db().Read([](store::Session& s) { return s.QueryOne("PRAGMA integrity_check")->Text(0); }), "ok");
}

TEST_P(IngestTest, TheRulesSeeTheBatchAndTheThresholdsInForceBeforeTheAnswer) {
  // The household's own setting (2 ℃) is over the municipality's (8 ℃): 5 ℃ is cold for
  // neither yet; 1 ℃ is, and the alert exists when the upload is answered.
  test_->db().Write([&](store::Session& s) {
    std::int64_t tenant = s.QueryOne("SELECT id FROM tenants WHERE code = 'seto'")->Int(0);
    std::int64_t household = s.QueryOne("SELECT id FROM households")->Int(0);
    s.Execute("INSERT INTO watch_thresholds (tenant_id, household_id, settings, updated_at) VALUES ($1, 0, $2, 0), "
              "($1, $3, $4, 0)",
              {tenant, R"({"cold_celsius":8})", household, R"({"cold_celsius":2})"});
  });
  auto cold_alerts = [&] {
    return test_->db().Read([](store::Session& s) {
      return s.QueryOne("SELECT COUNT(*) FROM alerts WHERE kind = 'cold'")->Int(0);
    });
  };
  auto temperature = [&](int seq, double celsius) {
    nlohmann::json reading = {{"seq", seq}, {"at", FormatRfc3339(SystemClock().Now() - 1000)}, {"kind", "temperature"},
                              {"value", celsius}};
    return Ingest(nlohmann::json{{"device", device_.device}, {"readings", {reading}}}.dump(), device_.token);
  };
  ASSERT_EQ(temperature(1, 5).status, 200);
  EXPECT_EQ(cold_alerts(), 0);
  ASSERT_EQ(temperature(2, 1).status, 200);
  EXPECT_EQ(cold_alerts(), 1);
}

TEST_P(IngestTest, ABadReadingRejectsTheWholeBatch) {
  std::string body = Batch(device_.device, 1, 10);
  body.replace(body.rfind("\"close\""), 7, "\"ajar\"");
  http::Response bad = Ingest(body, device_.token);
  EXPECT_EQ(bad.status, 400);
  auto error = nlohmann::json::parse(bad.body)["error"];
  EXPECT_EQ(error["field"], "readings[9].value");
  EXPECT_EQ(StoredReadings(), 0);
  http::Response future = Ingest(Batch(device_.device, 1, 3, FormatRfc3339(SystemClock().Now() + 11 * 60000)), device_.token);
  EXPECT_EQ(nlohmann::json::parse(future.body)["error"]["code"], "in_future");
  EXPECT_EQ(StoredReadings(), 0);
}

TEST_P(IngestTest, CredentialsAreCheckedAndFailuresAudited) {
  EXPECT_EQ(Ingest(Batch(device_.device, 1, 1), "").status, 401);
  EXPECT_EQ(Ingest(Batch(device_.device, 1, 1), std::string(64, 'f')).status, 401);
  http::Response mismatch = Ingest(Batch(device_.device, 1, 1), other_.token);
  EXPECT_EQ(mismatch.status, 403);
  test_->db().Write([&](store::Session& s) { watch::RevokeDevice(s, 1, device_.device, 0); });
  http::Response revoked = Ingest(Batch(device_.device, 1, 1), device_.token);
  EXPECT_EQ(revoked.status, 401);
  EXPECT_EQ(nlohmann::json::parse(revoked.body)["error"]["code"], "device_revoked");
  EXPECT_EQ(StoredReadings(), 0);
  auto denied = audit::Search(test_->db(), {.action = "watch.ingest", .outcome = "denied"});
  ASSERT_EQ(denied.size(), 4u);
  EXPECT_EQ(denied[0].reason, "device_revoked");
  EXPECT_EQ(denied[1].reason, "device_mismatch");
}

TEST_P(IngestTest, TenThousandReadingsFitOneBatch) {
  http::Response big = Ingest(Batch(device_.device, 1, 10000), device_.token);
  ASSERT_EQ(big.status, 200) << big.body.substr(0, 200);
  EXPECT_EQ(StoredReadings(), 10000);
  EXPECT_GT(platform_->router().MaxBodyFor("POST", "/api/v1/ingest"), Batch(device_.device, 1, 10000).size());
}

TEST_P(IngestTest, FamilySeesOnlyTheirRelativesSummary) {
  ASSERT_EQ(Ingest(Batch(device_.device, 1, 4), device_.token).status, 200);  // two openings
  auto login = [&](const std::string& user) {
    nlohmann::json body = {{"username", user}, {"password", kPassword},
                           {"otp", auth::TotpCode(kTotpSecret, SystemClock().Now())}};
    http::Request r;
    r.method = "POST";
    r.path = r.target = "/api/v1/auth/login";
    r.body = body.dump();
    http::Response response = platform_->router().Dispatch(r);
    for (const auto& [name, value] : response.headers) {
      if (name == "Set-Cookie") return value.substr(0, value.find(';'));
    }
    return std::string();
  };
  auto get = [&](const std::string& cookie, const std::string& path) {
    http::Request r;
    r.method = "GET";
    r.path = r.target = path;
    r.headers.emplace_back("cookie", cookie);
    return platform_->router().Dispatch(r);
  };
  std::string family = login("family");
  http::Response relatives = get(family, "/api/v1/family/relatives");
  ASSERT_EQ(relatives.status, 200);
  auto list = nlohmann::json::parse(relatives.body)["relatives"];
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0]["person"], town_.persons["hanako"]);
  EXPECT_EQ(list[0]["watch_over"], true);
  http::Response mine = get(family, "/api/v1/watch/persons/" + std::to_string(town_.persons["hanako"]) + "/summary");
  ASSERT_EQ(mine.status, 200) << mine.body;
  auto summary = nlohmann::json::parse(mine.body);
  EXPECT_EQ(summary["today"]["door_openings_today"], 2);
  EXPECT_EQ(summary["days"].size(), 7u);
  EXPECT_EQ(summary["days"][6]["door_openings"], 2);
  EXPECT_EQ(get(family, "/api/v1/watch/persons/" + std::to_string(town_.persons["ichiro"]) + "/summary").status, 403);
  EXPECT_EQ(get(family, "/api/v1/watch/status").status, 403);
  auto reads = audit::Search(test_->db(), {.actor = "family", .action = "watch.view"});
  ASSERT_EQ(reads.size(), 2u);
  EXPECT_EQ(reads[0].outcome, audit::Outcome::kDenied);
  EXPECT_EQ(reads[1].reason, "family_link");
}

INSTANTIATE_TEST_SUITE_P(Backends, IngestTest, ::testing::ValuesIn(store::TestBackends()));

}  // namespace
}  // namespace moyakko::testing
