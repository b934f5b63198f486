#include "common/clock.h"

#include <ctime>
#include <limits>
#include <regex>

#include <fmt/format.h>

namespace moyakko {

UnixMillis SystemClock::Now() const {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::string FormatRfc3339(UnixMillis at) {
  std::time_t seconds = static_cast<std::time_t>(at / 1000);
  int millis = static_cast<int>(at % 1000);
  if (millis < 0) {
    millis += 1000;
    --seconds;
  }
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", utc.tm_year + 1900,
                     utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, millis);
}

}  // namespace moyakko

#include <date/tz.h>

namespace moyakko {

std::string LocalDate(UnixMillis at, const std::string& time_zone) {
  auto instant = date::sys_time<std::chrono::milliseconds>(std::chrono::milliseconds(at));
  auto local = date::make_zoned(time_zone, instant).get_local_time();
  return date::format("%F", date::floor<date::days>(local));
}

}  // namespace moyakko

#include <charconv>

namespace moyakko {
namespace {

bool Digits(std::string_view text, std::size_t at, std::size_t count, int& out) {
  if (at + count > text.size()) return false;
  for (std::size_t i = at; i < at + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
  }
  std::from_chars(text.data() + at, text.data() + at + count, out);
  return true;
}

}  // namespace

std::optional<UnixMillis> ParseRfc3339(std::string_view t) {
  int year, month, day, hour, minute, second;
  if (t.size() < 20 || !Digits(t, 0, 4, year) || t[4] != '-' || !Digits(t, 5, 2, month) || t[7] != '-' ||
      !Digits(t, 8, 2, day) || (t[10] != 'T' && t[10] != 't') || !Digits(t, 11, 2, hour) || t[13] != ':' ||
      !Digits(t, 14, 2, minute) || t[16] != ':' || !Digits(t, 17, 2, second)) {
    return std::nullopt;
  }
  std::size_t i = 19;
  int millis = 0;
  if (i < t.size() && t[i] == '.') {
    std::size_t start = ++i;
    while (i < t.size() && t[i] >= '0' && t[i] <= '9') ++i;
    if (i == start || i - start > 9) return std::nullopt;
    std::string fraction(t.substr(start, std::min<std::size_t>(3, i - start)));
    fraction.resize(3, '0');
    millis = std::stoi(fraction);
  }
  if (i >= t.size()) return std::nullopt;
  int offset_minutes = 0;
  if (t[i] == 'Z' || t[i] == 'z') {
    ++i;
  } else if (t[i] == '+' || t[i] == '-') {
    int oh, om;
    if (!Digits(t, i + 1, 2, oh) || i + 3 >= t.size() || t[i + 3] != ':' || !Digits(t, i + 4, 2, om) || oh > 23 ||
        om > 59) {
      return std::nullopt;
    }
    offset_minutes = (t[i] == '+' ? 1 : -1) * (oh * 60 + om);
    i += 6;
  } else {
    return std::nullopt;
  }
  if (i != t.size()) return std::nullopt;
  auto ymd = date::year{year} / month / day;
  if (!ymd.ok() || hour > 23 || minute > 59 || second > 60) return std::nullopt;
  auto days = date::sys_days(ymd).time_since_epoch().count();
  std::int64_t seconds = static_cast<std::int64_t>(days) * 86400 + hour * 3600 + minute * 60 + std::min(second, 59) -
                         offset_minutes * 60;
  return seconds * 1000 + millis;
}

UnixMillis StartOfHour(UnixMillis at) {
  constexpr UnixMillis kHour = 3600 * 1000;
  return at - ((at % kHour) + kHour) % kHour;
}

UnixMillis LocalMidnight(UnixMillis at, int utc_offset_minutes) {
  constexpr UnixMillis kDay = 24 * 3600 * 1000;
  UnixMillis local = at + utc_offset_minutes * 60 * 1000LL;
  return local - ((local % kDay) + kDay) % kDay - utc_offset_minutes * 60 * 1000LL;
}

UnixMillis StartOfLocalDay(UnixMillis at, const std::string& time_zone) {
  auto zone = date::locate_zone(time_zone);
  auto instant = date::sys_time<std::chrono::milliseconds>(std::chrono::milliseconds(at));
  auto local_midnight = date::floor<date::days>(zone->to_local(instant));
  auto start = zone->to_sys(local_midnight, date::choose::earliest);
  return std::chrono::duration_cast<std::chrono::milliseconds>(start.time_since_epoch()).count();
}

namespace {
// A date known to be YYYY-MM-DD, as days since the epoch.
date::days DaysOf(const std::string& text) {
  date::year_month_day ymd{date::year{std::stoi(text.substr(0, 4))} / std::stoi(text.substr(5, 2)) / std::stoi(text.substr(8, 2))};
  return date::sys_days{ymd}.time_since_epoch();
}
}  // namespace

UnixMillis StartOfLocalDate(const std::string& text, const std::string& time_zone) {
  auto zone = date::locate_zone(time_zone);
  auto start = zone->to_sys(date::local_days{DaysOf(text)}, date::choose::earliest);
  return std::chrono::duration_cast<std::chrono::milliseconds>(start.time_since_epoch()).count();
}

std::string AddDays(const std::string& text, int days) {
  return date::format("%F", date::sys_days{DaysOf(text) + date::days{days}});
}

int WeekdayOf(const std::string& text) {
  return static_cast<int>((date::weekday{date::sys_days{DaysOf(text)}}.c_encoding() + 6) % 7);
}

}  // namespace moyakko

