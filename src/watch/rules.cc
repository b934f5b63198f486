#include "watch/rules.h"

#include <fmt/format.h>

#include "common/error.h"

#include <algorithm>
#include <cmath>

#include <date/date.h>

namespace moyakko::watch {
namespace {

constexpr UnixMillis kMinute = 60 * 1000;
constexpr UnixMillis kHour = 60 * kMinute;
constexpr UnixMillis kDay = 24 * kHour;

int LocalHour(const Thresholds& t, UnixMillis at) {
  UnixMillis local = at + t.utc_offset_minutes * kMinute;
  return static_cast<int>(((local % kDay) + kDay) % kDay / kHour);
}

bool Asleep(const Thresholds& t, int hour) {
  if (t.sleep_start_hour == t.sleep_end_hour) return false;
  if (t.sleep_start_hour < t.sleep_end_hour) return hour >= t.sleep_start_hour && hour < t.sleep_end_hour;
  return hour >= t.sleep_start_hour || hour < t.sleep_end_hour;
}

std::string LocalClock(const Thresholds& t, UnixMillis at) {
  UnixMillis local = ((at + t.utc_offset_minutes * kMinute) % kDay + kDay) % kDay;
  return fmt::format("{}:{:02}", local / kHour, local % kHour / kMinute);
}

// Days since 1970-01-01 in local time: the episode of conditions judged per day (or week).
std::int64_t LocalDayNumber(const Thresholds& t, UnixMillis at) { return (at + t.utc_offset_minutes * kMinute) / kDay; }
std::string LocalDayEpisode(const Thresholds& t, UnixMillis now) { return fmt::format("day:{}", LocalDayNumber(t, now)); }

// "17:52" on the same local day as `now`, else "11/24 17:52".
std::string LocalStamp(const Thresholds& t, UnixMillis at, UnixMillis now) {
  UnixMillis offset = t.utc_offset_minutes * kMinute;
  auto day_of = [&](UnixMillis x) { return date::floor<date::days>(date::sys_time<std::chrono::milliseconds>(std::chrono::milliseconds(x + offset))); };
  if (day_of(at) == day_of(now)) return LocalClock(t, at);
  date::year_month_day ymd{day_of(at)};
  return fmt::format("{}/{} {}", static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()), LocalClock(t, at));
}

// The instant at which `waking` more waking time has passed after `from`.
UnixMillis AddWaking(const Thresholds& t, UnixMillis from, UnixMillis waking) {
  UnixMillis at = from;
  for (int guard = 0; guard < 24 * 30 && waking > 0; ++guard) {
    UnixMillis next_hour = StartOfHour(at) + kHour;
    if (!Asleep(t, LocalHour(t, at))) {
      UnixMillis step = std::min(waking, next_hour - at);
      waking -= step;
      at += step;
      if (waking == 0) break;
    }
    at = next_hour;
  }
  return at;
}

// The most recent scheduled upload time (+ grace) that has passed by `now`.
std::optional<UnixMillis> LastMissedUploadDeadline(const Thresholds& t, UnixMillis now) {
  std::optional<UnixMillis> latest;
  UnixMillis local_midnight = LocalMidnight(now, t.utc_offset_minutes);
  for (int day = -1; day <= 0; ++day) {
    for (int hour : t.upload_hours) {
      UnixMillis deadline = local_midnight + day * kDay + hour * kHour + t.upload_grace_minutes * kMinute;
      if (deadline <= now && (!latest || deadline > *latest)) latest = deadline;
    }
  }
  return latest;
}

std::optional<UnixMillis> NextUploadDeadline(const Thresholds& t, UnixMillis now) {
  std::optional<UnixMillis> next;
  UnixMillis local_midnight = LocalMidnight(now, t.utc_offset_minutes);
  for (int day = 0; day <= 1; ++day) {
    for (int hour : t.upload_hours) {
      UnixMillis deadline = local_midnight + day * kDay + hour * kHour + t.upload_grace_minutes * kMinute;
      if (deadline > now && (!next || deadline < *next)) next = deadline;
    }
  }
  return next;
}

}  // namespace

std::string_view ToString(AlertKind kind) {
  switch (kind) {
    case AlertKind::kNoActivity: return "no_activity";
    case AlertKind::kMissedUpload: return "missed_upload";
    case AlertKind::kDoorLeftOpen: return "door_left_open";
    case AlertKind::kHeat: return "heat";
    case AlertKind::kCold: return "cold";
    case AlertKind::kHumidity: return "humidity";
    case AlertKind::kBatteryLow: return "battery_low";
    case AlertKind::kLowActivity: return "low_activity";
    case AlertKind::kNightActivity: return "night_activity";
  }
  return "unknown";
}

