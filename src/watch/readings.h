#pragma once
// What sensors send, and the strict decoding of an ingest batch. Decoding is pure: the
// batch is accepted whole or refused with the first problem, naming the reading's index and
// field ("readings[12].at"), so nothing of a bad batch is ever written.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"

namespace moyakko::watch {

enum class ReadingKind : int { kDoor = 1, kTemperature = 2, kHumidity = 3, kBattery = 4 };

struct Reading {
  std::int64_t seq = 0;   // per device, chosen by the device; (device, seq) is unique
  UnixMillis at = 0;      // when the sensor saw it
  ReadingKind kind = ReadingKind::kDoor;
  double value = 0;       // door: 1 open, 0 close; else °C, %RH, %
};

struct IngestBatch {
  std::string device;
  std::vector<Reading> readings;
};

inline constexpr std::size_t kMaxReadingsPerBatch = 10000;
inline constexpr UnixMillis kMaxFutureSkew = 10 * 60 * 1000;  // later than now + 10 min: refused

// Throws Failure 400 (field named) for any problem: malformed JSON, wrong types, missing
// fields, unknown kinds, values out of physical range, NaN, a timestamp without offset or
// more than 10 minutes ahead of `now`, a seq repeated within the batch, more than 10,000
// readings. Readings may come in any order and arbitrarily late.
IngestBatch DecodeIngestBatch(std::string_view body, UnixMillis now);

}  // namespace moyakko::watch
