#include "app/commands.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <thread>

#include "app/platform.h"
#include "audit/audit_log.h"
#include "auth/clients.h"
#include "auth/service.h"
#include "common/crypto.h"
#include "common/error.h"
#include "common/periodic.h"
#include "demo/demo_town.h"
#include "carenet/routes.h"
#include "emergency/grants.h"
#include "http/server.h"
#include "insight/store.h"
#include "interop/fhir.h"
#include "store/database.h"
#include "store/migrations.h"
#include "notify/outbox.h"
#include "sim/simulate.h"
#include "watch/monitor.h"
#include "watch/mqtt_listener.h"
#include "watch/store.h"
#include "disaster/ledger.h"
#include "disaster/ledger_import.h"

namespace moyakko::app {
namespace {

// Runs `command`, turning a Failure into one line on stderr and exit code 1.
template <class Command>
int Guarded(Command&& command) {
  try {
    return command();
  } catch (const Failure& f) {
    std::cerr << "moyakko: " << f.error().message;
    if (!f.error().field.empty()) std::cerr << " (" << f.error().field << ")";
    if (!f.error().internal.empty()) std::cerr << ": " << f.error().internal;
    std::cerr << "\n";
    return f.error().code == ErrorCode::kUnavailable ? 3 : 1;
  } catch (const std::exception& e) {
    std::cerr << "moyakko: " << e.what() << "\n";
    return 1;
  }
}

std::unique_ptr<store::Database> OpenMigrated(const std::string& url) {
  InitCrypto();
  auto db = store::Open(url);
  store::Migrate(*db);
  return db;
}

bool IsLoopback(const std::string& host) {
  return host == "127.0.0.1" || host == "localhost" || host == "::1" || host.starts_with("127.");
}

}  // namespace

int Serve(const ServeOptions& options) {
  return Guarded([&] {
    auto [host, port] = http::ParseListen(options.listen);
    // SIGINT/SIGTERM are taken by a thread below; block them before any thread starts.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    Platform platform({.db_url = options.db,
                       .web_root = options.web_root,
                       .secure_cookies = options.public_url.starts_with("https://"),
                       .allow_demo_panel = IsLoopback(host) && options.trusted_proxy.empty(),
                       .public_url = options.public_url,
                       .map_tiles = options.map_tiles});
    platform.ShareEventsAcrossNodes();
    if (!platform.web_available()) spdlog::warn("web UI not found; the API is served, the UI is not (build web/)");
    std::optional<watch::MqttListener> mqtt;  // sensor ingest over MQTT, beside POST /api/v1/ingest
    if (!options.mqtt_url.empty()) {
      mqtt.emplace(platform.ingest(), platform.metrics(),
                   watch::MqttOptions{.url = options.mqtt_url, .client_id = options.mqtt_client_id});
    }

    http::Server server(platform.router(), platform.events(), platform.metrics(),
                        {.host = host, .port = port, .threads = std::max(1, options.threads),
                         .trusted_proxy = options.trusted_proxy});
    std::uint16_t bound = server.Start();
    SystemClock clock;
    const char* smtp = std::getenv("MOYAKKO_SMTP_URL");
    const char* from = std::getenv("MOYAKKO_MAIL_FROM");
    notify::CurlSender sender(smtp ? smtp : "", from ? from : "moyakko@localhost");
    watch::Monitor monitor(platform.db(), platform.events(), clock, &sender);
    monitor.Start();
    // Break-glass grants close by themselves; this writes down each end (audit, notice).
    Periodic grant_sweep(std::chrono::seconds(5), [&] {
      try {
        platform.db().Write([&](store::Session& s) { emergency::CloseExpiredGrants(s, clock.Now()); });
      } catch (const std::exception& e) {
        spdlog::warn("closing expired emergency grants: {}", e.what());
      }
    });
    grant_sweep.Start();
    // Life-rhythm findings: once a local day per municipality, posted to care-team timelines.
    Periodic daily_analysis(std::chrono::minutes(10), [&] {
      try {
        for (const insight::PostedFinding& post : insight::RunDailyAnalysis(platform.db(), clock.Now())) {
          carenet::PublishPost(platform.events(), post.person_id, {post.post_id, post.notify_users});
        }
      } catch (const std::exception& e) {
        spdlog::warn("daily life-rhythm analysis: {}", e.what());
      }
    });
    daily_analysis.Start();
    // FHIR bulk exports: whichever node claims one first runs it.
    Periodic fhir_exports(std::chrono::seconds(2), [&] {
      try {
        while (interop::RunNextExport(platform.db(), clock.Now())) {
        }
      } catch (const std::exception& e) {
        spdlog::warn("FHIR exports: {}", e.what());
      }
    });
    fhir_exports.Start();
    std::thread stopper([&] {
      int signal = 0;
      sigwait(&signals, &signal);
      spdlog::info("signal {}: stopping", signal);
      server.Stop();
    });
    stopper.detach();
    std::string shown_host = host.find(':') != std::string::npos ? "[" + host + "]" : host;
    spdlog::info("moyakko serving {} on http://{}:{}/", platform.db().Describe(), shown_host, bound);
    std::cout << fmt::format("moyakko: listening on http://{}:{}/", shown_host, bound) << std::endl;
    server.Run();
    mqtt.reset();
    fhir_exports.Stop();
    daily_analysis.Stop();
    grant_sweep.Stop();
    monitor.Stop();
    return 0;
  });
}