std::optional<AlertKind> ParseAlertKind(std::string_view text) {
  for (AlertKind kind : {AlertKind::kNoActivity, AlertKind::kMissedUpload, AlertKind::kDoorLeftOpen, AlertKind::kHeat,
                         AlertKind::kCold, AlertKind::kHumidity, AlertKind::kBatteryLow, AlertKind::kLowActivity,
                         AlertKind::kNightActivity}) {
    if (ToString(kind) == text) return kind;
  }
  return std::nullopt;
}

double IndoorWbgt(double celsius, double humidity) {
  // Ono & Tonouchi's estimate from weather data, with no solar radiation and still air.
  return 0.735 * celsius + 0.0374 * humidity + 0.00292 * celsius * humidity - 4.064;
}

UnixMillis WakingMillisBetween(const Thresholds& t, UnixMillis from, UnixMillis to) {
  UnixMillis waking = 0;
  UnixMillis at = from;
  for (int guard = 0; at < to && guard < 24 * 60; ++guard) {
    UnixMillis next_hour = std::min(to, StartOfHour(at) + kHour);
    if (!Asleep(t, LocalHour(t, at))) waking += next_hour - at;
    at = next_hour;
  }
  return waking;
}

int HourOfWeek(int utc_offset_minutes, UnixMillis at) {
  UnixMillis local = at + utc_offset_minutes * kMinute;
  std::int64_t day = local >= 0 ? local / kDay : (local - kDay + 1) / kDay;
  int weekday = static_cast<int>(((day + 3) % 7 + 7) % 7);  // 1970-01-01 was a Thursday
  return weekday * 24 + static_cast<int>((local - day * kDay) / kHour);
}

bool UsualRhythm::known() const { return days >= kRhythmMinDays; }

double UsualRhythm::Expected(int utc_offset_minutes, UnixMillis from, UnixMillis to) const {
  double expected = 0;
  for (UnixMillis at = from; at < to;) {
    UnixMillis next_hour = std::min(to, StartOfHour(at) + kHour);
    expected += hourly[HourOfWeek(utc_offset_minutes, at)] * static_cast<double>(next_hour - at) / kHour;
    at = next_hour;
  }
  return expected;
}

std::optional<UnixMillis> UsualRhythm::WhenExpectedReaches(int utc_offset_minutes, UnixMillis from, double amount) const {
  double expected = 0;
  for (UnixMillis at = from; at < from + 2 * kRhythmGap;) {
    UnixMillis next_hour = StartOfHour(at) + kHour;
    double rate = hourly[HourOfWeek(utc_offset_minutes, at)];  // per hour
    double in_step = rate * static_cast<double>(next_hour - at) / kHour;
    if (rate > 0 && expected + in_step >= amount) {
      return at + static_cast<UnixMillis>(std::ceil((amount - expected) / rate * kHour));
    }
    expected += in_step;
    at = next_hour;
  }
  return std::nullopt;
}

Window LastDay(UnixMillis last_upload) { return {last_upload - kDay, last_upload}; }
Window LastWeek(UnixMillis last_upload) { return {last_upload - 7 * kDay, last_upload}; }

std::optional<Window> LastNight(const Thresholds& t, UnixMillis last_upload) {
  if (t.sleep_start_hour == t.sleep_end_hour) return std::nullopt;
  UnixMillis end = LocalMidnight(last_upload, t.utc_offset_minutes) + t.sleep_end_hour * kHour;
  if (end > last_upload) end -= kDay;
  int hours = ((t.sleep_end_hour - t.sleep_start_hour) % 24 + 24) % 24;
  return Window{end - hours * kHour, end};
}

double PoissonTailAtLeast(std::int64_t n, double m) {
  double term = std::exp(-m), below = 0;
  for (std::int64_t k = 0; k < n; ++k) {
    below += term;
    term *= m / static_cast<double>(k + 1);
  }
  return std::max(0.0, 1 - below);
}

