#pragma once
// Process metrics in Prometheus text format for /metrics. Counters are atomics: cheap on
// the request path.
#include <array>
#include <atomic>
#include <cstdint>
#include <string>

namespace moyakko::http {

// What the process reports of itself at a scrape, beside the counters Metrics keeps.
struct ProcessReport {
  std::size_t open_streams = 0;
  // Transactions the database aborted for meeting a concurrent one (deadlocks, serialisation
  // failures), which the group commits ran again.
  std::int64_t database_conflicts = 0;
};

class Metrics {
 public:
  void RecordRequest(int status, double seconds);
  void ConnectionOpened() { ++connections_; }
  void ConnectionClosed() { --connections_; }
  // An MQTT ingest batch, by the HTTP status its answer carries.
  void RecordMqttBatch(int status);
  std::string Render(const ProcessReport& report) const;

 private:
  static constexpr std::array<double, 10> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,  0.1,    0.25,  0.5,  1.0};
  std::array<std::atomic<std::uint64_t>, 6> by_class_{};  // 1xx … 5xx, other
  std::array<std::atomic<std::uint64_t>, kBuckets.size() + 1> buckets_{};
  std::atomic<std::uint64_t> micros_total_{0};
  std::atomic<std::int64_t> connections_{0};
  std::array<std::atomic<std::uint64_t>, 3> mqtt_batches_{};  // accepted, refused (4xx), failed (5xx)
};

}  // namespace moyakko::http
