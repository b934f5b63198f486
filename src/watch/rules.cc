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
    UnixMillis next_hour = at - ((at % kHour) + kHour) % kHour + kHour;
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
  UnixMillis offset = t.utc_offset_minutes * kMinute;
  UnixMillis local_midnight = (now + offset) / kDay * kDay - offset;
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
  UnixMillis offset = t.utc_offset_minutes * kMinute;
  UnixMillis local_midnight = (now + offset) / kDay * kDay - offset;
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
  }
  return "unknown";
}

std::optional<AlertKind> ParseAlertKind(std::string_view text) {
  for (AlertKind kind : {AlertKind::kNoActivity, AlertKind::kMissedUpload, AlertKind::kDoorLeftOpen, AlertKind::kHeat,
                         AlertKind::kCold, AlertKind::kHumidity, AlertKind::kBatteryLow}) {
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
    UnixMillis next_hour = std::min(to, at - ((at % kHour) + kHour) % kHour + kHour);
    if (!Asleep(t, LocalHour(t, at))) waking += next_hour - at;
    at = next_hour;
  }
  return waking;
}

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
                         {"last_upload", f.last_upload_at ? nlohmann::json(FormatRfc3339(*f.last_upload_at)) : nullptr}}});
  } else if (f.last_upload_at) {
    UnixMillis since = f.last_opening_at.value_or(f.watched_since.value_or(now));
    // Only what the gateway has reported can be judged: up to the last upload.
    UnixMillis idle = WakingMillisBetween(t, since, std::max(since, *f.last_upload_at));
    if (idle >= t.no_activity_hours * kHour) {
      std::string usual = f.usual_openings_now > 0
                              ? fmt::format("（普段この時間帯までに平均{:.0f}回）", f.usual_openings_now) : "";
      findings.push_back({AlertKind::kNoActivity, 3,
                          fmt::format("{}以降、冷蔵庫の開閉がありません{}", LocalStamp(t, since, now), usual),
                          {{"last_opening", f.last_opening_at ? nlohmann::json(FormatRfc3339(*f.last_opening_at)) : nullptr},
                           {"waking_hours_idle", idle / kMinute / 60.0},
                           {"threshold_hours", t.no_activity_hours},
                           {"usual_openings", f.usual_openings_now}}});
    }
  }
  if (f.door_open && f.door_state_at && now - *f.door_state_at >= t.door_open_minutes * kMinute) {
    findings.push_back({AlertKind::kDoorLeftOpen, 2,
                        fmt::format("冷蔵庫の扉が{}から開いたままです（{}分）", LocalClock(t, *f.door_state_at),
                                    (now - *f.door_state_at) / kMinute),
                        {{"opened_at", FormatRfc3339(*f.door_state_at)}, {"minutes", (now - *f.door_state_at) / kMinute}}});
  }
  if (f.temperature && f.humidity) {
    double wbgt = IndoorWbgt(*f.temperature, *f.humidity);
    if (wbgt >= t.heat_wbgt) {
      findings.push_back({AlertKind::kHeat, wbgt >= 31 ? 3 : 2,
                          fmt::format("室温{:.1f}℃・湿度{:.0f}%：暑さ指数（WBGT）約{:.0f}で熱中症の危険があります",
                                      *f.temperature, *f.humidity, wbgt),
                          {{"temperature", *f.temperature}, {"humidity", *f.humidity}, {"wbgt", std::round(wbgt * 10) / 10}}});
    }
  }
  if (f.temperature && *f.temperature <= t.cold_celsius) {
    findings.push_back({AlertKind::kCold, *f.temperature <= 5 ? 3 : 2,
                        fmt::format("室温が{:.1f}℃まで下がっています（低体温症の危険）", *f.temperature),
                        {{"temperature", *f.temperature}, {"threshold", t.cold_celsius}}});
  }
  if (f.humidity && (*f.humidity < t.humidity_low || *f.humidity > t.humidity_high)) {
    findings.push_back({AlertKind::kHumidity, 1, fmt::format("湿度が{:.0f}%です", *f.humidity),
                        {{"humidity", *f.humidity}, {"low", t.humidity_low}, {"high", t.humidity_high}}});
  }
  if (f.battery && *f.battery <= t.battery_low) {
    findings.push_back({AlertKind::kBatteryLow, 1, fmt::format("センサーの電池残量が{:.0f}%です", *f.battery),
                        {{"battery", *f.battery}}});
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
};
constexpr RealSetting kRealSettings[] = {
    {"heat_wbgt", &Thresholds::heat_wbgt, 20, 35},      {"cold_celsius", &Thresholds::cold_celsius, -10, 20},
    {"humidity_low", &Thresholds::humidity_low, 0, 100}, {"humidity_high", &Thresholds::humidity_high, 0, 100},
    {"battery_low", &Thresholds::battery_low, 0, 100},
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
  if (f.last_opening_at) consider(AddWaking(t, *f.last_opening_at, t.no_activity_hours * kHour));
  return next;
}

}  // namespace moyakko::watch
