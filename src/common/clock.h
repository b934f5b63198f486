#pragma once
// Time is passed in, never read from a global inside rules: services take a Clock so tests
// can fix "now". Instants are Unix milliseconds (UTC) everywhere in storage.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace moyakko {

using UnixMillis = std::int64_t;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual UnixMillis Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  UnixMillis Now() const override;
};

class FixedClock final : public Clock {
 public:
  explicit FixedClock(UnixMillis now) : now_(now) {}
  UnixMillis Now() const override { return now_; }
  void Advance(UnixMillis by) { now_ += by; }

 private:
  UnixMillis now_;
};

// "2026-11-26T10:46:29.123Z"
std::string FormatRfc3339(UnixMillis at);

}  // namespace moyakko

namespace moyakko {
// The calendar date ("YYYY-MM-DD") of `at` in an IANA time zone such as "Asia/Tokyo".
std::string LocalDate(UnixMillis at, const std::string& time_zone);
// True for a real date written YYYY-MM-DD (no 2月30日).
bool IsCalendarDate(const std::string& text);
}  // namespace moyakko

namespace moyakko {
// Parses RFC 3339 date-times with an offset ("2026-11-26T08:00:00+09:00", "…Z", optional
// fraction); nullopt for anything else, including a missing offset.
std::optional<UnixMillis> ParseRfc3339(std::string_view text);
// The instant the local calendar day containing `at` began in `time_zone`.
UnixMillis StartOfLocalDay(UnixMillis at, const std::string& time_zone);
// The instant a calendar date (YYYY-MM-DD, IsCalendarDate) began in `time_zone`.
UnixMillis StartOfLocalDate(const std::string& date, const std::string& time_zone);
// The calendar date `days` after `date` (YYYY-MM-DD, IsCalendarDate; negative: before).
std::string AddDays(const std::string& date, int days);
// The weekday of a calendar date: Monday 0 … Sunday 6.
int WeekdayOf(const std::string& date);
}  // namespace moyakko

namespace moyakko {
// The start of the UTC hour `at` falls in (floored, also before 1970).
UnixMillis StartOfHour(UnixMillis at);
// Local midnight of `at`'s day at a fixed offset from UTC (the rules' arithmetic, where the
// offset is already resolved), as a UTC instant.
UnixMillis LocalMidnight(UnixMillis at, int utc_offset_minutes);

// The zone's offset from UTC at `at`, in minutes (Asia/Tokyo: 540).
int UtcOffsetMinutes(UnixMillis at, const std::string& time_zone);
// UtcOffsetMinutes for many instants of one zone, e.g. a year of readings: the zone is looked
// up once, and an offset is used again until the zone's next change (a year has two at most).
class UtcOffsets {
 public:
  explicit UtcOffsets(const std::string& time_zone);
  int MinutesAt(UnixMillis at);
  // Until when the offset MinutesAt last returned holds (the zone's next change).
  UnixMillis HoldsUntil() const { return until_; }

 private:
  const void* zone_;  // date::time_zone, kept out of this header
  UnixMillis from_ = 0, until_ = 0;  // where minutes_ holds; empty at first
  int minutes_ = 0;
};
// "2026-11-26 19:05": local time to the minute, for texts people read.
std::string FormatLocalMinute(UnixMillis at, const std::string& time_zone);
}  // namespace moyakko
