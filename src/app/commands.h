#pragma once
// The subcommands of the `moyakko` binary. Each returns the process exit code; errors are
// printed as one line on stderr. main.cc only parses flags and calls these.
#include <cstdint>
#include <optional>
#include <string>

#include "disaster/routes.h"

namespace moyakko::app {

struct ServeOptions {
  std::string db, listen, web_root, public_url, trusted_proxy;
  int threads = 32;
  std::string mqtt_url;        // empty: no MQTT listener
  std::string mqtt_client_id;  // empty: moyakko-<hostname>-<pid>
  disaster::MapTiles map_tiles;
};
int Serve(const ServeOptions& options);
int Migrate(const std::string& db);
int Demo(const std::string& db);

struct UserAddOptions {
  std::string db, tenant, username, role, display_name;
  std::optional<std::string> organization, totp_secret;
};
// Reads the password from stdin (one line).
int UserAdd(const UserAddOptions& options);
int UserDisable(const std::string& db, const std::string& username);
int AuditVerify(const std::string& db);
// Prints {"device":"…","token":"…"}; the token is shown only this once.
int DeviceAdd(const std::string& db, std::int64_t household);
struct ClientAddOptions {
  std::string db, tenant, organization, name, scopes;
};
int ClientAdd(const ClientAddOptions& options);
int ClientDisable(const std::string& db, const std::string& client_id);
struct SimulateCommand {
  std::string db, tenant = "sim", gateway = "scheduled", truth_file, thresholds;
  int households = 100, days = 90;
  std::uint32_t seed = 1;
  bool anomalies = false, evaluate = false, json = false;
};
// Generated households for benchmarks, and with --evaluate the detection table.
int Simulate(const SimulateCommand& command);
struct ImportLedgerCommand {
  std::string db, tenant, file, encoding = "auto";
  bool dry_run = false, json = false, skip_invalid = false;
};
// The disaster ledger from a municipal CSV file. Exit 0 when every record was (or, in a dry
// run, would be) imported; 1 when records have errors (the report lists them) or the file
// is refused.
int ImportLedger(const ImportLedgerCommand& command);
int Backup(const std::string& db, const std::string& out);
int Restore(const std::string& db, const std::string& in);

}  // namespace moyakko::app
