#include "watch/rules.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>

#include "common/error.h"
#include "watch/monitor.h"

namespace moyakko::watch {
namespace {

constexpr UnixMillis kMin = 60 * 1000;
constexpr UnixMillis kHour = 60 * kMin;
// 2025-11-26 00:00 in Japan.
constexpr UnixMillis kMidnight = 1764082800000;
constexpr UnixMillis At(int hour, int minute = 0) { return kMidnight + hour * kHour + minute * kMin; }

struct Case {
  const char* name;
  HouseholdFacts facts;
  UnixMillis now;
  std::vector<AlertKind> expected;
};

class EvaluateTest : public ::testing::TestWithParam<Case> {};

TEST_P(EvaluateTest, Finds) {
  std::vector<AlertKind> kinds;
  for (const Finding& f : Evaluate(Thresholds{}, GetParam().facts, GetParam().now)) {
    kinds.push_back(f.kind);
    EXPECT_FALSE(f.text.empty());
  }
  EXPECT_EQ(kinds, GetParam().expected);
}

const HouseholdFacts kNormal{.watched_since = At(-24 * 30), .last_upload_at = At(14), .last_opening_at = At(13, 40),
                             .temperature = 20, .humidity = 50, .battery = 80};

HouseholdFacts With(std::function<void(HouseholdFacts&)> change) {
  HouseholdFacts f = kNormal;
  change(f);
  return f;
}

INSTANTIATE_TEST_SUITE_P(Table, EvaluateTest, ::testing::Values(
    Case{"all_well", kNormal, At(14, 5), {}},
    Case{"idle_since_morning", With([](auto& f) { f.last_opening_at = At(7, 30); }), At(14, 5), {AlertKind::kNoActivity}},
    Case{"idle_5h_is_fine", With([](auto& f) { f.last_opening_at = At(9, 1); }), At(14, 5), {}},
    // Last opening 21:00, sleep 22–6: by 08:00 only 1 h + 2 h awake, no alarm.
    Case{"sleep_window_respected", With([](auto& f) { f.last_opening_at = At(-3); f.last_upload_at = At(8); }), At(8, 5), {}},
    Case{"idle_counts_only_reported_time", With([](auto& f) { f.last_opening_at = At(7, 30); f.last_upload_at = At(8); }),
         At(13), {}},
    Case{"missed_14_upload", With([](auto& f) { f.last_upload_at = At(8); }), At(15, 1), {AlertKind::kMissedUpload}},
    Case{"upload_grace", With([](auto& f) { f.last_upload_at = At(8); }), At(14, 59), {}},
    Case{"early_event_upload_counts", With([](auto& f) { f.last_upload_at = At(13, 45); }), At(15, 1), {}},
    Case{"new_device_no_missed_upload", With([](auto& f) { f.watched_since = At(14, 30); f.last_upload_at.reset(); }),
         At(15, 1), {}},
    Case{"door_left_open",
         With([](auto& f) { f.door_open = true; f.door_state_at = At(13, 40); f.last_upload_at = At(14, 10); }), At(14, 11),
         {AlertKind::kDoorLeftOpen}},
    Case{"door_open_briefly", With([](auto& f) { f.door_open = true; f.door_state_at = At(14); }), At(14, 5), {}},
    // Open at the last upload, 20 min after opening: the close may still be in the gateway.
    Case{"door_open_judged_to_last_upload",
         With([](auto& f) { f.door_open = true; f.door_state_at = At(13, 20); f.last_upload_at = At(13, 40); }),
         At(15, 0), {}},
    Case{"heat", With([](auto& f) { f.temperature = 34; f.humidity = 70; }), At(14, 5), {AlertKind::kHeat}},
    Case{"warm_but_dry_is_fine", With([](auto& f) { f.temperature = 29; f.humidity = 30; }), At(14, 5), {}},
    Case{"cold", With([](auto& f) { f.temperature = 8; }), At(14, 5), {AlertKind::kCold}},
    Case{"humid", With([](auto& f) { f.humidity = 95; }), At(14, 5), {AlertKind::kHumidity}},
    Case{"battery", With([](auto& f) { f.battery = 10; }), At(14, 5), {AlertKind::kBatteryLow}}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(Evaluate, SaysWhyInJapaneseWithEvidence) {
  HouseholdFacts f = kNormal;
  f.last_opening_at = At(7, 30);
  auto findings = Evaluate(Thresholds{}, f, At(14, 5));
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].text, "7:30以降、冷蔵庫の開閉がありません");
  EXPECT_EQ(findings[0].urgency, 3);
  EXPECT_DOUBLE_EQ(findings[0].evidence["waking_hours_idle"].get<double>(), 6.5);
}

// A person who opens the fridge 1.5 times an hour from 07:00 to 21:00 and 0.1 times an hour
// otherwise, every day; `away_weekday` (Monday 0) they are usually out all day.
UsualRhythm Rhythm(double day_rate = 1.5, double night_rate = 0.1, int away_weekday = -1) {
  UsualRhythm r;
  r.days = 28;
  for (int i = 0; i < 168; ++i) {
    int hour = i % 24;
    r.hourly[i] = i / 24 == away_weekday ? 0 : (hour >= 7 && hour < 21 ? day_rate : night_rate);
  }
  return r;
}

HouseholdFacts WithRhythm(std::function<void(HouseholdFacts&)> change) {
  return With([&](HouseholdFacts& f) {
    f.usual = Rhythm();
    f.openings_last_day = 22;
    f.openings_last_week = 150;
    f.openings_last_night = 1;
    change(f);
  });
}

// 2025-11-26 is a Wednesday: weekday 2.
INSTANTIATE_TEST_SUITE_P(Baseline, EvaluateTest, ::testing::Values(
    Case{"usual_day", WithRhythm([](auto&) {}), At(14, 5), {}},
    // Silent since 7:20, where the person usually opens the fridge 10 times.
    Case{"silent_where_usually_busy", WithRhythm([](auto& f) { f.last_opening_at = At(7, 20); }), At(14, 5),
         {AlertKind::kNoActivity}},
    Case{"adaptive_needs_two_hours", WithRhythm([](auto& f) {
           f.usual = Rhythm(9);  // 12 usual openings since 12:40, but not two hours yet
           f.last_opening_at = At(12, 40);
           f.openings_last_day = 120;
           f.openings_last_week = 840;
         }),
         At(14, 5), {}},
    // Usually away on Wednesdays (short stay): 9 waking hours of silence is their normal.
    Case{"habitual_absence_is_not_silence",
         WithRhythm([](auto& f) { f.usual = Rhythm(1.5, 0.1, 2); f.last_opening_at = At(-3); f.openings_last_day = 9; }),
         At(14, 5), {}},
    Case{"unknown_rhythm_uses_fixed_hours",
         WithRhythm([](auto& f) { f.usual.days = 6; f.last_opening_at = At(10); f.openings_last_day = 2; }),
         At(14, 5), {}},
    Case{"far_fewer_today", WithRhythm([](auto& f) { f.openings_last_day = 4; }), At(14, 5), {AlertKind::kLowActivity}},
    Case{"slow_decline_over_the_week", WithRhythm([](auto& f) { f.openings_last_day = 12; f.openings_last_week = 70; }),
         At(14, 5), {AlertKind::kLowActivity}},
    Case{"night_activity", WithRhythm([](auto& f) { f.openings_last_night = 7; }), At(14, 5), {AlertKind::kNightActivity}},
    Case{"night_owl_is_usual", WithRhythm([](auto& f) { f.usual = Rhythm(1.5, 1); f.openings_last_night = 6; }),
         At(14, 5), {}},
    Case{"one_restless_night_is_usual", WithRhythm([](auto& f) { f.openings_last_night = 3; }), At(14, 5), {}}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(Evaluate, ComparesWithThePersonsOwnUsualInJapanese) {
  HouseholdFacts f = WithRhythm([](auto& f) { f.last_opening_at = At(7, 20); });
  auto findings = Evaluate(Thresholds{}, f, At(14, 5));
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].text, "7:20以降、冷蔵庫の開閉がありません（普段この時間帯は平均10回）");
  EXPECT_DOUBLE_EQ(findings[0].evidence["usual_openings"].get<double>(), 10);
  f = WithRhythm([](auto& f) { f.openings_last_night = 7; });
  findings = Evaluate(Thresholds{}, f, At(14, 5));
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].text, "夜間（22:00〜6:00）に冷蔵庫の開閉が7回ありました（普段は平均0.8回）");
}