namespace {

constexpr double kNightSurprise = 1e-4;  // about one false night in thirty years a household

// The adaptive and the fixed no-activity rule, sharing one answer: is `since`..`until` an
// alarming silence, and how many openings would the person usually have made in it?
struct Silence {
  bool alarming = false;
  double usual = 0;
};
Silence JudgeSilence(const Thresholds& t, const UsualRhythm& usual, UnixMillis since, UnixMillis until) {
  if (!usual.known()) return {WakingMillisBetween(t, since, until) >= t.no_activity_hours * kHour, 0};
  double expected = usual.Expected(t.utc_offset_minutes, since, until);
  // The person's own history: a silence is alarming where they would have opened the fridge
  // several times. A fixed number of hours would call a slow eater every afternoon and the
  // resident with a weekly short stay every Saturday; their usual covers both.
  bool alarming = until - since >= t.no_activity_min_minutes * kMinute && expected >= t.usual_openings_missed;
  return {alarming, expected};
}

// Far fewer openings than the person's own usual (a day, or a week of slow decline), and
// unusual night activity. Judged only with a known rhythm.
void AddBaselineFindings(const Thresholds& t, const HouseholdFacts& f, std::vector<Finding>& findings) {
  int offset = t.utc_offset_minutes;
  Window day = LastDay(*f.last_upload_at), week = LastWeek(*f.last_upload_at);
  double usual_day = f.usual.Expected(offset, day.from, day.to);
  double usual_week = f.usual.Expected(offset, week.from, week.to);
  if (usual_day >= 10 && f.openings_last_day <= t.low_activity_ratio * usual_day) {
    findings.push_back({AlertKind::kLowActivity, 2,
                        fmt::format("この24時間の冷蔵庫の開閉は{}回です（普段は平均{:.0f}回）", f.openings_last_day, usual_day),
                        {{"window", "day"}, {"openings", f.openings_last_day}, {"usual_openings", std::round(usual_day * 10) / 10}},
                        LocalDayEpisode(t, *f.last_upload_at)});
  } else if (usual_week >= 50 && f.openings_last_week <= 2 * t.low_activity_ratio * usual_week) {
    findings.push_back({AlertKind::kLowActivity, 1,
                        fmt::format("この1週間の冷蔵庫の開閉は{}回で、普段（平均{:.0f}回）の{:.0f}%に減っています",
                                    f.openings_last_week, usual_week, 100.0 * f.openings_last_week / usual_week),
                        {{"window", "week"}, {"openings", f.openings_last_week}, {"usual_openings", std::round(usual_week * 10) / 10}},
                        fmt::format("week:{}", LocalDayNumber(t, *f.last_upload_at) / 7)});
  }
  if (auto night = LastNight(t, *f.last_upload_at)) {
    double usual_night = f.usual.Expected(offset, night->from, night->to);
    if (f.openings_last_night >= t.night_openings && PoissonTailAtLeast(f.openings_last_night, usual_night) < kNightSurprise) {
      findings.push_back({AlertKind::kNightActivity, 1,
                          fmt::format("夜間（{}〜{}）に冷蔵庫の開閉が{}回ありました（普段は平均{:.1f}回）",
                                      LocalClock(t, night->from), LocalClock(t, night->to), f.openings_last_night, usual_night),
                          {{"from", FormatRfc3339(night->from)}, {"to", FormatRfc3339(night->to)},
                           {"openings", f.openings_last_night}, {"usual_openings", std::round(usual_night * 10) / 10}},
                          "night:" + FormatRfc3339(night->from)});
    }
  }
}

}  // namespace

