#pragma once
// The colour of a household on the status list, from the facts kept at ingest. Pure.
#include <cstdint>
#include <optional>
#include <string_view>

#include "common/clock.h"

namespace moyakko::watch {

enum class HouseholdState { kOk, kAttention, kAlert, kOffline };
std::string_view ToString(HouseholdState state);

struct StatusFacts {
  std::optional<UnixMillis> last_upload_at;
  bool door_open = false;
  std::optional<UnixMillis> last_door_at;
  std::optional<double> temperature;
  std::optional<double> battery;
  int open_alerts = 0;
  std::optional<double> humidity;
};

// Gateways upload at 08:00 and 14:00: the longest normal gap is 18 h, so no upload for
// 20 h is offline. An open alert outranks everything. "Attention" is the early warning one
// step below the alert rules (rules.h): indoor WBGT ≥ 25 (警戒), a room ≤ 14 °C, the door
// open for 10 min, or a battery ≤ 25 %.
HouseholdState Classify(const StatusFacts& facts, UnixMillis now);

}  // namespace moyakko::watch
