#pragma once
// The foundation's own routes: authentication and 2FA enrolment, the current user, live
// events, user administration, the audit search, health and metrics, and the local demo's
// login panel.
#include <cstdint>
#include <functional>

#include "auth/service.h"
#include "common/clock.h"
#include "http/events.h"
#include "http/metrics.h"
#include "http/router.h"
#include "store/database.h"

namespace moyakko::app {

struct PlatformDeps {
  store::Database& db;
  auth::AuthService& auth;
  http::EventHub& events;
  http::Metrics& metrics;
  const Clock& clock;
  bool demo_panel = false;  // serve /api/v1/demo/logins (loopback demos only)
  std::function<std::int64_t()> database_conflicts;  // for /metrics, asked at each scrape
};

void AddPlatformRoutes(http::Router& router, PlatformDeps deps);

}  // namespace moyakko::app