std::vector<Finding> Evaluate(const Thresholds& t, const HouseholdFacts& f, UnixMillis now) {
  std::vector<Finding> findings;
  // A gateway that has not uploaded says nothing about the resident: missed upload first,
  // and inactivity only from data we actually have.
  if (auto deadline = LastMissedUploadDeadline(t, now);
      deadline && f.watched_since && *f.watched_since < *deadline - t.upload_grace_minutes * kMinute &&
      // An event-driven upload shortly before the scheduled one counts as that upload.
      (!f.last_upload_at || *f.last_upload_at < *deadline - t.upload_grace_minutes * kMinute - 30 * kMinute)) {
    std::string expected = LocalClock(t, *deadline - t.upload_grace_minutes * kMinute);
    findings.push_back({AlertKind::kMissedUpload, 2,
                        fmt::format("{}の定時送信が届いていません（最終受信 {}）", expected,
                                    f.last_upload_at ? LocalStamp(t, *f.last_upload_at, now) : "なし"),
                        {{"expected_at", FormatRfc3339(*deadline - t.upload_grace_minutes * kMinute)},
                         {"last_upload", f.last_upload_at ? nlohmann::json(FormatRfc3339(*f.last_upload_at)) : nullptr}},
                        FormatRfc3339(*deadline)});
  } else if (f.last_upload_at) {
    UnixMillis since = f.last_opening_at.value_or(f.watched_since.value_or(now));
    // Only what the gateway has reported can be judged: up to the last upload.
    UnixMillis until = std::max(since, *f.last_upload_at);
    Silence silence = JudgeSilence(t, f.usual, since, until);
    if (silence.alarming) {
      std::string usual = silence.usual >= 1 ? fmt::format("（普段この時間帯は平均{:.0f}回）", silence.usual) : "";
      findings.push_back({AlertKind::kNoActivity, 3,
                          fmt::format("{}以降、冷蔵庫の開閉がありません{}", LocalStamp(t, since, now), usual),
                          {{"last_opening", f.last_opening_at ? nlohmann::json(FormatRfc3339(*f.last_opening_at)) : nullptr},
                           {"waking_hours_idle", WakingMillisBetween(t, since, until) / kMinute / 60.0},
                           {"threshold_hours", t.no_activity_hours},
                           {"usual_openings", std::round(silence.usual * 10) / 10}},
                          "since:" + FormatRfc3339(since)});
    } else if (f.usual.known()) {
      AddBaselineFindings(t, f, findings);
    }
  }
  // Open as far as we know: until the last upload (a close may be waiting in the gateway).
  UnixMillis open_for = f.door_open && f.door_state_at && f.last_upload_at ? *f.last_upload_at - *f.door_state_at : 0;
  if (open_for >= t.door_open_minutes * kMinute) {
    findings.push_back({AlertKind::kDoorLeftOpen, 2,
                        fmt::format("冷蔵庫の扉が{}から開いたままです（{}分）", LocalClock(t, *f.door_state_at),
                                    open_for / kMinute),
                        {{"opened_at", FormatRfc3339(*f.door_state_at)}, {"minutes", open_for / kMinute}},
                        FormatRfc3339(*f.door_state_at)});
  }
  if (f.temperature && f.humidity) {
    double wbgt = IndoorWbgt(*f.temperature, *f.humidity);
    if (wbgt >= t.heat_wbgt) {
      findings.push_back({AlertKind::kHeat, wbgt >= 31 ? 3 : 2,
                          fmt::format("室温{:.1f}℃・湿度{:.0f}%：暑さ指数（WBGT）約{:.0f}で熱中症の危険があります",
                                      *f.temperature, *f.humidity, wbgt),
                          {{"temperature", *f.temperature}, {"humidity", *f.humidity}, {"wbgt", std::round(wbgt * 10) / 10}},
                          LocalDayEpisode(t, now)});
    }
  }
  if (f.temperature && *f.temperature <= t.cold_celsius) {
    findings.push_back({AlertKind::kCold, *f.temperature <= 5 ? 3 : 2,
                        fmt::format("室温が{:.1f}℃まで下がっています（低体温症の危険）", *f.temperature),
                        {{"temperature", *f.temperature}, {"threshold", t.cold_celsius}},
                        LocalDayEpisode(t, now)});
  }
  if (f.humidity && (*f.humidity < t.humidity_low || *f.humidity > t.humidity_high)) {
    findings.push_back({AlertKind::kHumidity, 1, fmt::format("湿度が{:.0f}%です", *f.humidity),
                        {{"humidity", *f.humidity}, {"low", t.humidity_low}, {"high", t.humidity_high}},
                        LocalDayEpisode(t, now)});
  }
  if (f.battery && *f.battery <= t.battery_low) {
    findings.push_back({AlertKind::kBatteryLow, 1, fmt::format("センサーの電池残量が{:.0f}%です", *f.battery),
                        {{"battery", *f.battery}}, LocalDayEpisode(t, now)});
  }
  return findings;
}

