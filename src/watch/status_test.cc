#include "watch/status.h"

#include <gtest/gtest.h>

namespace moyakko::watch {
namespace {

constexpr UnixMillis kNow = 1764108000000;
constexpr UnixMillis kMin = 60 * 1000;

struct Case {
  const char* name;
  StatusFacts facts;
  HouseholdState expected;
};

class ClassifyTest : public ::testing::TestWithParam<Case> {};
TEST_P(ClassifyTest, Colours) { EXPECT_EQ(Classify(GetParam().facts, kNow), GetParam().expected); }

INSTANTIATE_TEST_SUITE_P(Table, ClassifyTest, ::testing::Values(
    Case{"never_uploaded", {}, HouseholdState::kOffline},
    Case{"uploaded_this_morning", {.last_upload_at = kNow - 60 * kMin, .temperature = 20, .humidity = 50}, HouseholdState::kOk},
    Case{"overnight_gap_is_normal", {.last_upload_at = kNow - 18 * 60 * kMin}, HouseholdState::kOk},
    Case{"silent_20h", {.last_upload_at = kNow - 20 * 60 * kMin - 1}, HouseholdState::kOffline},
    Case{"warm_humid_room", {.last_upload_at = kNow, .temperature = 29, .humidity = 65}, HouseholdState::kAttention},
    Case{"warm_dry_room", {.last_upload_at = kNow, .temperature = 29, .humidity = 30}, HouseholdState::kOk},
    Case{"chilly_room", {.last_upload_at = kNow, .temperature = 13.5}, HouseholdState::kAttention},
    Case{"door_open_10min", {.last_upload_at = kNow, .door_open = true, .last_door_at = kNow - 10 * kMin},
         HouseholdState::kAttention},
    Case{"door_open_5min", {.last_upload_at = kNow, .door_open = true, .last_door_at = kNow - 5 * kMin},
         HouseholdState::kOk},
    Case{"battery_low", {.last_upload_at = kNow, .battery = 25}, HouseholdState::kAttention},
    Case{"battery_fine", {.last_upload_at = kNow, .battery = 60}, HouseholdState::kOk},
    Case{"alert_outranks_offline", {.open_alerts = 1}, HouseholdState::kAlert}),
    [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace moyakko::watch
