#include "watch/readings.h"

#include <fmt/format.h>

#include <cmath>
#include <unordered_set>

#include "common/error.h"
#include "http/json_body.h"

namespace moyakko::watch {
namespace {

[[noreturn]] void Bad(std::size_t index, std::string_view field, std::string_view code, const std::string& message) {
  std::string name = field.empty() ? fmt::format("readings[{}]", index) : fmt::format("readings[{}].{}", index, field);
  Fail(ErrorCode::kInvalidArgument, std::string(code), name + ": " + message, name);
}

struct Range {
  ReadingKind kind;
  std::string_view name;
  double min, max;
};
constexpr Range kRanges[] = {{ReadingKind::kTemperature, "temperature", -40, 85},
                             {ReadingKind::kHumidity, "humidity", 0, 100},
                             {ReadingKind::kBattery, "battery", 0, 100}};

Reading DecodeReading(const nlohmann::json& r, std::size_t i, UnixMillis now) {
  if (!r.is_object()) Bad(i, "", "invalid_type", "each reading must be an object");
  Reading reading;
  auto seq = r.find("seq");
  if (seq == r.end()) Bad(i, "seq", "missing", "required");
  if (!seq->is_number_integer()) Bad(i, "seq", "invalid_type", "must be an integer");
  if (seq->is_number_unsigned() ? seq->get<std::uint64_t>() > (1ull << 53) : seq->get<std::int64_t>() < 0) {
    Bad(i, "seq", "out_of_range", "must be between 0 and 2^53");
  }
  reading.seq = seq->get<std::int64_t>();

  auto at = r.find("at");
  if (at == r.end()) Bad(i, "at", "missing", "required");
  if (!at->is_string() || at->get_ref<const std::string&>().size() > 40) Bad(i, "at", "invalid_type", "must be an RFC 3339 string");
  auto instant = ParseRfc3339(at->get_ref<const std::string&>());
  if (!instant) Bad(i, "at", "invalid_time", "must be RFC 3339 with an offset, e.g. 2026-11-26T08:00:00+09:00");
  if (*instant > now + kMaxFutureSkew) Bad(i, "at", "in_future", "more than 10 minutes in the future");
  reading.at = *instant;

  auto kind = r.find("kind");
  if (kind == r.end()) Bad(i, "kind", "missing", "required");
  if (!kind->is_string()) Bad(i, "kind", "invalid_type", "must be a string");
  const std::string& kind_name = kind->get_ref<const std::string&>();
  auto value = r.find("value");
  if (value == r.end()) Bad(i, "value", "missing", "required");
  if (kind_name == "door") {
    reading.kind = ReadingKind::kDoor;
    if (!value->is_string()) Bad(i, "value", "invalid_type", "door readings are \"open\" or \"close\"");
    const std::string& v = value->get_ref<const std::string&>();
    if (v != "open" && v != "close") Bad(i, "value", "invalid_value", "door readings are \"open\" or \"close\"");
    reading.value = v == "open" ? 1 : 0;
    return reading;
  }
  for (const Range& range : kRanges) {
    if (range.name != kind_name) continue;
    reading.kind = range.kind;
    if (!value->is_number()) Bad(i, "value", "invalid_type", "must be a number");
    double v = value->get<double>();
    if (!std::isfinite(v) || v < range.min || v > range.max) {
      Bad(i, "value", "out_of_range", fmt::format("{} must be within {}–{}", range.name, range.min, range.max));
    }
    reading.value = v;
    return reading;
  }
  Bad(i, "kind", "invalid_value", "one of door, temperature, humidity, battery");
}

}  // namespace

IngestBatch DecodeIngestBatch(std::string_view body, UnixMillis now) {
  nlohmann::json json = http::ParseJsonObject(body);
  IngestBatch batch;
  batch.device = http::RequiredString(json, "device", 64);
  auto readings = json.find("readings");
  if (readings == json.end() || !readings->is_array()) {
    Fail(ErrorCode::kInvalidArgument, "invalid_type", "readings must be an array", "readings");
  }
  if (readings->size() > kMaxReadingsPerBatch) {
    Fail(ErrorCode::kInvalidArgument, "too_many_readings",
         fmt::format("at most {} readings per batch", kMaxReadingsPerBatch), "readings");
  }
  batch.readings.reserve(readings->size());
  std::unordered_set<std::int64_t> seen;
  for (std::size_t i = 0; i < readings->size(); ++i) {
    Reading reading = DecodeReading((*readings)[i], i, now);
    if (!seen.insert(reading.seq).second) Bad(i, "seq", "duplicate_seq", "repeats a seq earlier in this batch");
    batch.readings.push_back(reading);
  }
  return batch;
}

}  // namespace moyakko::watch
