#pragma once
// Bringing a parsed ledger into the register: each record updates the person with its
// municipal resident number, or links to a person the care network already has (same name
// and birth date, and the same kana where both are known), or creates one; a record that
// only looks like someone known (same name and birth date but other kana; several such
// people; the same kana and birth date under another name; a second record of the file that
// fits the person another record links to) waits in a review list instead.
// A dry run plans the same and writes nothing; an import writes everything in one
// transaction, with one audit record.
#include <optional>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/clock.h"
#include "disaster/ledger.h"
#include "store/database.h"

namespace moyakko::disaster {

struct ImportOptions {
  std::string tenant_code;
  bool dry_run = false;
  bool skip_invalid = false;  // import the valid records even when others have errors
  std::string actor = "(cli)";  // the audit record's actor
  std::optional<std::int64_t> actor_user_id;
  std::string actor_role = "operator";
};

struct ImportReport {
  int rows = 0, valid = 0, created = 0, updated = 0, linked = 0, review = 0;
  int unchanged = 0;  // of the updated: the same as last imported, so left alone
  bool written = false;  // false for a dry run, or when errors stopped the import
  nlohmann::json json;   // {"rows","valid","created","updated","unchanged","linked","review","errors":[…],…}
};

// 404 no_such_tenant. Without skip_invalid, records with errors stop the import: nothing is
// written and the report says what would have been done.
ImportReport ImportLedger(store::Database& db, const ParsedLedger& ledger, const ImportOptions& options, UnixMillis now);

// Settles a record that waited for review: `link` imports it into the candidate person,
// `create` as a new person, `dismiss` drops it. 400 invalid_decision; 404 no_such_review;
// 409 already_resolved, resident_number_taken (someone has the number by now).
struct ReviewOutcome {
  std::string decision;
  std::optional<std::int64_t> person_id;  // the person linked or created
};
ReviewOutcome ResolveReview(store::Session& s, std::int64_t tenant_id, std::int64_t review_id,
                            const std::string& decision, std::optional<std::int64_t> user_id, UnixMillis now);

// A municipality's own column headers (header as written → field), kept per municipality.
std::map<std::string, LedgerField> LoadMapping(store::Session& s, const std::string& tenant_code);
void SaveMapping(store::Session& s, const std::string& tenant_code, const std::map<std::string, LedgerField>& mapping);

}  // namespace moyakko::disaster
