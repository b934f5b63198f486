#include "insight/profile.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <numeric>

#include "common/error.h"

namespace moyakko::insight {
namespace {

constexpr UnixMillis kHour = 3600 * 1000;

std::chrono::sys_days ParseDate(const std::string& text, const std::string& field) {
  if (!IsCalendarDate(text)) Fail(ErrorCode::kInvalidArgument, "invalid_date", field + ": a date YYYY-MM-DD", field);
  std::chrono::year_month_day date{std::chrono::year{std::stoi(text.substr(0, 4))},
                                   std::chrono::month{static_cast<unsigned>(std::stoi(text.substr(5, 2)))},
                                   std::chrono::day{static_cast<unsigned>(std::stoi(text.substr(8, 2)))}};
  return std::chrono::sys_days{date};
}

std::string FormatDate(std::chrono::sys_days day) {
  std::chrono::year_month_day date{day};
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                     static_cast<unsigned>(date.day()));
}

}  // namespace

Period MakePeriod(const std::string& from, const std::string& to, const std::string& time_zone) {
  std::chrono::sys_days first = ParseDate(from, "from"), last = ParseDate(to, "to");
  if (last < first) Fail(ErrorCode::kInvalidArgument, "reversed_period", "to: on or after from", "to");
  if ((last - first).count() + 1 > kMaxPeriodDays) {
    Fail(ErrorCode::kInvalidArgument, "period_too_long", fmt::format("to: a period of at most {} days", kMaxPeriodDays), "to");
  }
  Period period;
  period.from = from;
  period.to = to;
  for (std::chrono::sys_days day = first; day <= last + std::chrono::days{1}; day += std::chrono::days{1}) {
    std::string date = FormatDate(day);
    period.starts.push_back(StartOfLocalDate(date, time_zone));
    if (day > last) break;
    period.dates.push_back(std::move(date));
    period.weekdays.push_back(static_cast<int>((std::chrono::weekday{day}.c_encoding() + 6) % 7));
  }
  return period;
}

Profile BuildProfile(const Period& period, const std::vector<HourCount>& counts, const std::string& time_zone) {
  Profile profile;
  profile.daily.assign(period.days(), 0);
  UtcOffsets offsets(time_zone);
  for (const HourCount& count : counts) {
    if (count.hour_at < period.begin() || count.hour_at >= period.end()) continue;
    auto next = std::upper_bound(period.starts.begin(), period.starts.end(), count.hour_at);
    int day = static_cast<int>(next - period.starts.begin()) - 1;
    UnixMillis local = count.hour_at + offsets.MinutesAt(count.hour_at) * 60000LL;
    int hour = static_cast<int>(((local % (24 * kHour)) + 24 * kHour) % (24 * kHour) / kHour);
    int weekday = period.weekdays[day];
    profile.hourly[hour] += count.openings;
    profile.weekday[weekday] += count.openings;
    profile.by_hour_weekday[weekday][hour] += count.openings;
    profile.daily[day] += count.openings;
    profile.total += count.openings;
  }
  for (int day = 0; day < period.days(); ++day) {
    if (day == 0 || period.weekdays[day] == 0) profile.weekly.push_back({period.dates[day], 0, 0});
    profile.weekly.back().days += 1;
    profile.weekly.back().openings += profile.daily[day];
  }
  return profile;
}

std::vector<Window> BusyWindows(const std::array<std::int64_t, 24>& hourly) {
  double total = static_cast<double>(std::accumulate(hourly.begin(), hourly.end(), std::int64_t{0}));
  std::vector<Window> windows;
  if (total <= 0) return windows;
  double busy = 1.5 * total / 24;
  for (int hour = 0; hour < 24; ++hour) {
    if (hourly[hour] < busy) continue;
    if (!windows.empty() && windows.back().to_hour == hour) {
      windows.back().to_hour = hour + 1;
    } else {
      windows.push_back({hour, hour + 1, 0});
    }
    windows.back().share += static_cast<double>(hourly[hour]) / total;
  }
  return windows;
}

double NightShare(const std::array<std::int64_t, 24>& hourly) {
  std::int64_t total = std::accumulate(hourly.begin(), hourly.end(), std::int64_t{0});
  std::int64_t night = std::accumulate(hourly.begin() + kNightFromHour, hourly.begin() + kNightToHour, std::int64_t{0});
  return total ? static_cast<double>(night) / static_cast<double>(total) : 0;
}

Rhythm ReadRhythm(const Period& period, const Profile& profile) {
  Rhythm rhythm;
  rhythm.windows = BusyWindows(profile.hourly);
  rhythm.night_share = NightShare(profile.hourly);
  double awake = 0.5 * static_cast<double>(profile.total) / 24;
  for (int hour = 4; hour < 24 && profile.total; ++hour) {
    if (static_cast<double>(profile.hourly[hour]) < awake) continue;
    if (!rhythm.waking_hour) rhythm.waking_hour = hour;
    rhythm.bedtime_hour = hour + 1;
  }
  auto first_active = std::find_if(profile.daily.begin(), profile.daily.end(), [](std::int64_t n) { return n > 0; });
  std::vector<int> zero_days;
  for (auto day = first_active; day != profile.daily.end(); ++day) {
    if (*day == 0) zero_days.push_back(static_cast<int>(day - profile.daily.begin()));
  }
  for (int day : zero_days) {
    bool recurs = std::any_of(zero_days.begin(), zero_days.end(), [&](int other) {
      return other != day && (period.weekdays[other] == period.weekdays[day] || std::abs(other - day) == 1);
    });
    (recurs ? rhythm.absent_days : rhythm.silent_days).push_back(day);
  }
  return rhythm;
}

}  // namespace moyakko::insight
