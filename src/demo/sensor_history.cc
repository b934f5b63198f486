#include "demo/sensor_history.h"

#include <random>

#include "sim/history.h"
#include "watch/monitor.h"
#include "watch/store.h"

namespace moyakko::demo {
namespace {

constexpr UnixMillis kMinute = 60 * 1000;
constexpr UnixMillis kHour = 60 * kMinute;
constexpr UnixMillis kDay = 24 * kHour;
constexpr UnixMillis kJapan = 9 * kHour;  // the demo towns' offset (no daylight saving)

enum class Story { kUsual, kShortStays, kNightOwl, kSilentToday, kHotRoom, kOffline };

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

// When the household's gateway last uploaded: now, except for the one that went offline.
UnixMillis LastUpload(Story story, UnixMillis now) { return story == Story::kOffline ? now - 2 * kDay - 3 * kHour : now; }

std::vector<watch::Reading> History(Story story, int days, UnixMillis now, std::mt19937& rng) {
  UnixMillis local_today = LocalMidnight(now, kJapan / kMinute);
  sim::Persona persona;
  persona.shift_minutes = std::uniform_int_distribution<int>(-40, 40)(rng);
  if (story == Story::kShortStays) persona.away_weekdays = {4, 5};  // Friday and Saturday
  persona.night_owl = story == Story::kNightOwl;
  std::vector<sim::Anomaly> anomalies;
  // Whatever the hour the demo is made: sixteen hours of silence always span more of the
  // person's usual openings than the rule waits for, and six hot hours hold room readings.
  if (story == Story::kSilentToday) anomalies.push_back({sim::AnomalyKind::kCollapse, now - 16 * kHour, now + kDay});
  if (story == Story::kHotRoom) {  // a heater left on high in a closed room
    anomalies.push_back({sim::AnomalyKind::kHeat, now - 6 * kHour, now + kDay});
  }
  // The sensor saw nothing after the last upload reached us.
  return sim::GenerateHistory(persona, anomalies, local_today - days * kDay, LastUpload(story, now) - 5 * kMinute,
                              9 * 60, rng);
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
      watch::DeviceIdentity device = *watch::FindDeviceByToken(s, credential.token);
      std::vector<watch::Reading> readings = History(story, days, now, rng);
      watch::StoreReadings(s, device, readings, LastUpload(story, now));
      watch::EvaluateHousehold(s, household, now);
      result.readings += static_cast<long long>(readings.size());
      ++result.households;
    }
  });
  return result;
}

}  // namespace moyakko::demo
