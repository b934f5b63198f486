#include "app/platform.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <string_view>

#include <fmt/format.h>

#include "app/platform_routes.h"
#include "carenet/routes.h"
#include "common/crypto.h"
#include "common/error.h"
#include "emergency/routes.h"
#include "insight/routes.h"
#include "interop/fhir_routes.h"
#include "lifelog/routes.h"
#include "disaster/routes.h"
#include "demo/demo_town.h"
#include "registry/routes.h"
#include "watch/routes.h"
#include "store/migrations.h"

namespace moyakko::app {
namespace {

// Upload groups in flight per node on PostgreSQL: 2 to 4 measured alike, one gave a quarter
// less (docs/performance.md).
constexpr int kIngestGroupsInFlight = 3;

// The CSP source that lets the browser load the map tiles: the tile URL's origin, with a
// {s} subdomain template as a wildcard ("https://{s}.tile.example.org/…" → "https://*.tile.example.org").
std::string TileSource(const std::string& url) {
  std::size_t scheme = url.find("://");
  if (scheme == std::string::npos) return "";
  std::string origin = url.substr(0, url.find('/', scheme + 3));
  if (auto at = origin.find("{s}"); at != std::string::npos) origin.replace(at, 3, "*");
  bool plain = std::all_of(origin.begin(), origin.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || std::string_view(":/.-*").find(c) != std::string_view::npos;
  });
  return plain ? origin : "";
}

}  // namespace

Platform::Platform(const PlatformOptions& options) : clock_(options.clock ? *options.clock : system_clock_) {
  InitCrypto();
  db_url_ = options.db_url;
  db_ = store::Open(options.db_url);
  store::Migrate(*db_);
  if (auto unsafe = store::UnsafeDurabilitySettings(*db_); !unsafe.empty()) {
    Fail(ErrorCode::kConflict, "unsafe_database_settings",
         fmt::format("PostgreSQL could lose acknowledged data with {}; turn it on in postgresql.conf",
                     fmt::join(unsafe, ", ")),
         "db");
  }
  auth_ = std::make_unique<auth::AuthService>(*db_, clock_);
  web_ = std::make_unique<http::StaticFiles>(options.web_root.empty() ? DefaultWebRoot() : options.web_root);
  router_ = std::make_unique<http::Router>(
      *auth_, *db_,
      http::RouterOptions{.secure_cookies = options.secure_cookies, .img_source = TileSource(options.map_tiles.url)});
  bool demo_panel = options.allow_demo_panel && demo::DemoLoginsWithCodes(*db_, clock_).has_value();
  AddPlatformRoutes(*router_, {*db_, *auth_, events_, metrics_, clock_, demo_panel, [this] {
                      return commits_->conflicts() + (ingest_commits_ ? ingest_commits_->conflicts() : 0);
                    }});
  registry::AddRoutes(*router_, *db_);
  commits_ = std::make_unique<store::GroupCommit>(*db_);
  // PostgreSQL runs transactions side by side: uploads go in several groups at once (their
  // shared hourly rows are written last, see watch/store.cc). SQLite has one writer, so there
  // they share the one group commit, whose groups grow instead.
  if (db_->dialect() == store::Dialect::kPostgres) {
    ingest_commits_ = std::make_unique<store::GroupCommit>(*db_, kIngestGroupsInFlight);
  }
  ingest_writer_ = std::make_unique<watch::IngestWriter>(ingest_commits_ ? *ingest_commits_ : *commits_);
  watch::AddRoutes(*router_, *db_, events_, *ingest_writer_, *commits_);
  carenet::AddRoutes(*router_, *db_, events_, *commits_);
  emergency::AddRoutes(*router_, *db_, events_, clock_, options.public_url);
  insight::AddRoutes(*router_, *db_, *commits_);
  lifelog::AddRoutes(*router_, *db_, *commits_, events_, clock_);
  disaster::AddRoutes(*router_, *db_, events_, clock_, options.map_tiles);
  interop::AddRoutes(*router_, *db_, *commits_, clock_, options.public_url);
  router_->SetFallback([web = web_.get()](http::Context& c) { return web->Serve(c.request()); });
}

void Platform::ShareEventsAcrossNodes() {
  if (db_->dialect() == store::Dialect::kPostgres && !relay_) {
    relay_ = std::make_unique<EventRelay>(db_url_, *db_, events_);
  }
}

std::string DefaultWebRoot() {
  if (const char* env = std::getenv("MOYAKKO_WEB_ROOT")) return env;
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  for (auto dir = exe.parent_path(); !ec && dir.has_relative_path(); dir = dir.parent_path()) {
    if (std::filesystem::exists(dir / "web" / "dist" / "index.html")) return (dir / "web" / "dist").string();
  }
  return "web/dist";
}

}  // namespace moyakko::app
