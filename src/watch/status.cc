#include "watch/status.h"

#include "watch/rules.h"

namespace moyakko::watch {

std::string_view ToString(HouseholdState state) {
  switch (state) {
    case HouseholdState::kOk: return "ok";
    case HouseholdState::kAttention: return "attention";
    case HouseholdState::kAlert: return "alert";
    case HouseholdState::kOffline: return "offline";
  }
  return "offline";
}

HouseholdState Classify(const StatusFacts& f, UnixMillis now) {
  constexpr UnixMillis kOfflineAfter = 20 * 3600 * 1000;
  constexpr UnixMillis kDoorOpenLong = 10 * 60 * 1000;
  if (f.open_alerts > 0) return HouseholdState::kAlert;
  if (!f.last_upload_at || now - *f.last_upload_at > kOfflineAfter) return HouseholdState::kOffline;
  bool warm = f.temperature && f.humidity && IndoorWbgt(*f.temperature, *f.humidity) >= 25;
  bool chilly = f.temperature && *f.temperature <= 14;
  bool hot_or_cold = warm || chilly;
  bool door_left_open = f.door_open && f.last_door_at && now - *f.last_door_at >= kDoorOpenLong;
  bool battery_low = f.battery && *f.battery <= 25;
  if (hot_or_cold || door_left_open || battery_low) return HouseholdState::kAttention;
  return HouseholdState::kOk;
}

}  // namespace moyakko::watch
