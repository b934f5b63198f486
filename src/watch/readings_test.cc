#include "watch/readings.h"

#include <gtest/gtest.h>

#include "common/error.h"

namespace moyakko::watch {
namespace {

constexpr UnixMillis kNow = 1764108000000;  // 2025-11-26T07:00:00+09:00

std::string Batch(const std::string& readings) { return R"({"device":"dev-1","readings":[)" + readings + "]}"; }

TEST(DecodeIngestBatch, DecodesEveryKind) {
  IngestBatch batch = DecodeIngestBatch(Batch(R"(
      {"seq":1,"at":"2025-11-26T06:30:00+09:00","kind":"door","value":"open"},
      {"seq":2,"at":"2025-11-25T21:31:00Z","kind":"door","value":"close"},
      {"seq":3,"at":"2025-11-26T06:00:00+09:00","kind":"temperature","value":18.5},
      {"seq":4,"at":"2025-11-26T06:00:00+09:00","kind":"humidity","value":55},
      {"seq":5,"at":"2025-11-26T06:00:00+09:00","kind":"battery","value":80})"), kNow);
  EXPECT_EQ(batch.device, "dev-1");
  ASSERT_EQ(batch.readings.size(), 5u);
  EXPECT_EQ(batch.readings[0].kind, ReadingKind::kDoor);
  EXPECT_EQ(batch.readings[0].value, 1);
  EXPECT_EQ(batch.readings[0].at, kNow - 30 * 60 * 1000);
  EXPECT_EQ(batch.readings[1].value, 0);
  EXPECT_EQ(batch.readings[2].kind, ReadingKind::kTemperature);
  EXPECT_DOUBLE_EQ(batch.readings[2].value, 18.5);
}

struct BadCase {
  const char* name;
  std::string body;
  const char* field;
  const char* code;
};

class DecodeRejects : public ::testing::TestWithParam<BadCase> {};

TEST_P(DecodeRejects, NamingIndexAndField) {
  try {
    DecodeIngestBatch(GetParam().body, kNow);
    FAIL() << "accepted";
  } catch (const Failure& f) {
    EXPECT_EQ(f.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(f.error().field, GetParam().field);
    EXPECT_EQ(f.error().slug, GetParam().code);
  }
}

const std::string kOk = R"({"seq":1,"at":"2025-11-26T06:00:00+09:00","kind":"door","value":"open"})";
std::string With(const std::string& replace_from, const std::string& replace_to) {
  std::string r = kOk;
  r.replace(r.find(replace_from), replace_from.size(), replace_to);
  return Batch(kOk + "," + r);  // the bad reading is index 1
}

std::string ManyReadings(int n) {
  std::string readings;
  for (int i = 0; i < n; ++i) {
    readings += (i ? "," : "") + std::string(R"({"seq":)") + std::to_string(i) +
                R"(,"at":"2025-11-26T06:00:00+09:00","kind":"door","value":"open"})";
  }
  return Batch(readings);
}

INSTANTIATE_TEST_SUITE_P(Table, DecodeRejects, ::testing::Values(
    BadCase{"malformed", R"({"device":"d","readings":[)", "", "invalid_json"},
    BadCase{"no_device", R"({"readings":[]})", "device", "missing"},
    BadCase{"device_number", R"({"device":5,"readings":[]})", "device", "invalid_type"},
    BadCase{"readings_object", R"({"device":"d","readings":{}})", "readings", "invalid_type"},
    BadCase{"reading_not_object", Batch("1"), "readings[0]", "invalid_type"},
    BadCase{"seq_missing", With(R"("seq":1,)", ""), "readings[1].seq", "missing"},
    BadCase{"seq_string", With(R"("seq":1)", R"("seq":"1")"), "readings[1].seq", "invalid_type"},
    BadCase{"seq_float", With(R"("seq":1)", R"("seq":1.5)"), "readings[1].seq", "invalid_type"},
    BadCase{"seq_negative", With(R"("seq":1)", R"("seq":-1)"), "readings[1].seq", "out_of_range"},
    BadCase{"seq_huge", With(R"("seq":1)", R"("seq":18446744073709551615)"), "readings[1].seq", "out_of_range"},
    BadCase{"seq_duplicate", Batch(kOk + "," + kOk), "readings[1].seq", "duplicate_seq"},
    BadCase{"at_no_offset", With("+09:00", ""), "readings[1].at", "invalid_time"},
    BadCase{"at_number", With(R"("2025-11-26T06:00:00+09:00")", "1764108000"), "readings[1].at", "invalid_type"},
    BadCase{"at_future", With("2025-11-26T06:00:00", "2025-11-26T07:11:00"), "readings[1].at", "in_future"},
    BadCase{"kind_unknown", With(R"("door")", R"("smoke")"), "readings[1].kind", "invalid_value"},
    BadCase{"door_value", With(R"("open")", R"("ajar")"), "readings[1].value", "invalid_value"},
    BadCase{"temperature_string", With(R"("door","value":"open")", R"("temperature","value":"20")"),
            "readings[1].value", "invalid_type"},
    BadCase{"temperature_absurd", With(R"("door","value":"open")", R"("temperature","value":1e308)"),
            "readings[1].value", "out_of_range"},
    BadCase{"humidity_over", With(R"("door","value":"open")", R"("humidity","value":101)"),
            "readings[1].value", "out_of_range"},
    BadCase{"nan_literal", With(R"("open")", "NaN"), "", "invalid_json"},
    // Found by fuzzing (tests/fuzz/corpus/ingest/number_overflow): escaped as a 500.
    BadCase{"number_overflow", With(R"("open")", "1e999"), "", "invalid_json"},
    BadCase{"too_many", ManyReadings(10001), "readings", "too_many_readings"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(DecodeIngestBatch, TakesExactlyTenThousand) {
  EXPECT_EQ(DecodeIngestBatch(ManyReadings(10000), kNow).readings.size(), 10000u);
}

}  // namespace
}  // namespace moyakko::watch
