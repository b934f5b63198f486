#pragma once
// The audit log: who did what to whose data, when, why, and whether it was allowed.
// Append-only and hash-chained: entry n stores hash(n-1) and its own hash over every field,
// and audit_head keeps the newest (seq, hash), so changing, removing or truncating entries
// is found by Verify. Appending inside the caller's write transaction makes the entry and
// the change it records commit together (or neither).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "store/database.h"

namespace moyakko::audit {

enum class Outcome { kAllowed, kDenied, kFailed };
std::string_view ToString(Outcome outcome);

struct Entry {
  std::int64_t seq = 0;  // assigned by Append
  UnixMillis at = 0;
  std::optional<std::int64_t> actor_user_id;
  std::string actor_username;
  std::string actor_role;
  std::string tenant_code;
  std::string action;  // "auth.login", "person.read", "admin.user.disable", …
  std::optional<std::int64_t> person_id;
  Outcome outcome = Outcome::kAllowed;
  std::string reason;
  std::string request_id;
  std::string detail;  // short machine-readable context; never secrets or personal data
};

// Appends `entry` (seq is assigned) in the caller's write transaction.
void Append(store::Session& session, Entry entry);
// Appends in a transaction of its own (for reads and denials, where nothing else is written).
void AppendNow(store::Database& db, Entry entry);

struct VerifyReport {
  bool intact = true;
  std::int64_t entries = 0;
  std::int64_t first_bad_seq = 0;  // 0 when intact
  std::string problem;
};
VerifyReport Verify(store::Database& db);

struct Query {
  std::optional<std::string> actor;   // username
  std::optional<std::int64_t> person_id;
  std::optional<std::string> action;  // prefix match: "person." finds person.read, person.list
  std::optional<std::string> outcome;
  std::optional<std::string> tenant_code;  // limit to one tenant (non-global admins)
  std::optional<UnixMillis> from, to;
  std::optional<std::int64_t> before_seq;  // paging: entries older than this
  int limit = 100;
};
std::vector<Entry> Search(store::Database& db, const Query& query);

}  // namespace moyakko::audit
