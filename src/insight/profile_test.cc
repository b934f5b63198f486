#include "insight/profile.h"

#include <gtest/gtest.h>

#include "common/error.h"

namespace moyakko::insight {
namespace {

constexpr UnixMillis kHour = 3600 * 1000;
// 2026-11-02 (a Monday) 00:00 in Japan is 2026-11-01T15:00Z.
constexpr UnixMillis kMonday = 1793545200000;
const std::string kTokyo = "Asia/Tokyo";

TEST(PeriodTest, DaysOfTheLocalCalendar) {
  Period p = MakePeriod("2026-11-02", "2026-11-08", kTokyo);
  ASSERT_EQ(p.days(), 7);
  EXPECT_EQ(p.begin(), kMonday);
  EXPECT_EQ(p.end(), kMonday + 7 * 24 * kHour);
  EXPECT_EQ(p.weekdays, (std::vector<int>{0, 1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(p.dates.back(), "2026-11-08");
}

TEST(PeriodTest, BadRangesNameTheirField) {
  auto field = [](const std::string& from, const std::string& to) {
    try {
      MakePeriod(from, to, kTokyo);
    } catch (const Failure& f) {
      return f.error().field + ":" + f.error().slug;
    }
    return std::string("ok");
  };
  EXPECT_EQ(field("2026-11-08", "2026-11-02"), "to:reversed_period");
  EXPECT_EQ(field("2026-02-30", "2026-03-02"), "from:invalid_date");
  EXPECT_EQ(field("2026-11-02", "yesterday"), "to:invalid_date");
  EXPECT_EQ(field("2024-01-01", "2026-01-01"), "to:period_too_long");
  EXPECT_EQ(field("2026-11-02", "2026-11-02"), "ok");
}

TEST(ProfileTest, MidnightInJapanSplitsTheDayWhateverTheUtcDate) {
  Period p = MakePeriod("2026-11-02", "2026-11-03", kTokyo);
  Profile profile = BuildProfile(p,
                                 {{kMonday - kHour, 5},                // Sunday 23:00 JST: before the period
                                  {kMonday, 1},                        // Monday 00:00 JST (Sunday 15:00Z)
                                  {kMonday + 23 * kHour, 2},           // Monday 23:00 JST (Monday 14:00Z)
                                  {kMonday + 24 * kHour, 3},           // Tuesday 00:00 JST
                                  {kMonday + 48 * kHour, 7}},          // Wednesday: after it
                                 kTokyo);
  EXPECT_EQ(profile.total, 6);
  EXPECT_EQ(profile.daily, (std::vector<std::int64_t>{3, 3}));
  EXPECT_EQ(profile.hourly[0], 4);
  EXPECT_EQ(profile.hourly[23], 2);
  EXPECT_EQ(profile.by_hour_weekday[0][0], 1);
  EXPECT_EQ(profile.by_hour_weekday[0][23], 2);
  EXPECT_EQ(profile.by_hour_weekday[1][0], 3);
}

TEST(ProfileTest, TablesComeBackExactly) {
  // The seed's person A by weekday over four weeks, spread over the day's hours.
  const std::array<std::int64_t, 7> seed = {51, 28, 65, 38, 10, 21, 44};
  const std::array<int, 5> hours = {7, 12, 12, 18, 22};
  Period p = MakePeriod("2026-11-02", "2026-11-29", kTokyo);
  std::vector<HourCount> counts;
  std::array<std::int64_t, 24> hourly{};
  for (int weekday = 0; weekday < 7; ++weekday) {
    for (std::int64_t k = 0; k < seed[weekday]; ++k) {
      int week = static_cast<int>(k % 4), hour = hours[k % hours.size()];
      counts.push_back({kMonday + ((week * 7 + weekday) * 24 + hour) * kHour, 1});
      ++hourly[hour];
    }
  }
  Profile profile = BuildProfile(p, counts, kTokyo);
  EXPECT_EQ(profile.weekday, seed);
  EXPECT_EQ(profile.hourly, hourly);
  ASSERT_EQ(profile.weekly.size(), 4u);
  std::int64_t total = 0;
  for (const Week& w : profile.weekly) {
    EXPECT_EQ(w.days, 7);
    total += w.openings;
  }
  EXPECT_EQ(total, 257);
  EXPECT_EQ(profile.weekly[1].from, "2026-11-09");
}

TEST(ProfileTest, WeeksStartOnMondayAndAreClippedToThePeriod) {
  Period p = MakePeriod("2026-11-05", "2026-11-17", kTokyo);  // Thursday to the Tuesday after next
  Profile profile = BuildProfile(p, {}, kTokyo);
  ASSERT_EQ(profile.weekly.size(), 3u);
  EXPECT_EQ(profile.weekly[0].from, "2026-11-05");
  EXPECT_EQ(profile.weekly[0].days, 4);
  EXPECT_EQ(profile.weekly[1].from, "2026-11-09");
  EXPECT_EQ(profile.weekly[2].days, 2);
}

TEST(RhythmTest, WindowsWakingBedtimeAndNight) {
  std::array<std::int64_t, 24> hourly{};
  hourly[2] = 2;
  hourly[6] = 10;
  hourly[7] = 12;
  hourly[12] = 9;
  hourly[15] = 3;
  hourly[18] = 11;
  hourly[20] = 3;
  Profile profile;
  profile.hourly = hourly;
  profile.total = 50;
  Period p = MakePeriod("2026-11-02", "2026-11-02", kTokyo);
  profile.daily = {50};
  Rhythm rhythm = ReadRhythm(p, profile);
  ASSERT_EQ(rhythm.windows.size(), 3u);  // busy: ≥ 1.5 × 50/24 ≈ 3.1
  EXPECT_EQ(rhythm.windows[0].from_hour, 6);
  EXPECT_EQ(rhythm.windows[0].to_hour, 8);
  EXPECT_NEAR(rhythm.windows[0].share, 22.0 / 50, 1e-9);
  EXPECT_EQ(rhythm.windows[2].from_hour, 18);
  EXPECT_EQ(rhythm.waking_hour, 6);
  EXPECT_EQ(rhythm.bedtime_hour, 21);  // the 20:00 hour is the last with ≥ half the mean
  EXPECT_NEAR(rhythm.night_share, 2.0 / 50, 1e-9);
}

TEST(RhythmTest, ShortStaysAreToldApartFromSilences) {
  Period p = MakePeriod("2026-11-02", "2026-11-29", kTokyo);
  Profile profile;
  profile.daily.assign(28, 20);
  profile.daily[0] = 0;   // before the first opening: not counted
  profile.daily[4] = 0;   // Friday
  profile.daily[11] = 0;  // the next Friday: a habit
  profile.daily[12] = 0;  // and the Saturday after it
  profile.daily[16] = 0;  // a lone Wednesday
  profile.total = 20 * 23;
  Rhythm rhythm = ReadRhythm(p, profile);
  EXPECT_EQ(rhythm.absent_days, (std::vector<int>{4, 11, 12}));
  EXPECT_EQ(rhythm.silent_days, (std::vector<int>{16}));
}

}  // namespace
}  // namespace moyakko::insight
