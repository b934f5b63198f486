// moyakko: one binary, many subcommands. Wiring only; the work is in app/commands.cc.
#include <CLI/CLI.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdlib>

#include "app/commands.h"

int main(int argc, char** argv) {
  using namespace moyakko::app;
  CLI::App cli{"moyakko — community-care platform: care network, watch-over, analytics, disaster, emergency, life records"};
  cli.require_subcommand(1);
  cli.fallthrough();  // --log-level may follow the subcommand
  std::string log_level = "info";
  cli.add_option("--log-level", log_level, "trace, debug, info, warn, error")
      ->envname("MOYAKKO_LOG_LEVEL")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical", "off"}));
  std::string db = "./moyakko.db";
  auto add_db = [&](CLI::App* command) {
    command->add_option("--db", db, "SQLite file path or postgresql:// URL")->envname("MOYAKKO_DB")->capture_default_str();
  };

  ServeOptions serve{.listen = "127.0.0.1:8080"};
  auto* serve_cmd = cli.add_subcommand("serve", "run the web server");
  add_db(serve_cmd);
  serve_cmd->add_option("--listen", serve.listen, "host:port")->envname("MOYAKKO_LISTEN")->capture_default_str();
  serve_cmd->add_option("--web-root", serve.web_root, "built web UI (default: web/dist beside the binary)")
      ->envname("MOYAKKO_WEB_ROOT");
  serve_cmd->add_option("--public-url", serve.public_url,
                        "URL users reach (https:// turns on Secure __Host- cookies and HSTS)")
      ->envname("MOYAKKO_PUBLIC_URL");
  serve_cmd->add_option("--trusted-proxy", serve.trusted_proxy,
                        "address of a reverse proxy whose X-Forwarded-For is believed (e.g. 127.0.0.1)")
      ->envname("MOYAKKO_TRUSTED_PROXY");
  serve_cmd->add_option("--threads", serve.threads, "I/O threads")->envname("MOYAKKO_THREADS")->capture_default_str();
  serve_cmd->add_option("--mqtt-url", serve.mqtt_url,
                        "take sensor batches from this MQTT broker too: mqtt://[user:password@]host:port")
      ->envname("MOYAKKO_MQTT_URL");
  serve_cmd->add_option("--map-tiles", serve.map_tiles.url,
                        "tile URL of the disaster map ({z}/{x}/{y}; \"\" for a plain background without tiles)")
      ->envname("MOYAKKO_MAP_TILES")->capture_default_str();
  serve_cmd->add_option("--map-attribution", serve.map_tiles.attribution, "the tiles' attribution")
      ->envname("MOYAKKO_MAP_ATTRIBUTION")->capture_default_str();
  serve_cmd->add_option("--mqtt-client-id", serve.mqtt_client_id, "MQTT client id (default moyakko-<hostname>-<pid>)")
      ->envname("MOYAKKO_MQTT_CLIENT_ID");

  auto* migrate_cmd = cli.add_subcommand("migrate", "bring the database schema up to date");
  add_db(migrate_cmd);
  auto* demo_cmd = cli.add_subcommand("demo", "fill an empty database with the demo town");
  add_db(demo_cmd);

  auto* user_cmd = cli.add_subcommand("user", "manage users");
  user_cmd->require_subcommand(1);
  UserAddOptions add;
  bool password_stdin = false;
  auto* user_add = user_cmd->add_subcommand("add", "add a user; prints the TOTP secret when it generated one");
  add_db(user_add);
  user_add->add_option("--tenant", add.tenant, "municipality code, e.g. seto")->required();
  user_add->add_option("--username", add.username)->required();
  user_add->add_option("--role", add.role, "doctor, nurse, city_officer, admin, …")->required();
  user_add->add_option("--org", add.organization, "organisation code");
  user_add->add_option("--display-name", add.display_name);
  user_add->add_option("--totp-secret", add.totp_secret, "base32 TOTP secret (else one is generated)");
  user_add->add_flag("--password-stdin", password_stdin, "read the password from standard input")->required();
  std::string disable_username;
  auto* user_disable = user_cmd->add_subcommand("disable", "disable a user and end their sessions");
  add_db(user_disable);
  user_disable->add_option("--username", disable_username)->required();

  auto* device_cmd = cli.add_subcommand("device", "watch-over sensors");
  device_cmd->require_subcommand(1);
  std::int64_t household = 0;
  auto* device_add = device_cmd->add_subcommand("add", "register a sensor; prints {\"device\",\"token\"} once");
  add_db(device_add);
  device_add->add_option("--household", household, "household id")->required();

  ClientAddOptions client;
  auto* client_cmd = cli.add_subcommand("client", "systems that read through the FHIR API");
  client_cmd->require_subcommand(1);
  auto* client_add = client_cmd->add_subcommand(
      "add", "register a system client; prints {\"client_id\",\"client_secret\"} once");
  add_db(client_add);
  client_add->add_option("--tenant", client.tenant, "municipality code")->required();
  client_add->add_option("--org", client.organization, "organisation code: it reads the patients whose care team includes its staff");
  client_add->add_option("--name", client.name, "what the client is, e.g. \"瀬戸中央病院 地域連携システム\"")->required();
  client_add->add_option("--scopes", client.scopes, "e.g. \"system/*.read\" or \"system/Patient.read system/Condition.read\"")
      ->required();

  std::string disable_client;
  auto* client_disable = client_cmd->add_subcommand("disable", "disable a system client and end its tokens");
  add_db(client_disable);
  client_disable->add_option("--client-id", disable_client)->required();

  SimulateCommand simulate;
  auto* simulate_cmd = cli.add_subcommand("simulate", "generated watch-over households, for benchmarks and detection quality");
  add_db(simulate_cmd);
  simulate_cmd->add_option("--households", simulate.households, "how many")->capture_default_str();
  simulate_cmd->add_option("--days", simulate.days, "days of history, ending now (with --evaluate: a fixed day)")
      ->capture_default_str();
  simulate_cmd->add_flag("--anomalies", simulate.anomalies, "inject one labelled anomaly per household (needs --days >= 50)");
  simulate_cmd->add_option("--seed", simulate.seed, "same seed, same town")->capture_default_str();
  simulate_cmd->add_option("--tenant", simulate.tenant, "municipality code (created if new)")->capture_default_str();
  simulate_cmd->add_option("--gateway", simulate.gateway, "upload schedule: scheduled (08:00, 14:00) or hourly")
      ->capture_default_str();
  simulate_cmd->add_flag("--evaluate", simulate.evaluate,
                         "replay in time order through ingest and rules, then print the detection table");
  simulate_cmd->add_option("--thresholds", simulate.thresholds,
                           "the municipality's rule settings as in PUT /api/v1/watch/thresholds, e.g. '{\"no_activity_hours\":4}'");
  simulate_cmd->add_option("--truth", simulate.truth_file, "write the injected anomalies here (JSON lines)");
  simulate_cmd->add_flag("--json", simulate.json, "print the report as JSON");

  auto* audit_cmd = cli.add_subcommand("audit", "audit log");
  audit_cmd->require_subcommand(1);
  auto* audit_verify = audit_cmd->add_subcommand("verify", "check the hash chain; non-zero exit when broken");
  add_db(audit_verify);

  ImportLedgerCommand ledger;
  auto* import_cmd = cli.add_subcommand("import", "bring municipal files in");
  auto* import_ledger = import_cmd->add_subcommand("ledger", "the register of people who need help to evacuate (CSV)");
  add_db(import_ledger);
  import_ledger->add_option("--tenant", ledger.tenant, "municipality code")->required();
  import_ledger->add_option("file", ledger.file, "the CSV file")->required();
  import_ledger->add_flag("--dry-run", ledger.dry_run, "check and report only; write nothing");
  import_ledger->add_option("--encoding", ledger.encoding, "auto, cp932 or utf-8")->capture_default_str();
  import_ledger->add_flag("--json", ledger.json, "print the report as JSON");
  import_ledger->add_flag("--skip-invalid", ledger.skip_invalid, "import the valid records even when others have errors");
  import_cmd->require_subcommand(1);

  std::string file;
  auto* backup_cmd = cli.add_subcommand("backup", "online backup of an SQLite database");
  add_db(backup_cmd);
  backup_cmd->add_option("--out", file)->required();
  auto* restore_cmd = cli.add_subcommand("restore", "restore an SQLite database from a backup (server stopped)");
  add_db(restore_cmd);
  restore_cmd->add_option("--in", file)->required();

  CLI11_PARSE(cli, argc, argv);
  spdlog::set_level(spdlog::level::from_str(log_level));
  // Logs go to stderr, so the URL and results on stdout stay clean for scripts.
  spdlog::default_logger()->sinks().clear();
  spdlog::default_logger()->sinks().push_back(std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %l %v");

  serve.db = db;
  add.db = db;
  if (*serve_cmd) return Serve(serve);
  if (*migrate_cmd) return Migrate(db);
  if (*demo_cmd) return Demo(db);
  if (*user_add) return UserAdd(add);
  if (*user_disable) return UserDisable(db, disable_username);
  if (*audit_verify) return AuditVerify(db);
  if (*device_add) return DeviceAdd(db, household);
  client.db = db;
  if (*client_add) return ClientAdd(client);
  if (*client_disable) return ClientDisable(db, disable_client);
  if (*backup_cmd) return Backup(db, file);
  ledger.db = db;
  if (*import_ledger) return ImportLedger(ledger);
  if (*restore_cmd) return Restore(db, file);
  simulate.db = db;
  if (*simulate_cmd) return Simulate(simulate);
  return EXIT_FAILURE;
}