int Migrate(const std::string& url) {
  return Guarded([&] {
    InitCrypto();
    auto db = store::Open(url);
    int applied = store::Migrate(*db);
    std::cout << fmt::format("schema at version {} ({} migration(s) applied)\n", store::LatestSchemaVersion(), applied);
    return 0;
  });
}

int Demo(const std::string& url) {
  return Guarded([&] {
    auto db = OpenMigrated(url);
    SystemClock clock;
    auth::AuthService auth(*db, clock);
    demo::DemoTown town = demo::CreateDemoTown(*db, auth, clock);
    std::cout << fmt::format(
        "demo town created: {} municipalities, {} organisations, {} staff, {} residents, {} family members,\n"
        "{} care-network patients with {} timeline posts, {} watch-over households with {} sensor readings,\n"
        "{} life records (ここのーと), {} people on the disaster ledger and an earthquake drill with {} safety "
        "confirmations\n\n",
        town.tenants, town.organizations, town.staff, town.residents, town.families, town.patients, town.posts,
        town.sensor_households, town.readings, town.life_records, town.ledger_entries, town.safety_posts);
    std::cout << "Demo logins (every demo user has the same password; the one-time code comes from\n"
                 "an authenticator app with the TOTP secret, or from the login page of a local demo):\n";
    for (const auto& login : town.featured) {
      std::cout << fmt::format("  {:<22} password {}  role {:<14} TOTP secret {}\n", login.username, login.password,
                               login.role, login.totp_secret);
    }
    return 0;
  });
}

int UserAdd(const UserAddOptions& o) {
  return Guarded([&] {
    auto role = auth::ParseRole(o.role);
    if (!role) Fail(ErrorCode::kInvalidArgument, "invalid_role", "unknown role " + o.role, "role");
    std::string password;
    std::getline(std::cin, password);
    auto db = OpenMigrated(o.db);
    SystemClock clock;
    auth::AuthService auth(*db, clock);
    auth::NewUser user;
    user.tenant_code = o.tenant;
    user.username = o.username;
    user.display_name = o.display_name;
    user.role = *role;
    user.organization_code = o.organization;
    user.password = password;
    user.totp_secret = o.totp_secret.value_or("");
    auth::CreatedUser created = auth.AddUser(user, nullptr, "cli");
    if (!o.totp_secret) std::cout << "TOTP secret: " << created.totp_secret << "\n";
    std::cout << fmt::format("user {} added (id {})\n", o.username, created.id);
    return 0;
  });
}

int UserDisable(const std::string& url, const std::string& username) {
  return Guarded([&] {
    auto db = OpenMigrated(url);
    SystemClock clock;
    auth::AuthService auth(*db, clock);
    if (!auth.DisableUser(username, nullptr, "cli")) Fail(ErrorCode::kNotFound, "not_found", "no such user", "username");
    std::cout << fmt::format("user {} disabled; their sessions are ended\n", username);
    return 0;
  });
}

