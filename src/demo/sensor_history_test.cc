#include "demo/sensor_history.h"

#include <gtest/gtest.h>

#include <set>

#include "registry/persons.h"
#include "store/testing.h"

namespace moyakko::demo {
namespace {

constexpr UnixMillis kHour = 3600 * 1000;
constexpr UnixMillis kMidnight = 1764082800000;  // 2025-11-26 00:00 in Japan

// The demo is made at any hour, and its stories must show: a silent resident, a hot room and
// a gateway offline each have an open alert, and nobody else does.
class SensorDemoTest : public ::testing::TestWithParam<int> {};

TEST_P(SensorDemoTest, StoriesRaiseTheirAlertsWhateverTheHour) {
  store::TestDatabase test("sqlite");
  test.db().Write([&](store::Session& s) {
    std::int64_t tenant = s.QueryOne("INSERT INTO tenants (code, name, created_at) VALUES ('seto', '瀬戸市', 0) "
                                     "RETURNING id")->Int(0);
    for (int i = 0; i < 30; ++i) {
      registry::AddPerson(s, {.tenant_id = tenant, .family_name = "見守", .given_name = std::to_string(i),
                              .birth_date = "1940-01-01"}, 0);
    }
  });
  SensorDemo demo = AddSensorHouseholds(test.db(), "seto", 30, 90, kMidnight + GetParam() * kHour + 17 * 60000);
  EXPECT_EQ(demo.households, 30);
  std::multiset<std::string> kinds;
  test.db().Read([&](store::Session& s) {
    for (const store::Row& r : s.Query("SELECT kind FROM alerts WHERE state <> 'closed'")) kinds.insert(r.Text(0));
  });
  EXPECT_EQ(kinds, (std::multiset<std::string>{"heat", "missed_upload", "no_activity"})) << "at " << GetParam() << ":17";
}

INSTANTIATE_TEST_SUITE_P(Hours, SensorDemoTest, ::testing::Values(0, 3, 7, 9, 12, 15, 18, 21));

}  // namespace
}  // namespace moyakko::demo
