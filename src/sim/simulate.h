#pragma once
// `moyakko simulate`: a town of generated households for benchmarks, optionally with labelled
// anomalies (the ground truth), and a replay of their histories through the real ingest and
// rules in time order — uploads at the gateway's schedule, the monitor's deadlines between
// them — that measures how soon each anomaly raised an alert and how many alerts were false.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/clock.h"
#include "sim/history.h"
#include "store/database.h"

namespace moyakko::sim {

enum class Gateway { kScheduled, kHourly };  // uploads at 08:00 and 14:00, or every hour

struct SimulateOptions {
  std::string tenant_code = "sim";
  int households = 100;
  int days = 90;
  bool anomalies = false;  // one labelled anomaly per household, the kinds in turn
  std::uint32_t seed = 1;
  Gateway gateway = Gateway::kScheduled;
  bool evaluate = false;   // replay in time order and measure detection
  UnixMillis end = 0;      // the histories end here (0: now; with `evaluate`, a fixed day)
  nlohmann::json thresholds = nlohmann::json::object();  // the municipality's rule settings
};

struct GroundTruth {
  std::int64_t household_id = 0;
  Anomaly anomaly;
};

struct DetectionRow {
  std::string kind;
  int injected = 0, detected = 0;
  double median_delay_hours = 0, p90_delay_hours = 0;
};

struct SimulationReport {
  int households = 0;
  std::int64_t readings = 0;
  double household_days = 0;
  std::vector<GroundTruth> truth;
  // Filled by an evaluation:
  std::vector<DetectionRow> detection;
  std::int64_t alerts = 0;
  std::map<std::string, int> false_alarms;  // by alert kind
  int false_alarms_learning = 0;  // of those, while the rhythms were still being learnt
  double learning_household_days = 0;
  double seconds = 0;
};

// Adds the tenant (if new) and `households` residents with one device each, and stores their
// histories. Throws Failure 400 for options out of range.
SimulationReport Simulate(store::Database& db, const SimulateOptions& options);

// An alert detects an anomaly when it is of a kind that points to it and opens between the
// anomaly's start and a day after its end (a week for the weekly count of low activity);
// every other alert is a false alarm.
bool AlertPointsTo(std::string_view alert_kind, AnomalyKind anomaly);
UnixMillis MatchingTail(std::string_view alert_kind);

nlohmann::json ToJson(const SimulationReport& report);
// The detection table in Markdown, for docs/performance.md.
std::string DetectionTable(const SimulationReport& report);

}  // namespace moyakko::sim
