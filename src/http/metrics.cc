#include "http/metrics.h"

#include <fmt/format.h>

namespace moyakko::http {

void Metrics::RecordRequest(int status, double seconds) {
  int cls = status / 100;
  by_class_[(cls >= 1 && cls <= 5) ? cls - 1 : 5]++;
  std::size_t bucket = 0;
  while (bucket < kBuckets.size() && seconds > kBuckets[bucket]) ++bucket;
  buckets_[bucket]++;
  micros_total_ += static_cast<std::uint64_t>(seconds * 1e6);
}

void Metrics::RecordMqttBatch(int status) { mqtt_batches_[status < 400 ? 0 : status < 500 ? 1 : 2]++; }

std::string Metrics::Render(const ProcessReport& report) const {
  std::string out;
  out += "# HELP moyakko_http_requests_total HTTP requests by status class.\n";
  out += "# TYPE moyakko_http_requests_total counter\n";
  const char* classes[] = {"1xx", "2xx", "3xx", "4xx", "5xx", "other"};
  std::uint64_t total = 0;
  for (std::size_t i = 0; i < by_class_.size(); ++i) {
    out += fmt::format("moyakko_http_requests_total{{class=\"{}\"}} {}\n", classes[i], by_class_[i].load());
    total += by_class_[i].load();
  }
  out += "# HELP moyakko_http_request_duration_seconds Time from parsed request to response.\n";
  out += "# TYPE moyakko_http_request_duration_seconds histogram\n";
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    cumulative += buckets_[i].load();
    out += fmt::format("moyakko_http_request_duration_seconds_bucket{{le=\"{}\"}} {}\n", kBuckets[i], cumulative);
  }
  cumulative += buckets_[kBuckets.size()].load();
  out += fmt::format("moyakko_http_request_duration_seconds_bucket{{le=\"+Inf\"}} {}\n", cumulative);
  out += fmt::format("moyakko_http_request_duration_seconds_sum {}\n", micros_total_.load() / 1e6);
  out += fmt::format("moyakko_http_request_duration_seconds_count {}\n", total);
  out += "# TYPE moyakko_http_open_connections gauge\n";
  out += fmt::format("moyakko_http_open_connections {}\n", connections_.load());
  out += "# HELP moyakko_mqtt_batches_total MQTT ingest batches: accepted, refused (4xx) or failed (5xx).\n";
  out += "# TYPE moyakko_mqtt_batches_total counter\n";
  const char* outcomes[] = {"accepted", "refused", "failed"};
  for (std::size_t i = 0; i < mqtt_batches_.size(); ++i) {
    out += fmt::format("moyakko_mqtt_batches_total{{outcome=\"{}\"}} {}\n", outcomes[i], mqtt_batches_[i].load());
  }
  out += "# TYPE moyakko_live_streams gauge\n";
  out += fmt::format("moyakko_live_streams {}\n", report.open_streams);
  out += "# HELP moyakko_database_conflicts_total Transactions aborted by a concurrent one and run again.\n";
  out += "# TYPE moyakko_database_conflicts_total counter\n";
  out += fmt::format("moyakko_database_conflicts_total {}\n", report.database_conflicts);
  return out;
}

}  // namespace moyakko::http
