#pragma once
// Anomaly rules: pure functions from what is known about one household and the time to the
// findings that should open an alert. No clock, no database — table-driven tests feed them.
// Every finding says why in plain Japanese, with the evidence behind it.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/clock.h"

namespace moyakko::watch {

enum class AlertKind {
  kNoActivity, kMissedUpload, kDoorLeftOpen, kHeat, kCold, kHumidity, kBatteryLow, kLowActivity, kNightActivity
};
std::string_view ToString(AlertKind kind);
std::optional<AlertKind> ParseAlertKind(std::string_view text);

// Per tenant, overridable per household.
struct Thresholds {
  // Until the person's own rhythm is known (two weeks): waking hours without opening the fridge.
  int no_activity_hours = 6;
  // Once it is known: no opening for at least this long while they would usually have opened
  // the fridge this many times.
  int no_activity_min_minutes = 120;
  double usual_openings_missed = 10;
  double low_activity_ratio = 0.25;  // a day (or week) with fewer openings than this share of usual
  int night_openings = 4;            // night activity: at least this many, and far above usual
  int sleep_start_hour = 22;         // local; the sleep window does not count towards inactivity
  int sleep_end_hour = 6;
  std::vector<int> upload_hours = {8, 14};  // gateway schedule, local
  int upload_grace_minutes = 60;
  int door_open_minutes = 30;
  // Call-centre escalation: an unclaimed alert is notified again after this long, one with
  // no step escalates to the next level (per municipality, or per household for the frail).
  int renotify_unclaimed_minutes = 10;
  int escalate_idle_minutes = 30;
  double heat_wbgt = 28;             // 厳重警戒 and above
  double cold_celsius = 10;
  double humidity_low = 20, humidity_high = 90;
  double battery_low = 15;
  int utc_offset_minutes = 9 * 60;   // the tenant's zone (Japan has no daylight saving)
};

// The person's own usual: mean door openings per local hour of the week (Monday 0:00 first),
// from the four weeks before the last seven days, so that a change this week cannot make
// itself the norm.
struct UsualRhythm {
  int days = 0;  // days of history behind the means
  std::array<double, 168> hourly{};
  bool known() const;  // a week or more
  // Openings the person would usually make between two instants (hours pro rata).
  double Expected(int utc_offset_minutes, UnixMillis from, UnixMillis to) const;
  // When the expected count from `from` reaches `amount`; nullopt if not within two weeks.
  std::optional<UnixMillis> WhenExpectedReaches(int utc_offset_minutes, UnixMillis from, double amount) const;
};
inline constexpr int kRhythmWeeks = 4;
inline constexpr int kRhythmMinDays = 7;
inline constexpr UnixMillis kRhythmGap = 7LL * 24 * 3600 * 1000;  // the recent week left out

struct HouseholdFacts {
  std::optional<UnixMillis> watched_since;    // first reading or device start
  std::optional<UnixMillis> last_upload_at;
  std::optional<UnixMillis> last_opening_at;  // last door "open"
  bool door_open = false;
  std::optional<UnixMillis> door_state_at;
  std::optional<double> temperature, humidity, battery;
  std::optional<UnixMillis> climate_at;
  UsualRhythm usual;
  // Counted from the hourly door table up to the last upload (windows: see the functions below).
  std::int64_t openings_last_day = 0;
  std::int64_t openings_last_week = 0;
  std::int64_t openings_last_night = 0;
};

struct Finding {
  AlertKind kind;
  int urgency = 1;          // 3 = life-threatening now, 2 = soon, 1 = maintenance
  std::string text;         // for the operator, in Japanese
  nlohmann::json evidence;  // the numbers behind it
  // What makes this the same situation as before: a finding whose kind and episode match an
  // earlier alert (even a closed one) opens no new alert. E.g. one silence since 7:30 is one
  // alert, however often it is evaluated; the operator who closed it is not called again.
  std::string episode;
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

// The windows the baseline rules count in, ending at the last upload: the last 24 hours,
// the last 7 days, and the last whole sleep window (nullopt when no sleep window is set).
struct Window {
  UnixMillis from, to;
};
Window LastDay(UnixMillis last_upload);
Window LastWeek(UnixMillis last_upload);
std::optional<Window> LastNight(const Thresholds& t, UnixMillis last_upload);

// Local hour of the week, Monday 0:00 = 0.
int HourOfWeek(int utc_offset_minutes, UnixMillis at);

// WBGT estimate indoors from air temperature (°C) and relative humidity (%): Ono and
// Tonouchi's formula with no solar radiation and still air.
double IndoorWbgt(double celsius, double humidity);

// P(X >= n) for a Poisson count with mean m: how surprising n openings are.
double PoissonTailAtLeast(std::int64_t n, double m);

// Waking time (outside the sleep window) between two instants.
UnixMillis WakingMillisBetween(const Thresholds& t, UnixMillis from, UnixMillis to);

}  // namespace moyakko::watch
