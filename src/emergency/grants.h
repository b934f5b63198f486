#pragma once
// Break-glass: a paramedic at the door opens one person's emergency sheet for a limited time
// (the municipality's setting, two hours unless changed), giving a reason from a list and in
// words. The grant closes by itself: the policy point only ever sees live grants. Its start
// and end are audited and told to the care team and the city through the outbox. A recorded
// transport gives the receiving hospital a grant of its own. Every use is listed for review
// by the city and the medical association.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "audit/audit_log.h"
#include "auth/policy.h"
#include "carenet/timeline.h"
#include "common/clock.h"
#include "store/database.h"

namespace moyakko::emergency {

struct Reason {
  std::string_view code, ja, en;
};
const std::vector<Reason>& Reasons();

// How long a receiving hospital may read the sheet after the transport was recorded.
inline constexpr UnixMillis kHospitalGrantMillis = 24 * 3600 * 1000;

// Makes the policy point see live grants (break_glass_grant for the paramedic who holds one,
// hospital_grant for the staff of the receiving hospital), judged at `clock`'s time. The
// platform installs its clock; tests install a fixed one.
void InstallRelations(const Clock& clock);

// The municipality's grant length in minutes; Set answers 400 outside 15–720.
int GrantMinutes(store::Session& s, std::int64_t tenant_id);
void SetGrantMinutes(store::Session& s, std::int64_t tenant_id, int minutes);

struct NewGrant {
  std::int64_t person_id = 0;
  std::string reason;               // a code of Reasons()
  std::string note;                 // the paramedic's own words, required
  std::optional<std::string> kit;   // the fridge-kit code that led here, if any
};
// Reads and checks a grant request (400 naming person, reason, note or kit).
NewGrant ReadNewGrant(const nlohmann::json& body);

struct OpenedGrant {
  std::int64_t id = 0;
  std::string code;  // "bg_…", the grant's name in the API
  UnixMillis expires_at = 0;
  std::optional<carenet::PostResult> post;  // the timeline post, to tell the care team live
};
// Opens a paramedic's grant; the caller has checked kEmergencyGrant for the person and
// passes the audit entry of that check, which is completed and appended here as the start.
// A `kit` code must be the person's current kit (400 kit_invalid).
OpenedGrant OpenGrant(store::Session& s, const auth::Principal& paramedic, const NewGrant& grant,
                      audit::Entry start, UnixMillis now);
// The receiving hospital's grant, opened with a transport (kHospitalGrantMillis).
OpenedGrant OpenHospitalGrant(store::Session& s, const auth::Principal& paramedic, std::int64_t person_id,
                              std::int64_t organization_id, const std::string& hospital_name,
                              const std::string& request_id, UnixMillis now);

// Ends the principal's own live grant early (404 no_such_grant otherwise); returns when.
UnixMillis EndGrant(store::Session& s, const auth::Principal& principal, const std::string& code,
                    const std::string& request_id, UnixMillis now);
// Records the end of every grant that expired by `now`: audit entry and notification.
// Several nodes may sweep at once; each end is recorded once. Returns how many ended.
int CloseExpiredGrants(store::Session& s, UnixMillis now);

// The live grant through which `principal` reads the person's sheet, counted as one read
// (nullopt when there is none).
std::optional<nlohmann::json> UseLiveGrant(store::Session& s, const auth::Principal& principal,
                                           std::int64_t person_id, UnixMillis now);
// The principal's live grants (a paramedic's own, or those given to their hospital).
nlohmann::json LiveGrantsJson(store::Session& s, const auth::Principal& principal, UnixMillis now);
// The grant a paramedic's transport belongs to (404 no_grant without a live one).
std::int64_t LiveParamedicGrant(store::Session& s, const auth::Principal& paramedic, std::int64_t person_id,
                                UnixMillis now);

// Every grant of the reviewer's municipality opened in [from, to), newest first.
nlohmann::json ReviewJson(store::Session& s, const auth::Principal& reviewer, UnixMillis from, UnixMillis to);
// Marks a grant of the reviewer's municipality as reviewed, with a note (404 otherwise).
void MarkReviewed(store::Session& s, const auth::Principal& reviewer, const std::string& code,
                  const std::string& note, UnixMillis now);

}  // namespace moyakko::emergency
