#pragma once
// `moyakko demo`: the demo town — Seto and Owariasahi with their organisations, staff,
// residents and families — in an empty database.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "auth/service.h"
#include "common/clock.h"
#include "store/database.h"

namespace moyakko::demo {

struct DemoLogin {
  std::string username, password, role, display_name, tenant, totp_secret;
};

struct DemoTown {
  int tenants = 0, organizations = 0, staff = 0, residents = 0, families = 0;
  int patients = 0, posts = 0;  // care network
  int life_records = 0;         // ここのーと
  int sensor_households = 0;
  long long readings = 0;
  int ledger_entries = 0, safety_posts = 0;  // the disaster ledger and the drill
  std::vector<DemoLogin> featured;  // one login per kind of user, shown on the login page
};

// Throws Failure 409 "not_empty" when the database already holds a tenant.
DemoTown CreateDemoTown(store::Database& db, auth::AuthService& auth, const Clock& clock);

// The featured demo logins with their current one-time codes, or nullopt when the database
// was not created by CreateDemoTown.
std::optional<nlohmann::json> DemoLoginsWithCodes(store::Database& db, const Clock& clock);

}  // namespace moyakko::demo