TEST(Evaluate, OneSituationIsOneEpisodeHoweverOftenEvaluated) {
  HouseholdFacts f = kNormal;
  f.last_opening_at = At(7, 30);
  auto first = Evaluate(Thresholds{}, f, At(14, 5));
  f.last_upload_at = At(14, 50);
  auto later = Evaluate(Thresholds{}, f, At(14, 55));
  ASSERT_EQ(first.size(), 1u);
  ASSERT_EQ(later.size(), 1u);
  EXPECT_FALSE(first[0].episode.empty());
  EXPECT_EQ(first[0].episode, later[0].episode);
  f.last_opening_at = At(8);  // a late-arriving opening: a different silence
  EXPECT_NE(Evaluate(Thresholds{}, f, At(14, 55)).at(0).episode, first[0].episode);
  HouseholdFacts hot = With([](auto& f) { f.temperature = 34; f.humidity = 70; });
  EXPECT_EQ(Evaluate(Thresholds{}, hot, At(9)).at(0).episode, Evaluate(Thresholds{}, hot, At(20)).at(0).episode);
  EXPECT_NE(Evaluate(Thresholds{}, hot, At(9)).at(0).episode, Evaluate(Thresholds{}, hot, At(24 + 9)).at(0).episode);
}

TEST(Rhythm, CountsExpectedOpeningsByLocalHourOfWeek) {
  EXPECT_EQ(HourOfWeek(9 * 60, kMidnight), 2 * 24);            // Wednesday 00:00
  EXPECT_EQ(HourOfWeek(9 * 60, At(24 * 5 + 23)), 23);  // the next Monday, 23:00
  UsualRhythm r = Rhythm();
  EXPECT_DOUBLE_EQ(r.Expected(9 * 60, At(10), At(14)), 6);
  EXPECT_DOUBLE_EQ(r.Expected(9 * 60, At(20, 30), At(21, 30)), 0.75 + 0.05);
  EXPECT_EQ(r.WhenExpectedReaches(9 * 60, At(10), 6), At(14));
  EXPECT_FALSE(UsualRhythm{}.WhenExpectedReaches(9 * 60, At(10), 6));
}

