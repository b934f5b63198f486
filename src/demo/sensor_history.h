#pragma once
// Watch-over households for the demo town, with believable fridge-door and room readings
// for the last weeks: most follow the cohort's rhythm (6:30–7:30, 12:00, 17:00–18:00), and
// a few tell a story — short stays on Fri/Sat, a night owl, one silent for the last 16 hours,
// one hot room, one gateway offline.
#include "common/clock.h"
#include "store/database.h"

namespace moyakko::demo {

struct SensorDemo {
  int households = 0;
  long long readings = 0;
};

// Adds up to `households` households for the tenant's residents aged 65+, each with one
// device, and `days` days of history ending at `now`.
SensorDemo AddSensorHouseholds(store::Database& db, const std::string& tenant_code, int households, int days,
                               UnixMillis now);

}  // namespace moyakko::demo
