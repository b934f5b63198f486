#pragma once
// Anomaly rules: pure functions from what is known about one household and the time to the
// findings that should open an alert. No clock, no database — table-driven tests feed them.
// Every finding says why in plain Japanese, with the evidence behind it.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/clock.h"

namespace moyakko::watch {

enum class AlertKind { kNoActivity, kMissedUpload, kDoorLeftOpen, kHeat, kCold, kHumidity, kBatteryLow };
std::string_view ToString(AlertKind kind);
std::optional<AlertKind> ParseAlertKind(std::string_view text);

// Per tenant, overridable per household.
struct Thresholds {
  int no_activity_hours = 6;         // waking hours without opening the fridge
  int sleep_start_hour = 22;         // local; the sleep window does not count towards inactivity
  int sleep_end_hour = 6;
  std::vector<int> upload_hours = {8, 14};  // gateway schedule, local
  int upload_grace_minutes = 60;
  int door_open_minutes = 30;
  double heat_wbgt = 28;             // 厳重警戒 and above
  double cold_celsius = 10;
  double humidity_low = 20, humidity_high = 90;
  double battery_low = 15;
  int utc_offset_minutes = 9 * 60;   // the tenant's zone (Japan has no daylight saving)
};

struct HouseholdFacts {
  std::optional<UnixMillis> watched_since;    // first reading or device start
  std::optional<UnixMillis> last_upload_at;
  std::optional<UnixMillis> last_opening_at;  // last door "open"
  bool door_open = false;
  std::optional<UnixMillis> door_state_at;
  std::optional<double> temperature, humidity, battery;
  std::optional<UnixMillis> climate_at;
  double usual_openings_now = 0;  // mean openings in this weekday's hours so far (evidence only)
};

struct Finding {
  AlertKind kind;
  int urgency = 1;          // 3 = life-threatening now, 2 = soon, 1 = maintenance
  std::string text;         // for the operator, in Japanese
  nlohmann::json evidence;  // the numbers behind it
};

std::vector<Finding> Evaluate(const Thresholds& t, const HouseholdFacts& facts, UnixMillis now);

// Applies settings such as {"no_activity_hours": 4, "sleep_start_hour": 21} onto `t`.
// Throws Failure 400 naming the field for an unknown name, a wrong type or a value out of
// its range; `t` is unchanged then.
void ApplySettings(Thresholds& t, const nlohmann::json& settings);
nlohmann::json SettingsJson(const Thresholds& t);

// When the time-based rules (inactivity, missed upload, door left open) would next fire if
// nothing arrives: the scheduler re-evaluates the household then. nullopt: nothing pending.
std::optional<UnixMillis> NextDeadline(const Thresholds& t, const HouseholdFacts& facts, UnixMillis now);

// WBGT estimate indoors from air temperature (°C) and relative humidity (%): Ono and
// Tonouchi's formula with no solar radiation and still air.
double IndoorWbgt(double celsius, double humidity);

// Waking time (outside the sleep window) between two instants.
UnixMillis WakingMillisBetween(const Thresholds& t, UnixMillis from, UnixMillis to);

}  // namespace moyakko::watch
