#include "interop/fhir.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <mutex>
#include <set>

#include "auth/clients.h"
#include "auth/guard.h"
#include "common/error.h"

namespace moyakko::interop {
namespace {

using nlohmann::json;

constexpr UnixMillis kStaleClaim = 10 * 60 * 1000;  // a running export not finished by then is claimed again

void FillOrganizationRelation(store::Session& s, const auth::Principal& principal, auth::PersonContext& context) {
  if (principal.role != auth::Role::kSystemClient || !principal.organization_id) return;
  context.organization_on_care_team =
      s.QueryOne("SELECT 1 FROM care_team_members m JOIN users u ON u.id = m.user_id "
                 "WHERE m.person_id = $1 AND m.status = 'active' AND u.organization_id = $2",
                 {context.person_id, *principal.organization_id})
          .has_value();
}

std::string Joined(const std::vector<std::string>& words) { return fmt::format("{}", fmt::join(words, " ")); }

std::vector<std::string> Words(const std::string& text) {
  std::vector<std::string> words;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find(' ', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) words.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return words;
}

// The client's principal for an export, with a scope for exactly the types it asked for.
std::optional<auth::Principal> ExportPrincipal(store::Session& s, std::int64_t client_row_id,
                                               const std::vector<std::string>& types) {
  std::vector<std::string> scopes;
  for (const auto& type : types) scopes.push_back(fmt::format("system/{}.read", type));
  return auth::ClientPrincipal(s, client_row_id, Joined(scopes));
}

bool ChangedSince(const json& resource, std::optional<UnixMillis> since) {
  if (!since) return true;
  auto at = ParseRfc3339(resource["meta"].value("lastUpdated", ""));
  return !at || *at >= *since;
}

}  // namespace

void InstallRelations() {
  static std::once_flag once;
  std::call_once(once, [] { auth::AddRelationSource(FillOrganizationRelation); });
}

PatientScope ScopeOf(store::Session& s, std::int64_t person_id, UnixMillis now) {
  auto row = s.QueryOne("SELECT t.time_zone FROM persons p JOIN tenants t ON t.id = p.tenant_id WHERE p.id = $1",
                        {person_id});
  return {person_id, row ? row->Text(0) : "Asia/Tokyo", now};
}

std::vector<Readable> ReadablePatients(store::Session& s, const auth::Principal& client, const std::string& request_id,
                                       const std::string& what) {
  std::vector<Readable> readable;
  if (!client.organization_id) return readable;
  // Candidates: patients whose team has someone of the organisation; the policy decides.
  for (const auto& row : s.Query("SELECT DISTINCT m.person_id FROM care_team_members m JOIN users u ON u.id = m.user_id "
                                 "WHERE u.organization_id = $1 AND m.status = 'active' ORDER BY m.person_id",
                                 {*client.organization_id})) {
    std::int64_t person_id = row.Int(0);
    auto context = auth::LoadPersonContext(s, client, person_id);
    if (!context) continue;
    auth::Decision decision = auth::Decide(client, auth::Action::kFhirRead, &*context);
    if (!decision.allowed) continue;
    audit::Entry entry = auth::EntryFor(client, auth::Action::kFhirRead, request_id);
    entry.person_id = person_id;
    entry.reason = decision.reason;
    entry.detail = what;
    readable.push_back({person_id, std::move(entry)});
  }
  return readable;
}

std::vector<Found> Collect(store::Session& s, const auth::Principal& client, const ResourceType& type,
                           const std::vector<std::int64_t>& patients, UnixMillis now) {
  std::vector<Found> found;
  if (!type.per_patient()) {
    for (auto& resource : type.of_tenant(s, client.tenant_id)) found.push_back({std::nullopt, std::move(resource)});
    return found;
  }
  for (std::int64_t person_id : patients) {
    for (auto& resource : type.of_patient(s, ScopeOf(s, person_id, now))) {
      found.push_back({person_id, std::move(resource)});
    }
  }
  return found;
}

std::int64_t QueueExport(store::Database& db, const auth::Principal& client, const std::vector<std::string>& types,
                         std::optional<UnixMillis> since, const std::string& request_url, UnixMillis now,
                         const std::string& request_id) {
  return db.Write([&](store::Session& s) {
    std::int64_t id = s.QueryOne("INSERT INTO fhir_exports (client_id, request, types, since, state, created_at) "
                                 "VALUES ($1, $2, $3, $4, 'queued', $5) RETURNING id",
                                 {client.client_id, request_url, Joined(types), store::Opt(since), now})
                          ->Int(0);
    audit::Entry entry = auth::EntryFor(client, auth::Action::kFhirRead, request_id);
    entry.at = now;
    entry.detail = fmt::format("export {} queued: {}", id, Joined(types));
    audit::Append(s, entry);
    return id;
  });
}

std::optional<ExportState> LoadExport(store::Database& db, const auth::Principal& client, std::int64_t export_id) {
  return db.Read([&](store::Session& s) -> std::optional<ExportState> {
    auto row = s.QueryOne("SELECT state, request, error, finished_at FROM fhir_exports WHERE id = $1 AND client_id = $2",
                          {export_id, client.client_id});
    if (!row) return std::nullopt;
    ExportState state{row->Text(0), row->Text(1), row->Text(2), row->OptInt(3), {}};
    for (const auto& file : s.Query("SELECT resource_type, resources FROM fhir_export_files WHERE export_id = $1 "
                                    "ORDER BY resource_type",
                                    {export_id})) {
      state.files.emplace_back(file.Text(0), file.Int(1));
    }
    return state;
  });
}

std::optional<std::string> ExportFile(store::Database& db, const auth::Principal& client, std::int64_t export_id,
                                      const std::string& type) {
  return db.Read([&](store::Session& s) -> std::optional<std::string> {
    auto row = s.QueryOne("SELECT f.body FROM fhir_export_files f JOIN fhir_exports e ON e.id = f.export_id "
                          "WHERE f.export_id = $1 AND f.resource_type = $2 AND e.client_id = $3 AND e.state = 'done'",
                          {export_id, type, client.client_id});
    return row ? std::optional(row->Text(0)) : std::nullopt;
  });
}

bool CancelExport(store::Database& db, const auth::Principal& client, std::int64_t export_id) {
  return db.Write([&](store::Session& s) {
    if (!s.QueryOne("SELECT 1 FROM fhir_exports WHERE id = $1 AND client_id = $2", {export_id, client.client_id})) {
      return false;
    }
    s.Execute("DELETE FROM fhir_export_files WHERE export_id = $1", {export_id});
    s.Execute("DELETE FROM fhir_exports WHERE id = $1", {export_id});
    return true;
  });
}

bool RunNextExport(store::Database& db, UnixMillis now) {
  // Claim: on PostgreSQL the row lock with SKIP LOCKED keeps two nodes off one export;
  // SQLite has one writer.
  std::string skip_locked = db.dialect() == store::Dialect::kPostgres ? " FOR UPDATE SKIP LOCKED" : "";
  auto claimed = db.Write([&](store::Session& s) {
    return s.QueryOne("UPDATE fhir_exports SET state = 'running', claimed_at = $1 WHERE id = ("
                      "SELECT id FROM fhir_exports WHERE state = 'queued' OR (state = 'running' AND claimed_at < $2) "
                      "ORDER BY id LIMIT 1" + skip_locked + ") RETURNING id, client_id, types, since",
                      {now, now - kStaleClaim});
  });
  if (!claimed) return false;
  std::int64_t export_id = claimed->Int(0);
  std::vector<std::string> types = Words(claimed->Text(2));
  std::optional<UnixMillis> since = claimed->OptInt(3);
  std::string request_id = fmt::format("export-{}", export_id);
  try {
    std::vector<std::pair<std::string, std::pair<std::int64_t, std::string>>> files;
    std::vector<audit::Entry> entries;
    db.Read([&](store::Session& s) {
      auto client = ExportPrincipal(s, claimed->Int(1), types);
      if (!client) Fail(ErrorCode::kForbidden, "client_disabled", "the client was disabled");
      std::vector<Readable> readable = ReadablePatients(s, *client, request_id, fmt::format("export {}", export_id));
      std::vector<std::int64_t> patients;
      for (const auto& r : readable) patients.push_back(r.person_id);
      std::set<std::int64_t> disclosed;
      for (const auto& name : types) {
        const ResourceType* type = FindType(name);
        if (!type) continue;
        std::string ndjson;
        std::int64_t count = 0;
        for (const Found& f : Collect(s, *client, *type, patients, now)) {
          if (!ChangedSince(f.resource, since)) continue;
          ndjson += f.resource.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
          ++count;
          if (f.person_id) disclosed.insert(*f.person_id);
        }
        if (count > 0) files.push_back({name, {count, std::move(ndjson)}});
      }
      for (auto& r : readable) {
        if (disclosed.count(r.person_id)) entries.push_back(std::move(r.entry));
      }
    });
    db.Write([&](store::Session& s) {
      for (const auto& [type, file] : files) {
        s.Execute("INSERT INTO fhir_export_files (export_id, resource_type, resources, body) VALUES ($1, $2, $3, $4)",
                  {export_id, type, file.first, file.second});
      }
      for (auto& entry : entries) {
        entry.at = now;
        audit::Append(s, entry);
      }
      s.Execute("UPDATE fhir_exports SET state = 'done', finished_at = $2 WHERE id = $1", {export_id, now});
    });
  } catch (const std::exception& e) {
    spdlog::warn("FHIR export {} failed: {}", export_id, e.what());
    db.Write([&](store::Session& s) {
      s.Execute("UPDATE fhir_exports SET state = 'failed', finished_at = $2, error = $3 WHERE id = $1",
                {export_id, now, std::string("the export could not be completed")});
    });
  }
  return true;
}

}  // namespace moyakko::interop
