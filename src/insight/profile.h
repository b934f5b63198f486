#pragma once
// Life-rhythm profiles: a period's fridge-door openings laid out by local hour of day, day
// of week, hour × weekday, week and day, and the rhythm read from them (busy windows,
// waking and bedtime, night share, absent and silent days). Pure: the counts come in, the
// tables come out; store.h reads the counts.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"

namespace moyakko::insight {

// Local calendar days [from, to] of a municipality's time zone.
struct Period {
  std::string from, to;             // YYYY-MM-DD, inclusive
  std::vector<std::string> dates;   // every day, in order
  std::vector<int> weekdays;        // of each day, Monday 0 … Sunday 6
  std::vector<UnixMillis> starts;   // each day's local midnight, and one more: the end
  UnixMillis begin() const { return starts.front(); }
  UnixMillis end() const { return starts.back(); }
  int days() const { return static_cast<int>(dates.size()); }
};
inline constexpr int kMaxPeriodDays = 400;
// Throws Failure 400 (field "from" or "to") for a malformed or impossible date, a reversed
// range, or more than kMaxPeriodDays.
Period MakePeriod(const std::string& from, const std::string& to, const std::string& time_zone);

// Openings in one UTC hour, as door_hourly and cohort_hourly keep them.
struct HourCount {
  UnixMillis hour_at = 0;
  std::int64_t openings = 0;
};

struct Week {
  std::string from;  // the Monday, or the period's first day
  int days = 0;      // of the week inside the period
  std::int64_t openings = 0;
};

struct Profile {
  std::array<std::int64_t, 24> hourly{};
  std::array<std::int64_t, 7> weekday{};                 // Monday first
  std::array<std::array<std::int64_t, 24>, 7> by_hour_weekday{};
  std::vector<std::int64_t> daily;                       // one per day of the period
  std::vector<Week> weekly;
  std::int64_t total = 0;
};
// Each count lands on the local day and hour it happened in (`time_zone`, through the
// offset in force at that instant); counts outside the period are ignored.
Profile BuildProfile(const Period& period, const std::vector<HourCount>& counts, const std::string& time_zone);

// A run of busy hours, local "HH:MM" to "HH:MM", with its share of the openings.
struct Window {
  int from_hour = 0, to_hour = 0;  // [from, to), to may be 24
  double share = 0;
};
// Hours with at least 1.5 times the mean hourly openings, joined into runs.
std::vector<Window> BusyWindows(const std::array<std::int64_t, 24>& hourly);

inline constexpr int kNightFromHour = 0, kNightToHour = 5;  // "night": 0:00–5:00
double NightShare(const std::array<std::int64_t, 24>& hourly);

struct Rhythm {
  std::optional<int> waking_hour;   // the first hour from 4:00 with at least half the mean
  std::optional<int> bedtime_hour;  // the end of the last such hour before midnight
  std::vector<Window> windows;
  double night_share = 0;
  // Days without a single opening, from the first day with one: a day that recurs on the
  // same weekday or joins another such day is a stay away (absent); a lone one is a silence
  // worth asking about.
  std::vector<int> absent_days, silent_days;  // indexes into the period's days
};
Rhythm ReadRhythm(const Period& period, const Profile& profile);

}  // namespace moyakko::insight
