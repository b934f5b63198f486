#include "sim/simulate.h"

#include <gtest/gtest.h>

#include "common/error.h"
#include "store/testing.h"

namespace moyakko::sim {
namespace {

constexpr UnixMillis kEnd = 1764108000000;  // 2025-11-26T07:00:00+09:00

class SimulateTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    test_ = std::make_unique<store::TestDatabase>(GetParam());
    if (!test_->available()) GTEST_SKIP() << "MOYAKKO_TEST_PG_URL not set";
  }
  store::Database& db() { return test_->db(); }
  std::int64_t Count(const std::string& sql) {
    return db().Read([&](store::Session& s) { return s.QueryOne(sql)->Int(0); });
  }
  std::unique_ptr<store::TestDatabase> test_;
};

TEST_P(SimulateTest, LoadsHouseholdsForBenchmarks) {
  SimulationReport report = Simulate(db(), {.households = 30, .days = 3, .end = kEnd});
  EXPECT_EQ(report.households, 30);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM households"), 30);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM readings"), report.readings);
  EXPECT_GT(report.readings, 30 * 3 * 40);
  EXPECT_TRUE(report.truth.empty());
  // A second run adds more households to the same town.
  Simulate(db(), {.households = 5, .days = 1, .seed = 2, .end = kEnd});
  EXPECT_EQ(Count("SELECT COUNT(*) FROM households"), 35);
}

TEST_P(SimulateTest, ReplaysInTimeOrderAndFindsTheInjectedAnomalies) {
  // Two of each kind; the same seed gives the same town every time.
  SimulationReport report =
      Simulate(db(), {.households = 12, .days = 56, .anomalies = true, .gateway = Gateway::kHourly, .evaluate = true,
                      .end = kEnd});
  ASSERT_EQ(report.truth.size(), 12u);
  ASSERT_EQ(report.detection.size(), 6u);
  for (const DetectionRow& row : report.detection) {
    EXPECT_EQ(row.injected, 2) << row.kind;
    // A collapse or an unannounced absence is always caught, well within the common
    // commercial rule's 24 h; heat within the hour it is reported.
    if (row.kind == "collapse" || row.kind == "absence") {
      EXPECT_EQ(row.detected, 2) << row.kind;
      EXPECT_LT(row.p90_delay_hours, 24) << row.kind;
    }
    if (row.kind == "heat") {
      EXPECT_EQ(row.detected, 2);
      EXPECT_LE(row.p90_delay_hours, 1);
    }
  }
  // Alerts were really opened by the rules (and closed by the simulated operator).
  EXPECT_EQ(Count("SELECT COUNT(*) FROM alerts"), report.alerts);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM alerts WHERE open_key IS NOT NULL AND opened_at < " + std::to_string(kEnd - 3600000)),
            0);
  std::string table = DetectionTable(report);
  EXPECT_NE(table.find("| collapse | 2 | 2 |"), std::string::npos) << table;
}

TEST_P(SimulateTest, WithoutAnomaliesEveryAlertIsAFalseAlarm) {
  SimulationReport report =
      Simulate(db(), {.households = 4, .days = 20, .gateway = Gateway::kHourly, .evaluate = true, .end = kEnd});
  EXPECT_TRUE(report.detection.empty());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM alerts"), report.alerts);
  int false_alarms = 0;
  for (const auto& [kind, n] : report.false_alarms) false_alarms += n;
  EXPECT_EQ(false_alarms, report.alerts);
}

TEST_P(SimulateTest, RefusesOptionsOutOfRange) {
  EXPECT_THROW(Simulate(db(), {.households = 0}), Failure);
  EXPECT_THROW(Simulate(db(), {.days = 30, .anomalies = true}), Failure);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM households"), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, SimulateTest, ::testing::ValuesIn(store::TestBackends()));

TEST(AlertPointsTo, MatchesAlertKindsToWhatTheyCanReveal) {
  EXPECT_TRUE(AlertPointsTo("no_activity", AnomalyKind::kCollapse));
  EXPECT_TRUE(AlertPointsTo("low_activity", AnomalyKind::kSlowDecline));
  EXPECT_TRUE(AlertPointsTo("night_activity", AnomalyKind::kNightWandering));
  EXPECT_FALSE(AlertPointsTo("heat", AnomalyKind::kCollapse));
  EXPECT_FALSE(AlertPointsTo("no_activity", AnomalyKind::kHeat));
}

}  // namespace
}  // namespace moyakko::sim
