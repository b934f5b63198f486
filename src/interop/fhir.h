#pragma once
// FHIR R4 reads for system clients: which patients a client may read (decided per person at
// the policy point, each read audited), the resources of a type for them, and bulk exports
// (queued by a request, run in the background by whichever app node claims them first,
// their NDJSON files kept in the database).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "audit/audit_log.h"
#include "auth/policy.h"
#include "common/clock.h"
#include "interop/fhir_resources.h"
#include "store/database.h"

namespace moyakko::interop {

// Lets the policy see whether someone of a client's organisation is on a patient's care team.
void InstallRelations();

// What a builder needs to know of one patient (the municipality's time zone).
PatientScope ScopeOf(store::Session& s, std::int64_t person_id, UnixMillis now);

// A patient a client may read, and the audit record of reading them (appended by the caller
// once it has disclosed something of theirs).
struct Readable {
  std::int64_t person_id = 0;
  audit::Entry entry;
};
// Every patient of the care network the client may read, in id order.
std::vector<Readable> ReadablePatients(store::Session& s, const auth::Principal& client, const std::string& request_id,
                                       const std::string& what);

struct Found {
  std::optional<std::int64_t> person_id;  // whose data; nullopt for the directory
  nlohmann::json resource;
};
// The resources of `type`: about each of `patients` for a patient type, the client's
// municipality's for a directory type.
std::vector<Found> Collect(store::Session& s, const auth::Principal& client, const ResourceType& type,
                           const std::vector<std::int64_t>& patients, UnixMillis now);

// ---- bulk export ($export) -----------------------------------------------------------------

// Queues an export of `types` (already checked against the client's scopes) changed since
// `since`; returns its id.
std::int64_t QueueExport(store::Database& db, const auth::Principal& client, const std::vector<std::string>& types,
                         std::optional<UnixMillis> since, const std::string& request_url, UnixMillis now,
                         const std::string& request_id);

struct ExportState {
  std::string state;  // queued, running, done, failed
  std::string request;
  std::string error;
  std::optional<UnixMillis> finished_at;
  std::vector<std::pair<std::string, std::int64_t>> files;  // type, resources
};
// nullopt unless the export exists and is the client's own.
std::optional<ExportState> LoadExport(store::Database& db, const auth::Principal& client, std::int64_t export_id);
// The NDJSON of one type; nullopt unless finished and the client's own.
std::optional<std::string> ExportFile(store::Database& db, const auth::Principal& client, std::int64_t export_id,
                                      const std::string& type);
// Removes an export and its files (the client's own); false when there was none.
bool CancelExport(store::Database& db, const auth::Principal& client, std::int64_t export_id);

// Claims the oldest waiting export (or one whose node died while running it) and runs it.
// Exactly one node claims each. Returns false when none was waiting.
bool RunNextExport(store::Database& db, UnixMillis now);

}  // namespace moyakko::interop
