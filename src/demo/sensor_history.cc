#include "demo/sensor_history.h"

#include <cmath>
#include <random>

#include "watch/monitor.h"
#include "watch/store.h"

namespace moyakko::demo {
namespace {

constexpr UnixMillis kMinute = 60 * 1000;
constexpr UnixMillis kHour = 60 * kMinute;
constexpr UnixMillis kDay = 24 * kHour;
constexpr UnixMillis kJapan = 9 * kHour;  // the demo towns' offset (no daylight saving)

enum class Story { kUsual, kShortStays, kNightOwl, kSilentToday, kHotRoom, kOffline };

// Relative likelihood of opening the fridge in each local hour, for the cohort.
constexpr double kCohortHourly[24] = {0.1, 0.05, 0.05, 0.05, 0.1, 0.4, 1.6, 2.4, 1.0, 0.8, 0.9, 1.4,
                                      2.0, 1.0, 0.7, 0.8, 1.1, 2.0, 2.2, 1.2, 0.9, 0.6, 0.3, 0.15};

Story StoryFor(int index) {
  switch (index) {
    case 2: return Story::kShortStays;
    case 5: return Story::kNightOwl;
    case 8: return Story::kSilentToday;
    case 11: return Story::kHotRoom;
    case 14: return Story::kOffline;
    default: return Story::kUsual;
  }
}

std::vector<watch::Reading> History(Story story, int days, UnixMillis now, std::mt19937& rng) {
  std::vector<watch::Reading> readings;
  std::int64_t seq = 0;
  UnixMillis local_today = (now + kJapan) / kDay * kDay - kJapan;  // local midnight as UTC
  std::normal_distribution<double> per_day(28, 5);
  std::uniform_real_distribution<double> unit(0, 1);
  double personal_shift = std::uniform_int_distribution<int>(-40, 40)(rng) * kMinute;
  UnixMillis last_upload = story == Story::kOffline ? now - 2 * kDay - 3 * kHour : now;
  for (int d = days; d >= 0; --d) {
    UnixMillis day = local_today - d * kDay;
    int weekday = static_cast<int>(((day + kJapan) / kDay + 4) % 7);  // 0 = Sunday
    bool away = story == Story::kShortStays && (weekday == 5 || weekday == 6);
    int openings = away ? 0 : std::max(5, static_cast<int>(per_day(rng)));
    double weights[24];
    for (int h = 0; h < 24; ++h) {
      weights[h] = kCohortHourly[h];
      if (story == Story::kNightOwl && (h <= 4 || h >= 23)) weights[h] += 1.2;
    }
    std::discrete_distribution<int> hour_of(std::begin(weights), std::end(weights));
    for (int i = 0; i < openings; ++i) {
      UnixMillis at = day + hour_of(rng) * kHour + static_cast<UnixMillis>(unit(rng) * kHour) +
                      static_cast<UnixMillis>(personal_shift);
      if (at > last_upload - 5 * kMinute) continue;
      if (story == Story::kSilentToday && at > local_today + 6 * kHour + 40 * kMinute) continue;
      readings.push_back({seq++, at, watch::ReadingKind::kDoor, 1});
      readings.push_back({seq++, at + static_cast<UnixMillis>(20000 + unit(rng) * 60000), watch::ReadingKind::kDoor, 0});
    }
    // Room climate every two hours: late-November temperatures, a heated room by day.
    for (int h = 0; h < 24; h += 2) {
      UnixMillis at = day + h * kHour;
      if (at > last_upload) break;
      double temperature = 15 + 4 * std::sin((h - 9) / 24.0 * 2 * M_PI) + unit(rng);
      double humidity = 45 + 10 * unit(rng);
      if (story == Story::kHotRoom && d == 0) {  // a heater left on high in a closed room
        temperature = 32.5 + unit(rng);
        humidity = 68 + 4 * unit(rng);
      }
      readings.push_back({seq++, at, watch::ReadingKind::kTemperature, std::round(temperature * 10) / 10});
      readings.push_back({seq++, at, watch::ReadingKind::kHumidity, std::round(humidity)});
    }
    if (day + 8 * kHour < last_upload) readings.push_back({seq++, day + 8 * kHour, watch::ReadingKind::kBattery, 90.0 - (days - d) * 0.1});
  }
  return readings;
}

}  // namespace

SensorDemo AddSensorHouseholds(store::Database& db, const std::string& tenant_code, int households, int days,
                               UnixMillis now) {
  SensorDemo result;
  std::mt19937 rng(20201027);  // the same town every time
  db.Write([&](store::Session& s) {
    auto tenant = s.QueryOne("SELECT id FROM tenants WHERE code = $1", {tenant_code});
    if (!tenant) return;
    // Elderly residents, oldest first: who the pilot's 30 sensors went to.
    store::Rows people = s.Query(
        "SELECT p.id, p.family_name FROM persons p WHERE p.tenant_id = $1 AND p.birth_date <= '1960-12-31' "
        "ORDER BY p.birth_date, p.id LIMIT $2", {tenant->Int(0), std::int64_t{households}});
    int index = 0;
    for (const store::Row& person : people) {
      Story story = StoryFor(index++);
      std::int64_t household = watch::AddHousehold(
          s, {.tenant_id = tenant->Int(0), .person_id = person.Int(0),
              .contacts = {{"family", person.Text(1) + " 家族", "長女", "090-1234-" + std::to_string(1000 + index)},
                           {"city", "瀬戸市 高齢者福祉課", "", "0561-88-2631"}},
              .plan_name = "もーやっこ見守り", .plan_monthly_yen = 980, .plan_started_on = "2025-04-01"},
          now - (days + 1) * kDay);  // watched since before the history begins
      watch::DeviceCredential credential = watch::AddDevice(s, tenant->Int(0), household, now - (days + 1) * kDay);
      watch::DeviceIdentity device{credential.device, household, tenant->Int(0), person.Int(0), false};
      std::vector<watch::Reading> readings = History(story, days, now, rng);
      UnixMillis last_upload = story == Story::kOffline ? now - 2 * kDay - 3 * kHour : now;
      watch::StoreReadings(s, device, readings, last_upload);
      watch::EvaluateHousehold(s, household, now);
      result.readings += static_cast<long long>(readings.size());
      ++result.households;
    }
  });
  return result;
}

}  // namespace moyakko::demo
