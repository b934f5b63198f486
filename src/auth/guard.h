#pragma once
// Person-level checks: the second half of the policy point. A handler that reads or writes
// one person's data calls RequirePerson(); it loads what relates the principal to that
// person, asks Decide(), writes the decision to the audit log (allowed and denied alike)
// and throws 403/404 when access is refused. Features that create relations (care teams,
// break-glass grants) add a RelationSource instead of checking anything themselves.
#include <functional>
#include <string>

#include "audit/audit_log.h"
#include "auth/policy.h"
#include "common/error.h"
#include "store/database.h"

namespace moyakko::auth {

// Fills the relation flags a feature owns (e.g. care_team_member) for one person.
using RelationSource = std::function<void(store::Session&, const Principal&, PersonContext&)>;
void AddRelationSource(RelationSource source);

// nullopt when the person does not exist.
std::optional<PersonContext> LoadPersonContext(store::Session& s, const Principal& principal,
                                               std::int64_t person_id);

struct AccessRecord {
  std::string request_id;
  std::string reason;  // the user's stated reason, when the action asks for one
  std::string detail;
};

// Thrown for a refused access. It carries the audit entry: the HTTP error boundary writes it
// in a transaction of its own once the caller's transaction has rolled back.
class AccessDenied : public Failure {
 public:
  explicit AccessDenied(audit::Entry entry)
      : AccessDenied(std::move(entry), Error{ErrorCode::kForbidden, "forbidden", "you do not have access to this", {}, {}}) {}
  // A refusal answered with its own error (a rule of the thing, a missing CSRF token).
  AccessDenied(audit::Entry entry, Error error) : Failure(std::move(error)), entry_(std::move(entry)) {}
  const audit::Entry& entry() const { return entry_; }

 private:
  audit::Entry entry_;
};

// Decides and, when allowed, audits in `s` — the caller's write transaction, so the record
// of the access commits with it. Throws AccessDenied otherwise; an unknown person is
// refused the same way, so ids cannot be probed.
void RequirePerson(store::Session& s, const Principal& principal, Action action,
                   std::int64_t person_id, const AccessRecord& record);

// Decides like RequirePerson, but returns the record of an allowed access instead of
// appending it: for reads in a read-only transaction, whose caller appends the record
// (through a group commit) before answering. Throws AccessDenied like RequirePerson.
// `context_out`, when given, receives the relation the decision was made on.
audit::Entry CheckPerson(store::Session& s, const Principal& principal, Action action,
                         std::int64_t person_id, const AccessRecord& record,
                         PersonContext* context_out = nullptr);

// The same for a collaboration board: `board` as loaded (nullopt: no such board, refused
// alike); `manage` for owner-only changes. Audits allowed and denied alike.
void RequireBoard(store::Session& s, const Principal& principal, std::int64_t board_id,
                  const std::optional<BoardContext>& board, bool manage, const std::string& request_id);

// The audit entry for `principal` doing `action` (time, actor, tenant filled in).
audit::Entry EntryFor(const Principal& principal, Action action, const std::string& request_id);

}  // namespace moyakko::auth
