#include "common/clock.h"

#include <fmt/format.h>

#include <ctime>

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
