#include "http/metrics.h"

#include <gtest/gtest.h>

namespace moyakko::http {
namespace {

TEST(Metrics, RendersTheCountersAndWhatTheProcessReports) {
  Metrics metrics;
  metrics.RecordRequest(200, 0.003);
  metrics.RecordRequest(503, 2.0);
  metrics.RecordMqttBatch(422);
  std::string text = metrics.Render({.open_streams = 3, .database_conflicts = 5});
  EXPECT_NE(text.find("moyakko_http_requests_total{class=\"2xx\"} 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("moyakko_http_requests_total{class=\"5xx\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("moyakko_http_request_duration_seconds_bucket{le=\"0.0025\"} 0\n"), std::string::npos);
  EXPECT_NE(text.find("moyakko_http_request_duration_seconds_bucket{le=\"0.005\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("moyakko_http_request_duration_seconds_bucket{le=\"1\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("moyakko_http_request_duration_seconds_bucket{le=\"+Inf\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("moyakko_mqtt_batches_total{outcome=\"refused\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("moyakko_live_streams 3\n"), std::string::npos);
  EXPECT_NE(text.find("moyakko_database_conflicts_total 5\n"), std::string::npos);
}

}  // namespace
}  // namespace moyakko::http
