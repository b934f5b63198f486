#include "auth/policy.h"

#include <algorithm>
#include <array>

namespace moyakko::auth {
namespace {

struct RoleName {
  Role role;
  std::string_view name;
};
constexpr std::array kRoleNames = {
    RoleName{Role::kDoctor, "doctor"},           RoleName{Role::kDentist, "dentist"},
    RoleName{Role::kPharmacist, "pharmacist"},   RoleName{Role::kNurse, "nurse"},
    RoleName{Role::kCareManager, "care_manager"}, RoleName{Role::kCareStaff, "care_staff"},
    RoleName{Role::kTherapist, "therapist"},     RoleName{Role::kCityOfficer, "city_officer"},
    RoleName{Role::kCallOperator, "call_operator"}, RoleName{Role::kParamedic, "paramedic"},
    RoleName{Role::kSchoolStaff, "school_staff"}, RoleName{Role::kFamily, "family"},
    RoleName{Role::kResident, "resident"},       RoleName{Role::kAdmin, "admin"},
};

bool OneOf(Role role, std::initializer_list<Role> roles) {
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

// Roles that keep the tenant's register of people (identity and address, not clinical data).
bool KeepsRegister(Role role) {
  return OneOf(role, {Role::kAdmin, Role::kCityOfficer, Role::kCallOperator});
}

Decision Allow(std::string reason) { return {true, std::move(reason)}; }
Decision Deny(std::string reason) { return {false, std::move(reason)}; }

Decision DecideForPerson(const Principal& p, Action action, const PersonContext& person) {
  bool same_tenant = person.tenant_id == p.tenant_id;
  if (action == Action::kPersonWrite) {
    if (!same_tenant) return Deny("other_tenant");
    return OneOf(p.role, {Role::kAdmin, Role::kCityOfficer}) ? Allow("role") : Deny("role");
  }
  if (action != Action::kPersonRead && action != Action::kWatchView) return Deny("not_a_person_action");
  if (person.break_glass_grant && p.role == Role::kParamedic) return Allow("break_glass");
  if (person.family_link) return Allow("family_link");
  if (!same_tenant && !person.shared_with_principal_tenant) return Deny("other_tenant");
  if (person.care_team_member) return Allow("care_team");
  if (KeepsRegister(p.role)) return Allow("register_role");
  return Deny("no_relation");
}

}  // namespace

std::optional<Role> ParseRole(std::string_view text) {
  for (const auto& entry : kRoleNames) {
    if (entry.name == text) return entry.role;
  }
  return std::nullopt;
}

std::string_view ToString(Role role) {
  for (const auto& entry : kRoleNames) {
    if (entry.role == role) return entry.name;
  }
  return "unknown";
}

std::vector<Role> AllRoles() {
  std::vector<Role> roles;
  for (const auto& entry : kRoleNames) roles.push_back(entry.role);
  return roles;
}

bool IsStaff(Role role) { return !OneOf(role, {Role::kFamily, Role::kResident}); }

std::string_view ToString(Action action) {
  switch (action) {
    case Action::kOwnSession: return "session.own";
    case Action::kSessionRead: return "session.read";
    case Action::kTotpEnrol: return "auth.totp.enrol";
    case Action::kOrganizationList: return "organization.list";
    case Action::kPersonList: return "person.list";
    case Action::kPersonRead: return "person.read";
    case Action::kPersonWrite: return "person.write";
    case Action::kUserAdmin: return "admin.users";
    case Action::kAuditRead: return "admin.audit";
    case Action::kWatchStatus: return "watch.status";
    case Action::kWatchAdmin: return "watch.admin";
    case Action::kWatchAlerts: return "watch.alerts";
    case Action::kWatchView: return "watch.view";
    case Action::kFamilyRelatives: return "family.relatives";
  }
  return "unknown";
}

std::vector<Action> AllActions() {
  return {Action::kOwnSession, Action::kSessionRead, Action::kTotpEnrol,  Action::kOrganizationList,
          Action::kPersonList,  Action::kPersonRead, Action::kPersonWrite,
          Action::kUserAdmin,   Action::kAuditRead,  Action::kWatchStatus,
          Action::kWatchAdmin,  Action::kWatchAlerts, Action::kWatchView,
          Action::kFamilyRelatives};
}

PersonScope ListScope(const Principal& p) {
  if (p.enrolment_only) return PersonScope::kNone;
  if (KeepsRegister(p.role)) return PersonScope::kTenant;
  return IsStaff(p.role) ? PersonScope::kRelated : PersonScope::kNone;
}

Decision Decide(const Principal& p, Action action, const PersonContext* person) {
  if (p.enrolment_only) {
    bool allowed = action == Action::kTotpEnrol || action == Action::kOwnSession;
    return allowed ? Allow("enrolment") : Deny("2fa_enrolment_pending");
  }
  if (person) return DecideForPerson(p, action, *person);
  switch (action) {
    case Action::kOwnSession:
    case Action::kSessionRead:
      return Allow("own_session");
    case Action::kTotpEnrol:
      return Deny("already_enrolled");
    case Action::kOrganizationList:
      return IsStaff(p.role) ? Allow("staff") : Deny("role");
    case Action::kPersonList:
      // Staff may search; ListScope decides whose records come back. Families reach their
      // relative by id (family_link), not by searching the register.
      return IsStaff(p.role) ? Allow("scoped_list") : Deny("role");
    case Action::kPersonRead:
    case Action::kWatchView:
      return Allow("checked_per_person");
    case Action::kFamilyRelatives:
      return p.role == Role::kFamily ? Allow("role") : Deny("role");
    case Action::kPersonWrite:
      return OneOf(p.role, {Role::kAdmin, Role::kCityOfficer}) ? Allow("role") : Deny("role");
    case Action::kUserAdmin:
    case Action::kAuditRead:
    case Action::kWatchAdmin:
      return p.role == Role::kAdmin ? Allow("role") : Deny("role");
    case Action::kWatchStatus:
    case Action::kWatchAlerts:
      return KeepsRegister(p.role) ? Allow("role") : Deny("role");
  }
  return Deny("unknown_action");
}

std::vector<std::string> Permissions(const Principal& principal) {
  std::vector<std::string> allowed;
  for (Action action : AllActions()) {
    if (Decide(principal, action).allowed) allowed.emplace_back(ToString(action));
  }
  return allowed;
}

}  // namespace moyakko::auth
