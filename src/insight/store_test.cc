#include "insight/store.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "carenet/test_town.h"
#include "carenet/timeline.h"
#include "watch/ingest_writer.h"
#include "watch/store.h"

namespace moyakko::insight {
namespace {

constexpr UnixMillis kHour = 3600 * 1000;
constexpr UnixMillis kDay = 24 * kHour;
constexpr UnixMillis kMonday = 1793545200000;  // 2026-11-02 00:00 JST
const std::string kTokyo = "Asia/Tokyo";

class InsightStoreTest : public carenet::CarenetTest {
 protected:
  void SetUp() override {
    CarenetTest::SetUp();
    if (IsSkipped()) return;
    db().Write([&](store::Session& s) {
      s.Execute("UPDATE persons SET district = '品野' WHERE id = $1", {hanako_});
      s.Execute("UPDATE persons SET district = '水野' WHERE id = $1", {ichiro_});
      hanako_home_ = watch::AddHousehold(s, {.tenant_id = seto_, .person_id = hanako_}, 0);
      ichiro_home_ = watch::AddHousehold(s, {.tenant_id = seto_, .person_id = ichiro_}, 0);
      hanako_device_ = *watch::FindDeviceByToken(s, watch::AddDevice(s, seto_, hanako_home_, 0).token);
      ichiro_device_ = *watch::FindDeviceByToken(s, watch::AddDevice(s, seto_, ichiro_home_, 0).token);
    });
  }
  // Door openings at local 7:00, 12:00 and 18:00 (`per_meal` each) on days [first, last) from
  // 2026-11-02, skipping `skip`, through the ingest path.
  void Openings(const watch::DeviceIdentity& device, int first, int last, int per_meal, int skip = -1) {
    std::vector<watch::Reading> readings;
    for (int day = first; day < last; ++day) {
      if (day == skip) continue;
      for (int hour : {7, 12, 18}) {
        for (int k = 0; k < per_meal; ++k) {
          UnixMillis at = kMonday + day * kDay + hour * kHour + k * 60000;
          readings.push_back({next_seq_++, at, watch::ReadingKind::kDoor, 1});
          readings.push_back({next_seq_++, at + 30000, watch::ReadingKind::kDoor, 0});
        }
      }
      readings.push_back({next_seq_++, kMonday + day * kDay + 9 * kHour, watch::ReadingKind::kTemperature, 21.5});
    }
    db().Write([&](store::Session& s) { watch::StoreReadings(s, device, readings, kMonday + last * kDay); });
  }
  Analysis AnalyseHanako(const std::string& cohort_id, const std::string& from, const std::string& to) {
    return db().Read([&](store::Session& s) {
      return Analyse(s, *FindHousehold(s, hanako_home_), MakePeriod(from, to, kTokyo), *FindCohort(s, seto_, cohort_id), kTokyo);
    });
  }
  std::int64_t hanako_home_ = 0, ichiro_home_ = 0, next_seq_ = 1;
  watch::DeviceIdentity hanako_device_, ichiro_device_;
};

TEST_P(InsightStoreTest, OnlyTheCareTeamAndTheCityMaySeeTheAnalysis) {
  Register(hanako_, doctor_);
  EXPECT_TRUE(Decide(doctor_, auth::Action::kInsightView, hanako_).allowed);
  EXPECT_TRUE(Decide(doctor_, auth::Action::kInsightDiscuss, hanako_).allowed);
  EXPECT_TRUE(Decide(city_, auth::Action::kInsightView, hanako_).allowed);
  EXPECT_FALSE(Decide(city_, auth::Action::kInsightDiscuss, hanako_).allowed);
  EXPECT_FALSE(Decide(pharmacist_, auth::Action::kInsightView, hanako_).allowed) << "not on the team yet";
  Join(hanako_, pharmacist_, doctor_);
  EXPECT_TRUE(Decide(pharmacist_, auth::Action::kInsightView, hanako_).allowed);
  for (const auth::Principal* nobody : {&nurse_, &admin_, &family_, &stranger_}) {
    EXPECT_FALSE(Decide(*nobody, auth::Action::kInsightView, hanako_).allowed) << nobody->username;
  }
  EXPECT_FALSE(Decide(doctor_, auth::Action::kInsightView, ichiro_).allowed) << "not their patient";
}

// Temperature and humidity are averaged per local hour of the day over every reading.
TEST_P(InsightStoreTest, ClimateIsTheMeanOfEachLocalHour) {
  constexpr UnixMillis kMinute = 60000;
  std::vector<watch::Reading> readings = {
      {1, kMonday + 9 * kHour + 10 * kMinute, watch::ReadingKind::kTemperature, 20},
      {2, kMonday + 9 * kHour + 50 * kMinute, watch::ReadingKind::kTemperature, 23},
      {3, kMonday + kDay + 9 * kHour + 20 * kMinute, watch::ReadingKind::kTemperature, 26},
      {4, kMonday + 23 * kHour + 30 * kMinute, watch::ReadingKind::kHumidity, 40},
      {5, kMonday + kDay + 23 * kHour + 59 * kMinute, watch::ReadingKind::kHumidity, 60},
      {6, kMonday + 2 * kDay, watch::ReadingKind::kHumidity, 99},  // 0:00 on the 4th: after the period
  };
  db().Write([&](store::Session& s) { watch::StoreReadings(s, hanako_device_, readings, kMonday + 2 * kDay); });
  Climate climate = AnalyseHanako("tenant", "2026-11-02", "2026-11-03").climate;
  ASSERT_TRUE(climate.temperature[9]);
  EXPECT_DOUBLE_EQ(*climate.temperature[9], 23);
  ASSERT_TRUE(climate.humidity[23]);
  EXPECT_DOUBLE_EQ(*climate.humidity[23], 50);
  EXPECT_FALSE(climate.humidity[0]);
  for (int hour : {8, 10, 0}) EXPECT_FALSE(climate.temperature[hour]) << hour;
}

TEST_P(InsightStoreTest, CohortsAreKeptAtIngestByDistrict) {
  Openings(hanako_device_, 0, 14, 2);
  Openings(ichiro_device_, 0, 14, 4);
  auto cohorts = db().Read([&](store::Session& s) { return ListCohorts(s, seto_); });
  ASSERT_EQ(cohorts.size(), 3u);
  EXPECT_EQ(cohorts[0].id, "tenant");
  EXPECT_EQ(cohorts[0].name, "瀬戸市 全体");
  EXPECT_EQ(cohorts[0].households, 2);
  EXPECT_EQ(cohorts[1].id, "district:品野");
  EXPECT_EQ(cohorts[2].households, 1);

  Analysis whole = AnalyseHanako("tenant", "2026-11-02", "2026-11-15");
  EXPECT_EQ(whole.person.total, 14 * 3 * 2);
  EXPECT_EQ(whole.cohort.total, 14 * 3 * 6);
  EXPECT_EQ(whole.cohort.hourly[12], 14 * 6);
  EXPECT_EQ(whole.person.weekday[0], 2 * 3 * 2);
  ASSERT_TRUE(whole.climate.temperature[9]);
  EXPECT_DOUBLE_EQ(*whole.climate.temperature[9], 21.5);
  EXPECT_FALSE(whole.climate.temperature[10]);
  EXPECT_EQ(AnalyseHanako("district:水野", "2026-11-02", "2026-11-15").cohort.total, 14 * 3 * 4);

  // A retried upload adds nothing to either count.
  next_seq_ = 1;
  Openings(hanako_device_, 0, 14, 2);
  EXPECT_EQ(AnalyseHanako("tenant", "2026-11-02", "2026-11-15").cohort.total, 14 * 3 * 6);

  Cohort group = db().Write([&](store::Session& s) { return AddGroup(s, seto_, "サロン", {ichiro_home_}, doctor_.user_id, 0); });
  EXPECT_EQ(group.households, 1);
  EXPECT_EQ(AnalyseHanako(group.id, "2026-11-02", "2026-11-08").cohort.total, 7 * 3 * 4);
  EXPECT_FALSE(db().Read([&](store::Session& s) { return FindCohort(s, seto_, "group:999"); }));
  EXPECT_FALSE(db().Read([&](store::Session& s) { return FindCohort(s, other_, group.id); })) << "another town's group";
  EXPECT_THROW(db().Write([&](store::Session& s) { AddGroup(s, seto_, "サロン", {hanako_home_}, doctor_.user_id, 0); }),
               Failure);
}

TEST_P(InsightStoreTest, CohortCountsStayExactWithUploadsInSeveralGroupsAtOnce) {
  // As the server ingests on PostgreSQL: several groups in flight, every upload adding to the
  // same municipality and district rows of the same hours.
  store::GroupCommit commits(db(), 3);
  watch::IngestWriter writer(commits);
  constexpr int kThreads = 8, kUploads = 12;
  std::atomic<std::int64_t> seq{1};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const watch::DeviceIdentity& device = t % 2 ? hanako_device_ : ichiro_device_;
      for (int u = 0; u < kUploads; ++u) {
        std::vector<watch::Reading> readings;
        for (int hour : {7, 12, 18}) readings.push_back({seq++, kMonday + hour * kHour + u * 1000, watch::ReadingKind::kDoor, 1});
        writer.Submit(device, readings, kMonday + kDay);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(commits.conflicts(), 0) << "groups deadlocked over a household's or a cohort's rows";
  auto sum = [&](const std::string& sql) { return db().Read([&](store::Session& s) { return s.QueryOne(sql)->Int(0); }); };
  EXPECT_EQ(sum("SELECT SUM(openings) FROM door_hourly"), kThreads * kUploads * 3);
  EXPECT_EQ(sum("SELECT SUM(openings) FROM tenant_hourly"), kThreads * kUploads * 3);
  EXPECT_EQ(sum("SELECT SUM(openings) FROM cohort_hourly WHERE district = '品野'"), kThreads / 2 * kUploads * 3);
  Analysis whole = AnalyseHanako("tenant", "2026-11-02", "2026-11-02");
  EXPECT_EQ(whole.cohort.hourly[12], kThreads * kUploads);
  EXPECT_EQ(AnalyseHanako("district:品野", "2026-11-02", "2026-11-02").cohort.hourly[12], kThreads / 2 * kUploads);
}

TEST_P(InsightStoreTest, TheDailyAnalysisPostsEachFindingOnceAndItCanBeDiscussed) {
  Register(hanako_, doctor_);
  Openings(hanako_device_, 0, 28, 3, /*skip=*/20);  // one silent Sunday, 2026-11-22
  Openings(ichiro_device_, 0, 28, 3);
  UnixMillis now = kMonday + 28 * kDay + 10 * kHour;  // 2026-11-30 10:00 JST
  EXPECT_TRUE(RunDailyAnalysis(db(), now - 2 * kHour).empty()) << "not before the morning upload is in";
  auto posted = RunDailyAnalysis(db(), now);
  ASSERT_EQ(posted.size(), 1u);
  EXPECT_EQ(posted[0].person_id, hanako_);
  auto findings = db().Read([&](store::Session& s) { return RecordedFindings(s, hanako_home_); });
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].finding.code, "silent_days");
  EXPECT_EQ(findings[0].from, "2026-11-02");
  EXPECT_EQ(findings[0].to, "2026-11-29");
  auto timeline = db().Read([&](store::Session& s) { return carenet::TimelinePage(s, hanako_, doctor_.user_id, std::nullopt, 5); });
  EXPECT_NE(timeline.dump().find("開閉が1回もない日がありました（11/22）"), std::string::npos) << timeline.dump();

  EXPECT_TRUE(RunDailyAnalysis(db(), now + kHour).empty()) << "once a local day";
  EXPECT_TRUE(RunDailyAnalysis(db(), now + kDay).empty()) << "the same finding is not told again within 28 days";
  EXPECT_EQ(db().Read([&](store::Session& s) { return RecordedFindings(s, hanako_home_); }).size(), 1u);

  db().Write([&](store::Session& s) { MarkDiscussed(s, findings[0].id, doctor_.user_id, "外泊でした", now); });
  auto discussed = *db().Read([&](store::Session& s) { return FindRecorded(s, findings[0].id); });
  EXPECT_EQ(discussed.discussed_at, now);
  EXPECT_EQ(discussed.discussed_by, "doctor");
  EXPECT_EQ(discussed.discussed_note, "外泊でした");
  EXPECT_EQ(discussed.person_id, hanako_);
}

INSTANTIATE_TEST_SUITE_P(Backends, InsightStoreTest, ::testing::ValuesIn(store::TestBackends()));

}  // namespace
}  // namespace moyakko::insight
