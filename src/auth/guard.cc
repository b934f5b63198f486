#include "auth/guard.h"

#include <mutex>
#include <vector>

#include <fmt/format.h>

#include "common/clock.h"

namespace moyakko::auth {
namespace {

std::mutex sources_mutex;
std::vector<RelationSource>& Sources() {
  static std::vector<RelationSource> sources;
  return sources;
}

}  // namespace

void AddRelationSource(RelationSource source) {
  std::lock_guard<std::mutex> lock(sources_mutex);
  Sources().push_back(std::move(source));
}

std::optional<PersonContext> LoadPersonContext(store::Session& s, const Principal& principal,
                                               std::int64_t person_id) {
  auto person = s.QueryOne("SELECT tenant_id FROM persons WHERE id = $1", {person_id});
  if (!person) return std::nullopt;
  PersonContext context;
  context.person_id = person_id;
  context.tenant_id = person->Int(0);
  context.family_link = s.QueryOne("SELECT 1 FROM family_links WHERE user_id = $1 AND person_id = $2",
                                   {principal.user_id, person_id}).has_value();
  if (context.tenant_id != principal.tenant_id) {
    context.shared_with_principal_tenant =
        s.QueryOne("SELECT 1 FROM tenant_shares WHERE from_tenant_id = $1 AND to_tenant_id = $2",
                   {context.tenant_id, principal.tenant_id}).has_value();
  }
  std::vector<RelationSource> sources;
  {
    std::lock_guard<std::mutex> lock(sources_mutex);
    sources = Sources();
  }
  for (const auto& source : sources) source(s, principal, context);
  return context;
}

audit::Entry EntryFor(const Principal& principal, Action action, const std::string& request_id) {
  audit::Entry entry;
  entry.at = SystemClock().Now();
  if (principal.user_id != 0) entry.actor_user_id = principal.user_id;  // a system client is no user
  entry.actor_username = principal.username;
  entry.actor_role = std::string(ToString(principal.role));
  entry.tenant_code = principal.tenant_code;
  entry.action = std::string(ToString(action));
  entry.request_id = request_id;
  return entry;
}

audit::Entry CheckPerson(store::Session& s, const Principal& principal, Action action,
                         std::int64_t person_id, const AccessRecord& record, PersonContext* context_out) {
  auto context = LoadPersonContext(s, principal, person_id);
  audit::Entry entry = EntryFor(principal, action, record.request_id);
  entry.detail = record.detail;
  Decision decision = context ? Decide(principal, action, &*context) : Decision{false, "no_such_person"};
  entry.reason = record.reason.empty() ? decision.reason : decision.reason + ": " + record.reason;
  if (!decision.allowed) {
    entry.outcome = audit::Outcome::kDenied;
    if (context) entry.person_id = person_id;
    throw AccessDenied(std::move(entry));
  }
  entry.person_id = person_id;
  if (context_out) *context_out = *context;
  return entry;
}

void RequirePerson(store::Session& s, const Principal& principal, Action action,
                   std::int64_t person_id, const AccessRecord& record) {
  audit::Append(s, CheckPerson(s, principal, action, person_id, record));
}

void RequireBoard(store::Session& s, const Principal& principal, std::int64_t board_id,
                  const std::optional<BoardContext>& board, bool manage, const std::string& request_id) {
  audit::Entry entry = EntryFor(principal, Action::kCarenetBoard, request_id);
  entry.detail = fmt::format("board={}{}", board_id, manage ? " manage" : "");
  Decision decision = board ? DecideBoard(principal, *board, manage) : Decision{false, "no_such_board"};
  entry.reason = decision.reason;
  if (!decision.allowed) {
    entry.outcome = audit::Outcome::kDenied;
    throw AccessDenied(std::move(entry));
  }
  audit::Append(s, entry);
}

}  // namespace moyakko::auth