namespace moyakko {

UtcOffsets::UtcOffsets(const std::string& time_zone) : zone_(date::locate_zone(time_zone)) {}

int UtcOffsets::MinutesAt(UnixMillis at) {
  if (at >= from_ && at < until_) return minutes_;
  auto instant = date::sys_time<std::chrono::milliseconds>(std::chrono::milliseconds(at));
  auto info = static_cast<const date::time_zone*>(zone_)->get_info(date::floor<std::chrono::seconds>(instant));
  // A zone without changes ahead (or behind) gives the ends of time, beyond milliseconds.
  auto millis = [](std::int64_t seconds) {
    constexpr std::int64_t kLimit = std::numeric_limits<std::int64_t>::max() / 1000;
    return seconds >= kLimit ? std::numeric_limits<UnixMillis>::max()
           : seconds <= -kLimit ? std::numeric_limits<UnixMillis>::min()
                                : seconds * 1000;
  };
  from_ = millis(info.begin.time_since_epoch().count());
  until_ = millis(info.end.time_since_epoch().count());
  minutes_ = static_cast<int>(info.offset.count() / 60);
  return minutes_;
}

int UtcOffsetMinutes(UnixMillis at, const std::string& time_zone) { return UtcOffsets(time_zone).MinutesAt(at); }

bool IsCalendarDate(const std::string& text) {
  static const std::regex pattern(R"(\d{4}-\d{2}-\d{2})");
  if (!std::regex_match(text, pattern)) return false;
  std::tm tm{};
  tm.tm_year = std::stoi(text.substr(0, 4)) - 1900;
  tm.tm_mon = std::stoi(text.substr(5, 2)) - 1;
  tm.tm_mday = std::stoi(text.substr(8, 2));
  std::tm copy = tm;
  timegm(&copy);  // normalises: 2月30日 becomes 3月2日
  return copy.tm_mday == tm.tm_mday && copy.tm_mon == tm.tm_mon;
}

std::string FormatLocalMinute(UnixMillis at, const std::string& time_zone) {
  std::time_t seconds = static_cast<std::time_t>((at + UtcOffsetMinutes(at, time_zone) * 60000LL) / 1000);
  std::tm local{};
  gmtime_r(&seconds, &local);
  return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}", local.tm_year + 1900, local.tm_mon + 1, local.tm_mday,
                     local.tm_hour, local.tm_min);
}

}  // namespace moyakko