TEST(Rhythm, WindowsEndAtTheLastUpload) {
  Thresholds t;
  auto night = LastNight(t, At(8));
  ASSERT_TRUE(night);
  EXPECT_EQ(night->from, At(-2));
  EXPECT_EQ(night->to, At(6));
  EXPECT_EQ(LastNight(t, At(5))->to, At(-18));  // tonight is not over yet
  t.sleep_end_hour = t.sleep_start_hour;
  EXPECT_FALSE(LastNight(t, At(8)));
}

TEST(Wbgt, FollowsTheFormulaAndRisesWithHeatAndHumidity) {
  EXPECT_NEAR(IndoorWbgt(30, 70), 26.74, 0.01);
  EXPECT_NEAR(IndoorWbgt(35, 50), 28.64, 0.01);
  EXPECT_GT(IndoorWbgt(31, 70), IndoorWbgt(30, 70));
  EXPECT_GT(IndoorWbgt(30, 80), IndoorWbgt(30, 70));
}

TEST(NextDeadline, IsTheEarliestTimeBasedRule) {
  Thresholds t;
  HouseholdFacts f = kNormal;
  // At 14:05 the 14:00 upload is checked at 15:00 (grace); inactivity would be 19:40.
  EXPECT_EQ(NextDeadline(t, f, At(14, 5)), At(15));
  EXPECT_EQ(NextDeadline(t, f, At(15, 5)), At(19, 40));
  f.door_open = true;
  f.door_state_at = At(14);
  EXPECT_EQ(NextDeadline(t, f, At(14, 5)), At(14, 30));
  f.door_open = false;
  f.last_opening_at = At(21);  // 1 h before sleep, 5 h after 06:00
  EXPECT_EQ(NextDeadline(t, f, At(21, 5)), At(24 + 9));  // upload deadline 09:00 comes before 11:00
  f.last_opening_at = At(4);   // asleep: waking time starts at 06:00
  EXPECT_EQ(NextDeadline(t, f, At(4, 5)), At(9));
  f.usual = Rhythm();           // 10 usual openings after 13:40 come by 20:20
  f.last_opening_at = At(13, 40);
  EXPECT_EQ(NextDeadline(t, f, At(15, 5)), At(20, 20));
}

