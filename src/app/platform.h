#pragma once
// Everything `moyakko serve` runs, assembled in one place: the database (migrated), the
// services, and the router with every feature's routes. Tests build the same Platform, so
// what they enumerate and call is exactly what production serves.
#include <memory>
#include <string>

#include "app/event_relay.h"
#include "auth/service.h"
#include "common/clock.h"
#include "disaster/routes.h"
#include "http/events.h"
#include "http/metrics.h"
#include "http/router.h"
#include "http/static_files.h"
#include "store/database.h"
#include "store/group_commit.h"
#include "watch/ingest.h"

namespace moyakko::app {

struct PlatformOptions {
  std::string db_url;
  std::string web_root;
  bool secure_cookies = false;
  bool allow_demo_panel = false;  // only when listening on loopback
  std::string public_url;         // where printed links point (fridge-kit QR codes)
  disaster::MapTiles map_tiles;   // the disaster map's background
  const Clock* clock = nullptr;   // the system clock unless a test fixes time
};

class Platform {
 public:
  explicit Platform(const PlatformOptions& options);
  store::Database& db() { return *db_; }
  auth::AuthService& auth() { return *auth_; }
  http::Router& router() { return *router_; }
  http::EventHub& events() { return events_; }
  http::Metrics& metrics() { return metrics_; }
  // What sensor ingest needs, for transports besides the HTTP route (the MQTT listener).
  watch::IngestContext ingest() { return {*db_, *ingest_writer_, events_}; }
  bool web_available() const { return web_->available(); }
  // On PostgreSQL, passes live events to and from the other app nodes (EventRelay); a
  // no-op on SQLite, which serves one node. `serve` calls it; tests may.
  void ShareEventsAcrossNodes();
  const Clock& clock() const { return clock_; }

 private:
  SystemClock system_clock_;
  const Clock& clock_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<auth::AuthService> auth_;
  http::EventHub events_;
  http::Metrics metrics_;
  std::unique_ptr<http::StaticFiles> web_;
  std::unique_ptr<store::GroupCommit> commits_;          // the process's group commit
  std::unique_ptr<store::GroupCommit> ingest_commits_;   // uploads' own, on PostgreSQL
  std::unique_ptr<watch::IngestWriter> ingest_writer_;  // outlives the routes that use it
  std::unique_ptr<http::Router> router_;
  std::string db_url_;
  std::unique_ptr<EventRelay> relay_;  // before the hub and database it uses are destroyed
};

// The web UI folder: MOYAKKO_WEB_ROOT, else web/dist in a parent folder of the binary.
std::string DefaultWebRoot();

}  // namespace moyakko::app
