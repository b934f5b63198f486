#include "common/clock.h"

#include <gtest/gtest.h>

namespace moyakko {
namespace {

TEST(Clock, CalendarDatesStepAcrossMonthsYearsAndLeapDays) {
  EXPECT_EQ(AddDays("2026-11-26", 1), "2026-11-27");
  EXPECT_EQ(AddDays("2026-12-31", 1), "2027-01-01");
  EXPECT_EQ(AddDays("2028-02-28", 1), "2028-02-29");
  EXPECT_EQ(AddDays("2026-03-01", -1), "2026-02-28");
  EXPECT_EQ(AddDays("2026-11-26", -27), "2026-10-30");
  EXPECT_EQ(WeekdayOf("2026-11-23"), 0);  // a Monday
  EXPECT_EQ(WeekdayOf("2026-11-29"), 6);
  EXPECT_EQ(WeekdayOf("2000-01-01"), 5);  // a Saturday
}

// The same offsets as UtcOffsetMinutes, hour by hour over years that change (New York's
// summer time), that do not (Tokyo) and a zone that never did (UTC), forwards and back.
TEST(UtcOffsets, AgreeWithUtcOffsetMinutesAcrossChanges) {
  constexpr UnixMillis kHour = 3'600'000;
  constexpr UnixMillis kFrom = 1735689600000;  // 2025-01-01T00:00Z
  for (const std::string zone : {"America/New_York", "Asia/Tokyo", "UTC", "Asia/Kolkata"}) {
    UtcOffsets offsets(zone);
    for (UnixMillis at = kFrom; at < kFrom + 2 * 8760 * kHour; at += kHour + 17) {
      ASSERT_EQ(offsets.MinutesAt(at), UtcOffsetMinutes(at, zone)) << zone << " " << at;
      EXPECT_GT(offsets.HoldsUntil(), at);
    }
    for (UnixMillis at = kFrom + 8760 * kHour; at > kFrom; at -= 5 * kHour) {
      ASSERT_EQ(offsets.MinutesAt(at), UtcOffsetMinutes(at, zone)) << zone << " " << at;
    }
  }
  UtcOffsets new_york("America/New_York");
  EXPECT_EQ(new_york.MinutesAt(kFrom), -300);
  EXPECT_EQ(new_york.HoldsUntil(), 1741503600000);  // 2025-03-09 07:00Z, summer time begins
  EXPECT_EQ(new_york.MinutesAt(1741503600000), -240);
}

}  // namespace
}  // namespace moyakko
