#include "sim/history.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "watch/rules.h"

namespace moyakko::sim {
namespace {

constexpr UnixMillis kHour = 3600 * 1000;
constexpr UnixMillis kDay = 24 * kHour;
constexpr int kJapan = 9 * 60;
constexpr UnixMillis kFrom = 1764082800000;  // 2025-11-26 00:00 in Japan, a Wednesday
constexpr UnixMillis kTo = kFrom + 56 * kDay;

std::vector<UnixMillis> Openings(const std::vector<watch::Reading>& readings, UnixMillis from = 0,
                                 UnixMillis to = INT64_MAX) {
  std::vector<UnixMillis> at;
  for (const auto& r : readings) {
    if (r.kind == watch::ReadingKind::kDoor && r.value == 1 && r.at >= from && r.at < to) at.push_back(r.at);
  }
  return at;
}

std::vector<watch::Reading> Generate(const Persona& p, std::vector<Anomaly> anomalies = {}, std::uint32_t seed = 7) {
  std::mt19937 rng(seed);
  return GenerateHistory(p, anomalies, kFrom, kTo, kJapan, rng, 100);
}

TEST(GenerateHistory, IsInTimeOrderWithinTheWindowAndNumbered) {
  auto readings = Generate(Persona{});
  ASSERT_FALSE(readings.empty());
  EXPECT_TRUE(std::is_sorted(readings.begin(), readings.end(), [](auto& a, auto& b) { return a.at < b.at; }));
  EXPECT_GE(readings.front().at, kFrom);
  EXPECT_LT(readings.back().at, kTo);
  for (std::size_t i = 0; i < readings.size(); ++i) EXPECT_EQ(readings[i].seq, 100 + static_cast<std::int64_t>(i));
  double per_day = static_cast<double>(Openings(readings).size()) / 56;
  EXPECT_NEAR(per_day, 28, 2);
}

TEST(GenerateHistory, FollowsTheCohortPeaks) {
  std::array<int, 24> by_hour{};
  for (UnixMillis at : Openings(Generate(Persona{}))) ++by_hour[watch::HourOfWeek(kJapan, at) % 24];
  // Breakfast, lunch and supper above the mid-morning and mid-afternoon lulls; nights quiet.
  EXPECT_GT(by_hour[7], 2 * by_hour[9]);
  EXPECT_GT(by_hour[12], by_hour[14]);
  EXPECT_GT(by_hour[18], by_hour[15]);
  EXPECT_LT(by_hour[2], by_hour[7] / 10);
}

TEST(GenerateHistory, HabitsShowInTheData) {
  Persona away;
  away.away_weekdays = {4, 5};  // Friday and Saturday
  for (UnixMillis at : Openings(Generate(away))) {
    int weekday = watch::HourOfWeek(kJapan, at) / 24;
    // A Thursday-evening opening may be shifted past midnight; none fall in the stay itself.
    EXPECT_TRUE(weekday != 5 && !(weekday == 4 && watch::HourOfWeek(kJapan, at) % 24 >= 2)) << at;
  }
  Persona owl;
  owl.night_owl = true;
  auto night = [](const std::vector<UnixMillis>& at) {
    return std::count_if(at.begin(), at.end(), [](UnixMillis t) { return watch::HourOfWeek(kJapan, t) % 24 < 4; });
  };
  EXPECT_GT(night(Openings(Generate(owl))), 4 * night(Openings(Generate(Persona{}))));
}

TEST(GenerateHistory, InjectsEachAnomalyAsLabelled) {
  Anomaly collapse{AnomalyKind::kCollapse, kFrom + 30 * kDay + 10 * kHour, kFrom + 31 * kDay + 10 * kHour};
  auto readings = Generate(Persona{}, {collapse});
  EXPECT_TRUE(Openings(readings, collapse.start, collapse.end).empty());
  EXPECT_FALSE(Openings(readings, collapse.end, collapse.end + kDay).empty());
  EXPECT_TRUE(std::any_of(readings.begin(), readings.end(), [&](auto& r) {
    return r.kind == watch::ReadingKind::kTemperature && r.at >= collapse.start && r.at < collapse.end;
  })) << "the gateway still reports the room";

  Anomaly heat{AnomalyKind::kHeat, kFrom + 40 * kDay + 12 * kHour, kFrom + 40 * kDay + 18 * kHour};
  for (const auto& r : Generate(Persona{}, {heat})) {
    if (r.kind == watch::ReadingKind::kTemperature && r.at >= heat.start && r.at < heat.end) {
      EXPECT_GE(r.value, 32.5);
    }
  }

  Anomaly open{AnomalyKind::kDoorLeftOpen, kFrom + 35 * kDay + 9 * kHour, kFrom + 35 * kDay + 11 * kHour};
  readings = Generate(Persona{}, {open});
  std::vector<watch::Reading> door;
  std::copy_if(readings.begin(), readings.end(), std::back_inserter(door), [&](auto& r) {
    return r.kind == watch::ReadingKind::kDoor && r.at >= open.start && r.at <= open.end;
  });
  ASSERT_EQ(door.size(), 2u);
  EXPECT_EQ(door[0].value, 1);
  EXPECT_EQ(door[1].value, 0);

  Anomaly wandering{AnomalyKind::kNightWandering, kFrom + 42 * kDay, kFrom + 45 * kDay};
  readings = Generate(Persona{}, {wandering});
  for (int night = 42; night < 45; ++night) {
    EXPECT_GE(Openings(readings, kFrom + night * kDay, kFrom + night * kDay + 4 * kHour).size(), 6u);
  }

  Anomaly decline{AnomalyKind::kSlowDecline, kFrom + 21 * kDay, kFrom + 66 * kDay};
  readings = Generate(Persona{}, {decline});
  double before = static_cast<double>(Openings(readings, kFrom, kFrom + 21 * kDay).size());
  double after = static_cast<double>(Openings(readings, kFrom + 42 * kDay, kTo).size()) * 21 / 14;
  EXPECT_NEAR(after / before, 1.0 / 3, 0.1);
}

TEST(RandomAnomaly, CollapsesHappenInWakingHoursWithinTheRange) {
  std::mt19937 rng(3);
  for (int i = 0; i < 200; ++i) {
    Anomaly a = RandomAnomaly(AnomalyKind::kCollapse, kFrom + 28 * kDay, kFrom + 50 * kDay, kJapan, rng);
    int hour = watch::HourOfWeek(kJapan, a.start) % 24;
    EXPECT_GE(hour, 7);
    EXPECT_LT(hour, 20);
    EXPECT_GE(a.start, kFrom + 28 * kDay);
    EXPECT_LT(a.start, kFrom + 51 * kDay);
    EXPECT_EQ(a.end - a.start, kDay);
  }
}

}  // namespace
}  // namespace moyakko::sim