int ClientAdd(const ClientAddOptions& options) {
  return Guarded([&] {
    auto db = OpenMigrated(options.db);
    auth::NewClient client{options.tenant, std::nullopt, options.name, {}};
    if (!options.organization.empty()) client.organization_code = options.organization;
    std::istringstream scopes(options.scopes);
    for (std::string scope; scopes >> scope;) client.scopes.push_back(scope);
    auth::CreatedClient created = auth::AddClient(*db, client, SystemClock().Now());
    std::cout << nlohmann::json{{"client_id", created.client_id}, {"client_secret", created.secret}}.dump() << "\n";
    return 0;
  });
}

int ClientDisable(const std::string& url, const std::string& client_id) {
  return Guarded([&] {
    auto db = OpenMigrated(url);
    if (!auth::DisableClient(*db, client_id, SystemClock().Now())) {
      Fail(ErrorCode::kNotFound, "not_found", "no such client", "client-id");
    }
    std::cout << fmt::format("client {} disabled; its tokens are ended", client_id) << "\n";
    return 0;
  });
}

int DeviceAdd(const std::string& url, std::int64_t household) {
  return Guarded([&] {
    auto db = OpenMigrated(url);
    watch::DeviceCredential credential = db->Write([&](store::Session& s) {
      auto tenant = s.QueryOne("SELECT h.tenant_id, t.code FROM households h JOIN tenants t ON t.id = h.tenant_id "
                               "WHERE h.id = $1", {household});
      if (!tenant) Fail(ErrorCode::kNotFound, "not_found", "no such household", "household");
      UnixMillis now = SystemClock().Now();
      watch::DeviceCredential added = watch::AddDevice(s, tenant->Int(0), household, now);
      audit::Entry entry;
      entry.at = now;
      entry.actor_username = "(cli)";
      entry.actor_role = "operator";
      entry.tenant_code = tenant->Text(1);
      entry.action = "watch.admin";
      entry.reason = "device.add";
      entry.detail = fmt::format("household={} device={}", household, added.device);
      audit::Append(s, entry);
      return added;
    });
    std::cout << nlohmann::json{{"device", credential.device}, {"token", credential.token}}.dump() << "\n";
    return 0;
  });
}

int AuditVerify(const std::string& url) {
  return Guarded([&] {
    InitCrypto();
    auto db = store::Open(url);  // read only: a backup being checked is not migrated
    audit::VerifyReport report = audit::Verify(*db);
    if (!report.intact) {
      std::cerr << fmt::format("audit chain BROKEN at entry {}: {}\n", report.first_bad_seq, report.problem);
      return 2;
    }
    std::cout << fmt::format("audit chain intact: {} entries\n", report.entries);
    return 0;
  });
}

// Copies one SQLite file into another (online backup API), refusing PostgreSQL URLs,
// whose backups belong to pg_dump / pg_restore.
static int CopySqlite(const std::string& url, const std::string& from, const std::string& to,
                      const std::string& from_flag, const std::string& done) {
  return Guarded([&] {
    if (store::IsPostgresUrl(url)) {
      Fail(ErrorCode::kInvalidArgument, "use_pg_dump",
           "for PostgreSQL use pg_dump -Fc / pg_restore (see docs/operations.md)", "db");
    }
    if (!std::filesystem::exists(from)) Fail(ErrorCode::kNotFound, "not_found", "no file at " + from, from_flag);
    store::CopySqlite(from, to);
    std::cout << done << "\n";
    return 0;
  });
}

