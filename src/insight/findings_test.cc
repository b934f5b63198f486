#include "insight/findings.h"

#include <gtest/gtest.h>

#include <functional>
#include <iostream>
#include <optional>
#include <map>
#include <random>

#include "sim/history.h"

namespace moyakko::insight {
namespace {

constexpr UnixMillis kHour = 3600 * 1000;
constexpr UnixMillis kMonday = 1793545200000;  // 2026-11-02 00:00 JST
const std::string kTokyo = "Asia/Tokyo";

// Openings at local hour `hour` of day `day` (0 = 2026-11-02).
HourCount At(int day, int hour, std::int64_t openings = 1) { return {kMonday + (day * 24 + hour) * kHour, openings}; }

struct Case {
  Period period;
  std::vector<HourCount> person, cohort;
  int households = 0;

  std::vector<Finding> Find() const {
    Profile p = BuildProfile(period, person, kTokyo), c = BuildProfile(period, cohort, kTokyo);
    Rhythm rhythm = ReadRhythm(period, p);
    auto [first, second] = Halves(period);
    Profile a = BuildProfile(first, person, kTokyo), b = BuildProfile(second, person, kTokyo);
    return FindAll({period, p, rhythm, a, b, c, households});
  }
  std::vector<std::string> Codes() const {
    std::vector<std::string> codes;
    for (const Finding& f : Find()) codes.push_back(f.code);
    return codes;
  }
  std::optional<Finding> Get(const std::string& code) const {
    for (Finding& f : Find()) {
      if (f.code == code) return std::move(f);
    }
    return std::nullopt;
  }
};

// Every day of `days`, `per_meal` openings at 7:00, 12:00 and 18:00 and one at 15:00.
std::vector<HourCount> Meals(int days, std::int64_t per_meal = 3) {
  std::vector<HourCount> counts;
  for (int day = 0; day < days; ++day) {
    for (int hour : {7, 12, 18}) counts.push_back(At(day, hour, per_meal));
    counts.push_back(At(day, 15));
  }
  return counts;
}

TEST(FindingsTest, TheSeedsWeekdayTableShowsFridayAndSaturdayAndQuietNights) {
  const std::array<std::int64_t, 7> seed = {51, 28, 65, 38, 10, 21, 44};
  const std::array<int, 5> hours = {7, 12, 12, 18, 21};
  Case c{MakePeriod("2026-11-02", "2026-11-29", kTokyo), {}, {}, 0};
  for (int weekday = 0; weekday < 7; ++weekday) {
    for (std::int64_t k = 0; k < seed[weekday]; ++k) c.person.push_back(At(static_cast<int>(k % 4) * 7 + weekday, hours[k % 5]));
  }
  EXPECT_EQ(c.Codes(), (std::vector<std::string>{"weekday_dip", "no_night_activity"}));
  auto dip = c.Get("weekday_dip");
  ASSERT_TRUE(dip);
  EXPECT_EQ(dip->evidence["weekdays"], (nlohmann::json{4, 5}));
  EXPECT_NE(dip->text.find("金・土曜日"), std::string::npos) << dip->text;
  EXPECT_NE(dip->text_en.find("Fri/Sat"), std::string::npos) << dip->text_en;
  EXPECT_FALSE(dip->suggestion.empty());
}

TEST(FindingsTest, LateSundayNightsAndNightActivity) {
  Case sparse{MakePeriod("2026-11-02", "2026-11-29", kTokyo), Meals(28), {}, 0};
  for (int week = 0; week < 4; ++week) sparse.person.push_back(At(week * 7 + 6, 0));  // Sunday 0:00, once a week
  EXPECT_FALSE(sparse.Get("late_night_weekday")) << "four openings in four nights can be chance";

  Case c{MakePeriod("2026-11-02", "2026-11-29", kTokyo), Meals(28), {}, 0};
  for (int week = 0; week < 4; ++week) {
    c.person.push_back(At(week * 7 + 6, 23, 3));  // Sunday 23:00
    c.person.push_back(At(week * 7 + 7, 0, 2));   // Monday 0:00
  }
  c.cohort = Meals(28);
  auto late = c.Get("late_night_weekday");
  ASSERT_TRUE(late) << ::testing::PrintToString(c.Codes());
  EXPECT_EQ(late->evidence["weekday"], 6);
  EXPECT_NE(late->text.find("日曜日の夜遅く"), std::string::npos) << late->text;
  // Two openings a week at night out of ~300 is not a night-time habit.
  EXPECT_FALSE(c.Get("night_activity"));

  for (int day = 0; day < 28; ++day) c.person.push_back(At(day, 3, 2));  // up every night at 3:00
  auto night = c.Get("night_activity");
  ASSERT_TRUE(night);
  EXPECT_GT(night->evidence["night_share"].get<double>(), 0.08);
  EXPECT_EQ(night->evidence["cohort_night_share"], 0.0);
}

TEST(FindingsTest, MealTimesLosingTheirShape) {
  Case c{MakePeriod("2026-11-02", "2026-11-29", kTokyo), Meals(14), {}, 0};
  for (int day = 14; day < 28; ++day) {
    for (int hour = 6; hour < 22; ++hour) c.person.push_back(At(day, hour, hour % 3 == 0 ? 1 : 0));
    c.person.push_back(At(day, 7, 2));
    c.person.push_back(At(day, 13, 3));
  }
  auto meals = c.Get("meal_irregular");
  ASSERT_TRUE(meals) << ::testing::PrintToString(c.Codes());
  EXPECT_GT(meals->evidence["share_before"].get<double>() - meals->evidence["share_after"].get<double>(), 0.15);
  Case regular{c.period, Meals(28), {}, 0};
  EXPECT_FALSE(regular.Get("meal_irregular"));
}

TEST(FindingsTest, FarBelowTheCohortAndSilentDays) {
  Case c{MakePeriod("2026-11-02", "2026-11-15", kTokyo), Meals(14, 1), {}, 10};
  for (int household = 0; household < 10; ++household) {
    for (const HourCount& count : Meals(14, 4)) c.cohort.push_back(count);
  }
  auto low = c.Get("low_vs_cohort");
  ASSERT_TRUE(low);
  EXPECT_EQ(low->evidence["per_day"], 4.0);
  EXPECT_EQ(low->evidence["cohort_per_day"], 13.0);

  std::erase_if(c.person, [](const HourCount& count) { return count.hour_at >= At(9, 0).hour_at && count.hour_at < At(10, 0).hour_at; });
  auto silent = c.Get("silent_days");
  ASSERT_TRUE(silent);
  EXPECT_EQ(silent->evidence["dates"], (nlohmann::json{"2026-11-11"}));
  EXPECT_NE(silent->text.find("11/11"), std::string::npos);
}

TEST(FindingsTest, TrendIsRobustAndOneSided) {
  std::vector<Week> falling, flat, rising;
  for (int w = 0; w < 10; ++w) {
    falling.push_back({"", 7, static_cast<std::int64_t>(7 * (30 - 2 * w) + (w % 2 ? 9 : -9))});
    flat.push_back({"", 7, 7 * 25 + (w % 3) * 10});
    rising.push_back({"", 7, 7 * (10 + 2 * w)});
  }
  falling[4].openings = 1000;  // one wild week does not move Theil–Sen
  auto down = WeeklyTrend(falling);
  ASSERT_TRUE(down);
  EXPECT_EQ(down->weeks, 10);
  EXPECT_LT(down->p_falling, kDeclineP);
  EXPECT_NEAR(down->start, 30, 2);
  EXPECT_NEAR(down->end, 12, 2);
  EXPECT_GT(WeeklyTrend(flat)->p_falling, 0.1);
  EXPECT_GT(WeeklyTrend(rising)->p_falling, 0.99);
  EXPECT_FALSE(WeeklyTrend({{"", 7, 10}, {"", 7, 9}}));
  std::vector<Week> partial = {{"", 2, 100}, {"", 7, 70}, {"", 7, 70}, {"", 7, 70}};
  EXPECT_EQ(WeeklyTrend(partial)->weeks, 3) << "a week of 2 days in the period is left out";
}

// Counts of a simulated resident's door openings, hour by hour.
std::vector<HourCount> Simulated(const sim::Persona& persona, std::span<const sim::Anomaly> anomalies, const Period& period,
                                 std::mt19937& rng) {
  std::map<UnixMillis, std::int64_t> hours;
  for (const watch::Reading& r : sim::GenerateHistory(persona, anomalies, period.begin(), period.end(), 9 * 60, rng)) {
    if (r.kind == watch::ReadingKind::kDoor && r.value == 1) ++hours[r.at - r.at % kHour];
  }
  std::vector<HourCount> counts;
  for (const auto& [hour, openings] : hours) counts.push_back({hour, openings});
  return counts;
}

// The decline finding on simulated residents over twelve weeks: how often it is called for
// a stable one (a false alarm), and for one whose openings fall to a third over three weeks.
TEST(FindingsTest, DeclineIsRareForStableResidentsAndFoundForDecliningOnes) {
  Period quarter = MakePeriod("2026-09-07", "2026-11-29", kTokyo);  // 12 weeks
  std::mt19937 rng(20261126);
  constexpr int kResidents = 400;
  int false_alarms = 0, found = 0;
  for (int i = 0; i < kResidents; ++i) {
    sim::Persona persona = sim::RandomPersona(rng);
    Case stable{quarter, Simulated(persona, {}, quarter, rng), {}, 0};
    false_alarms += stable.Get("decline").has_value();
    sim::Anomaly decline{sim::AnomalyKind::kSlowDecline, quarter.begin() + (14 + i % 42) * 24 * kHour, quarter.end()};
    Case declining{quarter, Simulated(persona, std::span(&decline, 1), quarter, rng), {}, 0};
    found += declining.Get("decline").has_value();
  }
  std::cout << "decline over 12 weeks: " << false_alarms << " false alarms in " << kResidents
            << " stable residents, found in " << found << " of " << kResidents << " declining ones\n";
  EXPECT_LE(false_alarms, kResidents / 100);
  EXPECT_GE(found, kResidents * 8 / 10);
}

}  // namespace
}  // namespace moyakko::insight