TEST(WakingTime, SkipsTheSleepWindow) {
  Thresholds t;
  EXPECT_EQ(WakingMillisBetween(t, At(-3), At(8)), 3 * kHour);
  EXPECT_EQ(WakingMillisBetween(t, At(10), At(12, 30)), 150 * kMin);
}

}  // namespace
}  // namespace moyakko::watch

namespace moyakko::watch {
namespace {

TEST(ApplySettings, ChangesOnlyValidNamedFields) {
  Thresholds t;
  ApplySettings(t, {{"no_activity_hours", 4}, {"heat_wbgt", 27.5}, {"upload_hours", {7, 19}}});
  EXPECT_EQ(t.no_activity_hours, 4);
  EXPECT_DOUBLE_EQ(t.heat_wbgt, 27.5);
  EXPECT_EQ(t.upload_hours, (std::vector<int>{7, 19}));
  auto field_of = [&](const nlohmann::json& settings) {
    Thresholds copy = t;
    try {
      ApplySettings(copy, settings);
    } catch (const Failure& f) {
      EXPECT_EQ(copy.no_activity_hours, 4) << "changed despite the error";
      return f.error().field;
    }
    return std::string("ok");
  };
  EXPECT_EQ(field_of({{"no_activity_hours", 0}}), "settings.no_activity_hours");
  EXPECT_EQ(field_of({{"no_activity_hours", 5.5}}), "settings.no_activity_hours");
  EXPECT_EQ(field_of({{"heat_wbgt", "28"}}), "settings.heat_wbgt");
  EXPECT_EQ(field_of({{"upload_hours", {25}}}), "settings.upload_hours");
  EXPECT_EQ(field_of({{"shoe_size", 27}}), "settings.shoe_size");
  EXPECT_EQ(field_of({{"no_activity_hours", 3}, {"humidity_low", 95}}), "settings.humidity_low");
  EXPECT_EQ(SettingsJson(t)["no_activity_hours"], 4);
}

TEST(Evaluate, AShorterInactivityThresholdFiresEarlier) {
  HouseholdFacts f = kNormal;
  f.last_opening_at = At(10);
  EXPECT_TRUE(Evaluate(Thresholds{}, f, At(14, 5)).empty());
  Thresholds strict;
  ApplySettings(strict, {{"no_activity_hours", 3}});
  auto findings = Evaluate(strict, f, At(14, 5));
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].kind, AlertKind::kNoActivity);
}

// The rhythm's hourly means are read at every upload without a JSON parser: whatever
// LoadRhythm stores must read back exactly; anything else must be refused, not misread.
TEST(HourlyMeans, ReadBackExactlyWhatIsStored) {
  std::array<double, 168> means{};
  nlohmann::json stored = nlohmann::json::array();
  for (std::size_t i = 0; i < means.size(); ++i) {
    means[i] = std::round((i % 7) * 1.37 / 3 * 1000) / 1000 + (i == 5 ? 1e-3 : 0) + (i == 9 ? 12345.678 : 0);
    stored.push_back(means[i]);
  }
  std::array<double, 168> read{};
  ASSERT_TRUE(ReadHourlyMeans(stored.dump(), read)) << stored.dump();
  EXPECT_EQ(read, means);
  EXPECT_TRUE(ReadHourlyMeans("[]", read));
  ASSERT_TRUE(ReadHourlyMeans("[1.5,2,0.0]", read));
  EXPECT_EQ(read[0], 1.5);
  EXPECT_EQ(read[1], 2);
  EXPECT_EQ(read[2], 0);
  stored.push_back(1.0);  // one too many
  EXPECT_FALSE(ReadHourlyMeans(stored.dump(), read));
  for (const char* other : {"", "[", "]", "1,2", "[1,,2]", "[1,2,]", "[,1]", "[1, 2]", "[ 1]", "[\"1\"]", "{}", "[1e99999]",
                            "[null]", "[1,2] "}) {
    EXPECT_FALSE(ReadHourlyMeans(other, read)) << other;
  }
}

}  // namespace
}  // namespace moyakko::watch