int Simulate(const SimulateCommand& c) {
  return Guarded([&] {
    if (c.gateway != "scheduled" && c.gateway != "hourly") {
      Fail(ErrorCode::kInvalidArgument, "invalid_gateway", "--gateway: scheduled or hourly", "gateway");
    }
    nlohmann::json thresholds = nlohmann::json::object();
    if (!c.thresholds.empty()) {
      thresholds = nlohmann::json::parse(c.thresholds, nullptr, false);
      if (thresholds.is_discarded()) Fail(ErrorCode::kInvalidArgument, "invalid_json", "--thresholds: a JSON object", "thresholds");
    }
    auto db = OpenMigrated(c.db);
    sim::SimulationReport report = sim::Simulate(
        *db, {.tenant_code = c.tenant, .households = c.households, .days = c.days, .anomalies = c.anomalies,
              .seed = c.seed, .gateway = c.gateway == "hourly" ? sim::Gateway::kHourly : sim::Gateway::kScheduled,
              .evaluate = c.evaluate, .thresholds = thresholds});
    nlohmann::json j = sim::ToJson(report);
    if (!c.truth_file.empty()) {  // one JSON object a line: the labelled anomalies
      std::ofstream out(c.truth_file);
      for (const auto& t : j["truth"]) out << t.dump() << "\n";
      if (!out) Fail(ErrorCode::kInternal, "write_failed", "could not write " + c.truth_file);
    }
    if (c.json) {
      j.erase("truth");
      std::cout << j.dump() << "\n";
      return 0;
    }
    std::cout << fmt::format("{} households, {} readings over {} days in {:.1f} s\n", report.households, report.readings,
                             c.days, report.seconds);
    if (c.evaluate) std::cout << "\n" << sim::DetectionTable(report);
    return 0;
  });
}

int ImportLedger(const ImportLedgerCommand& c) {
  return Guarded([&] {
    auto encoding = disaster::ParseEncoding(c.encoding);
    if (!encoding) Fail(ErrorCode::kInvalidArgument, "invalid_encoding", "--encoding: auto, cp932 or utf-8", "encoding");
    std::ifstream in(c.file, std::ios::binary);
    if (!in) Fail(ErrorCode::kNotFound, "no_such_file", "cannot read " + c.file, "file");
    in.seekg(0, std::ios::end);
    if (static_cast<std::size_t>(in.tellg()) > disaster::kMaxLedgerBytes) {
      Fail(ErrorCode::kPayloadTooLarge, "file_too_large",
           fmt::format("a ledger file may be at most {} MiB", disaster::kMaxLedgerBytes >> 20), "file");
    }
    std::string bytes(static_cast<std::size_t>(in.tellg()), '\0');
    in.seekg(0);
    in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    auto db = OpenMigrated(c.db);
    UnixMillis now = SystemClock().Now();
    std::map<std::string, disaster::LedgerField> mapping;
    std::string today = db->Read([&](store::Session& s) {
      auto tenant = s.QueryOne("SELECT time_zone FROM tenants WHERE code = $1", {c.tenant});
      if (!tenant) Fail(ErrorCode::kNotFound, "no_such_tenant", "no municipality with code " + c.tenant, "tenant");
      mapping = disaster::LoadMapping(s, c.tenant);
      return LocalDate(now, tenant->Text(0));
    });
    disaster::ParsedLedger ledger = disaster::ParseLedger(bytes, *encoding, mapping, today);
    disaster::ImportReport report = disaster::ImportLedger(
        *db, ledger, {.tenant_code = c.tenant, .dry_run = c.dry_run, .skip_invalid = c.skip_invalid}, now);
    if (c.json) {
      std::cout << report.json.dump() << "\n";
    } else {
      std::string outcome = report.written ? "imported"
                            : c.dry_run    ? "dry run, nothing written"
                                           : "NOT imported: records have errors (fix them, or pass --skip-invalid)";
      std::cout << fmt::format("{} records read ({}): {} valid, {} with errors\n", report.rows, ledger.encoding,
                               report.valid, report.rows - report.valid);
      std::cout << fmt::format("{}: {} created, {} updated ({} linked to people already known), {} for review\n",
                               outcome, report.created, report.updated + report.linked, report.linked, report.review);
      for (const auto& e : ledger.errors) {
        std::cout << fmt::format("  record {} {}: {} — {}\n", e.row, e.column.empty() ? "(whole record)" : e.column,
                                 e.code, e.message);
      }
      for (const auto& column : ledger.unknown_columns) std::cout << fmt::format("  column ignored: {}\n", column);
    }
    return ledger.errors.empty() || (report.written && c.skip_invalid) ? 0 : 1;
  });
}

int Backup(const std::string& url, const std::string& out) {
  return CopySqlite(url, url, out, "db", "backup written to " + out);
}

int Restore(const std::string& url, const std::string& in) {
  return CopySqlite(url, in, url, "in", "database " + url + " restored from " + in);
}

}  // namespace moyakko::app