namespace {

struct IntSetting {
  const char* name;
  int Thresholds::*field;
  int min, max;
};
struct RealSetting {
  const char* name;
  double Thresholds::*field;
  double min, max;
};
constexpr IntSetting kIntSettings[] = {
    {"no_activity_hours", &Thresholds::no_activity_hours, 1, 48},
    {"sleep_start_hour", &Thresholds::sleep_start_hour, 0, 23},
    {"sleep_end_hour", &Thresholds::sleep_end_hour, 0, 23},
    {"upload_grace_minutes", &Thresholds::upload_grace_minutes, 5, 360},
    {"door_open_minutes", &Thresholds::door_open_minutes, 1, 720},
    {"no_activity_min_minutes", &Thresholds::no_activity_min_minutes, 30, 1440},
    {"night_openings", &Thresholds::night_openings, 1, 100},
    {"renotify_unclaimed_minutes", &Thresholds::renotify_unclaimed_minutes, 1, 1440},
    {"escalate_idle_minutes", &Thresholds::escalate_idle_minutes, 1, 1440},
};
constexpr RealSetting kRealSettings[] = {
    {"heat_wbgt", &Thresholds::heat_wbgt, 20, 35},      {"cold_celsius", &Thresholds::cold_celsius, -10, 20},
    {"humidity_low", &Thresholds::humidity_low, 0, 100}, {"humidity_high", &Thresholds::humidity_high, 0, 100},
    {"battery_low", &Thresholds::battery_low, 0, 100},
    {"usual_openings_missed", &Thresholds::usual_openings_missed, 1, 100},
    {"low_activity_ratio", &Thresholds::low_activity_ratio, 0, 1},
};

[[noreturn]] void BadSetting(const std::string& name, const std::string& message) {
  Fail(ErrorCode::kInvalidArgument, "invalid_setting", name + ": " + message, "settings." + name);
}

}  // namespace

void ApplySettings(Thresholds& t, const nlohmann::json& settings) {
  if (!settings.is_object()) Fail(ErrorCode::kInvalidArgument, "invalid_type", "settings must be an object", "settings");
  Thresholds updated = t;
  for (const auto& [name, value] : settings.items()) {
    bool known = false;
    for (const IntSetting& s : kIntSettings) {
      if (name != s.name) continue;
      known = true;
      if (!value.is_number_integer()) BadSetting(name, "must be a whole number");
      auto v = value.get<std::int64_t>();
      if (v < s.min || v > s.max) BadSetting(name, fmt::format("must be within {}–{}", s.min, s.max));
      updated.*s.field = static_cast<int>(v);
    }
    for (const RealSetting& s : kRealSettings) {
      if (name != s.name) continue;
      known = true;
      if (!value.is_number()) BadSetting(name, "must be a number");
      double v = value.get<double>();
      if (!std::isfinite(v) || v < s.min || v > s.max) BadSetting(name, fmt::format("must be within {}–{}", s.min, s.max));
      updated.*s.field = v;
    }
    if (name == "upload_hours") {
      known = true;
      if (!value.is_array() || value.empty() || value.size() > 24) BadSetting(name, "a list of 1–24 hours");
      std::vector<int> hours;
      for (const auto& hour : value) {
        if (!hour.is_number_integer() || hour.get<int>() < 0 || hour.get<int>() > 23) BadSetting(name, "hours are 0–23");
        hours.push_back(hour.get<int>());
      }
      updated.upload_hours = hours;
    }
    if (!known) BadSetting(name, "unknown setting");
  }
  if (updated.humidity_low >= updated.humidity_high) BadSetting("humidity_low", "must be below humidity_high");
  t = updated;
}

nlohmann::json SettingsJson(const Thresholds& t) {
  nlohmann::json j = {{"upload_hours", t.upload_hours}};
  for (const IntSetting& s : kIntSettings) j[s.name] = t.*s.field;
  for (const RealSetting& s : kRealSettings) j[s.name] = t.*s.field;
  return j;
}

std::optional<UnixMillis> NextDeadline(const Thresholds& t, const HouseholdFacts& f, UnixMillis now) {
  std::optional<UnixMillis> next = NextUploadDeadline(t, now);
  auto consider = [&](UnixMillis at) {
    if (at > now && (!next || at < *next)) next = at;
  };
  if (f.door_open && f.door_state_at) consider(*f.door_state_at + t.door_open_minutes * kMinute);
  if (f.last_opening_at && !f.usual.known()) consider(AddWaking(t, *f.last_opening_at, t.no_activity_hours * kHour));
  if (f.last_opening_at && f.usual.known()) {
    if (auto at = f.usual.WhenExpectedReaches(t.utc_offset_minutes, *f.last_opening_at, t.usual_openings_missed)) {
      consider(std::max(*at, *f.last_opening_at + t.no_activity_min_minutes * kMinute));
    }
  }
  return next;
}

}  // namespace moyakko::watch
