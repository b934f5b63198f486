#pragma once
// The one policy point. Every route names the Action it performs and the router asks
// Decide() before the handler runs; a handler that touches one person's data asks again
// with that person's PersonContext. Deny by default: an action or role not listed here is
// refused. Nothing else in the code base decides who may see what.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace moyakko::auth {

enum class Role {
  kDoctor, kDentist, kPharmacist, kNurse, kCareManager, kCareStaff, kTherapist,
  kCityOfficer, kCallOperator, kParamedic, kSchoolStaff, kFamily, kResident, kAdmin,
};
std::optional<Role> ParseRole(std::string_view text);
std::string_view ToString(Role role);
std::vector<Role> AllRoles();
// Staff roles work with other people's data (2FA is required for every user regardless).
bool IsStaff(Role role);

// Who is asking: the user behind a live session.
struct Principal {
  std::int64_t user_id = 0;
  std::string username;
  Role role = Role::kResident;
  std::int64_t tenant_id = 0;
  std::string tenant_code;
  std::optional<std::int64_t> organization_id;
  std::int64_t session_id = 0;
  std::string csrf_token;
  bool enrolment_only = false;  // password checked, 2FA not yet enrolled
};

enum class Action {
  kOwnSession,        // read or end one's own session (also while enrolling 2FA)
  kSessionRead,       // own user, live events
  kTotpEnrol,         // the only thing an enrolment-only session may do
  kOrganizationList,
  kPersonList,
  kPersonRead,
  kPersonWrite,
  kUserAdmin,
  kAuditRead,
  kWatchStatus,       // the watch-over status list (names, states)
  kWatchAdmin,        // households, contacts, devices
  kWatchAlerts,       // the call-centre worklist: claim, record calls, close
  kWatchView,         // one person's watch-over summary (checked per person: family, register roles)
  kFamilyRelatives,   // a family member's list of their own relatives
};
std::string_view ToString(Action action);  // "person.read", …
std::vector<Action> AllActions();

// What the policy needs to know about one person and the principal's relation to them.
struct PersonContext {
  std::int64_t person_id = 0;
  std::int64_t tenant_id = 0;
  bool shared_with_principal_tenant = false;  // wide-area sharing grant
  bool family_link = false;
  bool care_team_member = false;
  bool break_glass_grant = false;
};

struct Decision {
  bool allowed = false;
  std::string reason;  // why, for the audit log: "role", "family_link", "no_relation", …
};

// `person` is null for role-level checks (may this role list people at all?).
Decision Decide(const Principal& principal, Action action, const PersonContext* person = nullptr);

// Which people a role may list without naming one: the tenant's register, only those it
// is related to, or none.
enum class PersonScope { kNone, kRelated, kTenant };
PersonScope ListScope(const Principal& principal);

// The role-level actions this principal may perform, as strings for the UI.
std::vector<std::string> Permissions(const Principal& principal);

}  // namespace moyakko::auth
