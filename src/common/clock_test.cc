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

}  // namespace
}  // namespace moyakko
