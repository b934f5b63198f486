#include "auth/policy.h"

#include <algorithm>
#include <array>
#include <cctype>

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

template <class T>
bool OneOf(T value, std::initializer_list<T> values) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

// Roles that keep the tenant's register of people (identity and address, not clinical data).
bool KeepsRegister(Role role) {
  return OneOf(role, {Role::kAdmin, Role::kCityOfficer, Role::kCallOperator});
}

Decision Allow(std::string reason) { return {true, std::move(reason)}; }
Decision Deny(std::string reason) { return {false, std::move(reason)}; }

bool MayRegisterPatients(Role role) {
  return OneOf(role, {Role::kAdmin, Role::kDoctor, Role::kCareManager});
}

// The care network: a patient is seen by their care team, and in part by the register roles.
// Family members and residents have their own place (ここのーと), not the professionals'.
Decision DecideCarenet(const Principal& p, Action action, const PersonContext& person) {
  if (person.tenant_id != p.tenant_id && !person.shared_with_principal_tenant) return Deny("other_tenant");
  if (action == Action::kCarenetPatientRegister) {
    if (person.tenant_id != p.tenant_id) return Deny("other_tenant");
    return MayRegisterPatients(p.role) ? Allow("role") : Deny("role");
  }
  if (!IsStaff(p.role)) return Deny("role");
  if (!person.patient_registered) return Deny("not_registered");
  switch (action) {
    case Action::kCarenetRead:
      if (person.care_team_member) return Allow("care_team");
      return KeepsRegister(p.role) ? Allow("register_role") : Deny("no_relation");
    case Action::kCarenetWrite:
    case Action::kCarenetTimeline:
      return person.care_team_member ? Allow("care_team") : Deny("no_relation");
    case Action::kCareTeamAnswer:
      return person.care_team_invited ? Allow("invited") : Deny("no_invitation");
    case Action::kCareTeamManage:
      if (person.care_team_lead) return Allow("care_team_lead");
      return p.role == Role::kAdmin && person.tenant_id == p.tenant_id ? Allow("role") : Deny("not_lead");
    default:
      return Deny("not_a_person_action");
  }
}

// Staff of a receiving hospital who may read the sheet of a patient brought to them.
bool ReceivesPatients(Role role) { return OneOf(role, {Role::kDoctor, Role::kNurse}); }

bool MayPrintKits(Role role) { return role == Role::kAdmin || role == Role::kCityOfficer || MayJoinCareTeam(role); }

// Emergencies: paramedics see a person only through a live break-glass grant of their own,
// a receiving hospital through the grant given with the transport. Kits are printed by the
// care team or the city.
Decision DecideEmergency(const Principal& p, Action action, const PersonContext& person) {
  bool same_tenant = person.tenant_id == p.tenant_id;
  bool paramedic_grant = person.break_glass_grant && p.role == Role::kParamedic;
  switch (action) {
    case Action::kEmergencyGrant:
      if (p.role != Role::kParamedic) return Deny("role");
      return same_tenant || person.shared_with_principal_tenant ? Allow("paramedic") : Deny("other_tenant");
    case Action::kEmergencySheet:
      if (paramedic_grant) return Allow("break_glass");
      return person.hospital_grant && ReceivesPatients(p.role) ? Allow("hospital_grant") : Deny("no_grant");
    case Action::kEmergencyTransport:
      return paramedic_grant ? Allow("break_glass") : Deny("no_grant");
    case Action::kEmergencyKit:
      if (!MayPrintKits(p.role)) return Deny("role");
      if (person.care_team_member && person.patient_registered) return Allow("care_team");
      if (same_tenant && (p.role == Role::kAdmin || p.role == Role::kCityOfficer)) return Allow("register_role");
      return Deny("no_relation");
    default:
      return Deny("not_a_person_action");
  }
}

// Life-rhythm analytics hint at sleep, appetite and cognition: the care team reads and
// discusses them; the city's officers, who run watch-over and its prevention work, read them.
Decision DecideInsight(const Principal& p, Action action, const PersonContext& person) {
  if (person.tenant_id != p.tenant_id && !person.shared_with_principal_tenant) return Deny("other_tenant");
  bool on_team = person.care_team_member && person.patient_registered && MayJoinCareTeam(p.role);
  if (on_team) return Allow("care_team");
  if (action == Action::kInsightView && p.role == Role::kCityOfficer && person.tenant_id == p.tenant_id) {
    return Allow("register_role");
  }
  return Deny("no_relation");
}

// Licensed professionals, who decide what a family is asked to record and what counts as
// out of range; school, day-care and helper staff record and read but do not set ranges.
bool DefinesLifelogTemplates(Role role) {
  return OneOf(role, {Role::kDoctor, Role::kDentist, Role::kPharmacist, Role::kNurse, Role::kCareManager,
                      Role::kTherapist});
}

// Who takes part in a disaster's safety confirmation: the city, the call centre and the
// care professionals (for their own patients).
bool WorksDisasters(Role role) {
  return OneOf(role, {Role::kAdmin, Role::kCityOfficer, Role::kCallOperator}) || MayJoinCareTeam(role);
}

bool WritesOwnLifelog(Role role) { return role == Role::kFamily || role == Role::kResident; }

// ここのーと: a family (or the person, through a link of their own) writes for its own
// relative only; the care team — school and day-care staff included, on the teams of the
// children they look after — reads, comments and records too; a paramedic reads under
// break-glass. Consent is not asked here: what the family writes is theirs to share, and the
// team sees it only once the person is a registered patient (registration records consent).
Decision DecideLifelog(const Principal& p, Action action, const PersonContext& person) {
  bool family = person.family_link && WritesOwnLifelog(p.role);
  bool reachable = person.tenant_id == p.tenant_id || person.shared_with_principal_tenant;
  bool on_team = reachable && person.care_team_member && person.patient_registered && MayJoinCareTeam(p.role);
  switch (action) {
    case Action::kLifelogRead:
      if (family) return Allow("family_link");
      if (on_team) return Allow("care_team");
      return person.break_glass_grant && p.role == Role::kParamedic ? Allow("break_glass") : Deny("no_relation");
    case Action::kLifelogWrite:
    case Action::kLifelogComment:
      if (family) return Allow("family_link");
      return on_team ? Allow("care_team") : Deny("no_relation");
    case Action::kLifelogTemplate:
      if (!on_team) return Deny("no_relation");
      return DefinesLifelogTemplates(p.role) ? Allow("care_team") : Deny("role");
    default:
      return Deny("not_a_person_action");
  }
}

// The disaster ledger: the city keeps it and sees every entry. Beyond the city — the call
// centre, and care professionals for their own patients — an entry is shared when the
// person consented, or without consent once a real disaster is declared for their district
// (災害対策基本法 art. 49-11: the register goes to supporters in a disaster). A drill
// never lifts consent.
Decision DecideDisaster(const Principal& p, const PersonContext& person) {
  if (person.tenant_id != p.tenant_id) return Deny("other_tenant");
  if (!person.in_ledger) return Deny("not_in_ledger");
  if (OneOf(p.role, {Role::kAdmin, Role::kCityOfficer})) return Allow("register_role");
  bool related = p.role == Role::kCallOperator ||
                 (MayJoinCareTeam(p.role) && person.care_team_member && person.patient_registered);
  if (!related) return Deny("no_relation");
  if (person.ledger_consent) return Allow("ledger_consent");
  return person.disaster_declared ? Allow("disaster_declared") : Deny("no_consent");
}

// A system client reads through FHIR only, and only the patients of the care network whose
// team includes someone of its organisation: a hospital's system sees the patients its own
// doctors and nurses care for, within the scopes its token carries.
Decision DecideClient(const Principal& p, Action action, const PersonContext* person) {
  if (action != Action::kFhirRead) return Deny("role");
  if (!person) return Allow("checked_per_person");
  if (person->tenant_id != p.tenant_id && !person->shared_with_principal_tenant) return Deny("other_tenant");
  if (!person->patient_registered) return Deny("not_registered");
  return person->organization_on_care_team ? Allow("organization_care_team") : Deny("no_relation");
}

Decision DecideForPerson(const Principal& p, Action action, const PersonContext& person) {
  bool same_tenant = person.tenant_id == p.tenant_id;
  if (action == Action::kDisasterPerson || action == Action::kDisasterSafety) return DecideDisaster(p, person);
  if (OneOf(action, {Action::kLifelogRead, Action::kLifelogWrite, Action::kLifelogComment,
                     Action::kLifelogTemplate})) {
    return DecideLifelog(p, action, person);
  }
  if (action == Action::kInsightView || action == Action::kInsightDiscuss) return DecideInsight(p, action, person);
  if (OneOf(action, {Action::kEmergencyGrant, Action::kEmergencySheet, Action::kEmergencyTransport,
                     Action::kEmergencyKit})) {
    return DecideEmergency(p, action, person);
  }
  if (OneOf(action, {Action::kCarenetPatientRegister, Action::kCarenetRead, Action::kCarenetWrite,
                     Action::kCarenetTimeline, Action::kCareTeamAnswer, Action::kCareTeamManage})) {
    return DecideCarenet(p, action, person);
  }
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
  return role == Role::kSystemClient ? "system_client" : "unknown";
}

std::vector<Role> AllRoles() {
  std::vector<Role> roles;
  for (const auto& entry : kRoleNames) roles.push_back(entry.role);
  return roles;
}

bool IsStaff(Role role) { return !OneOf(role, {Role::kFamily, Role::kResident, Role::kSystemClient}); }

bool MayJoinCareTeam(Role role) {
  return OneOf(role, {Role::kDoctor, Role::kDentist, Role::kPharmacist, Role::kNurse, Role::kCareManager,
                      Role::kCareStaff, Role::kTherapist, Role::kSchoolStaff});
}

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
    case Action::kCarenetPatientList: return "carenet.patient.list";
    case Action::kCarenetPatientRegister: return "carenet.patient.register";
    case Action::kCarenetRead: return "carenet.read";
    case Action::kCarenetWrite: return "carenet.write";
    case Action::kCarenetTimeline: return "carenet.timeline";
    case Action::kCareTeamAnswer: return "carenet.team.answer";
    case Action::kCareTeamManage: return "carenet.team.manage";
    case Action::kCarenetBoard: return "carenet.board";
    case Action::kDirectoryRead: return "directory.read";
    case Action::kDirectoryWrite: return "directory.write";
    case Action::kEmergencyFind: return "emergency.find";
    case Action::kEmergencyGrant: return "emergency.grant";
    case Action::kEmergencySheet: return "emergency.sheet";
    case Action::kEmergencyTransport: return "emergency.transport";
    case Action::kEmergencyKit: return "emergency.kit";
    case Action::kEmergencyReview: return "emergency.review";
    case Action::kEmergencySettings: return "emergency.settings";
    case Action::kInsightView: return "insight.view";
    case Action::kInsightDiscuss: return "insight.discuss";
    case Action::kInsightGroups: return "insight.groups";
    case Action::kLifelogList: return "lifelog.list";
    case Action::kLifelogRead: return "lifelog.read";
    case Action::kLifelogWrite: return "lifelog.write";
    case Action::kLifelogComment: return "lifelog.comment";
    case Action::kLifelogTemplate: return "lifelog.template";
    case Action::kDisasterLedger: return "disaster.ledger";
    case Action::kDisasterEvents: return "disaster.events";
    case Action::kDisasterManage: return "disaster.manage";
    case Action::kDisasterPerson: return "disaster.person";
    case Action::kDisasterSafety: return "disaster.safety";
    case Action::kDisasterReport: return "disaster.report";
    case Action::kDisasterCalls: return "disaster.calls";
    case Action::kDisasterPlaces: return "disaster.places";
    case Action::kDisasterFacility: return "disaster.facility";
    case Action::kFhirRead: return "fhir.read";
  }
  return "unknown";
}

std::vector<Action> AllActions() {
  return {Action::kOwnSession, Action::kSessionRead, Action::kTotpEnrol,  Action::kOrganizationList,
          Action::kPersonList,  Action::kPersonRead, Action::kPersonWrite,
          Action::kUserAdmin,   Action::kAuditRead,  Action::kWatchStatus,
          Action::kWatchAdmin,  Action::kWatchAlerts, Action::kWatchView,
          Action::kFamilyRelatives, Action::kCarenetPatientList, Action::kCarenetPatientRegister,
          Action::kCarenetRead, Action::kCarenetWrite, Action::kCarenetTimeline, Action::kCareTeamAnswer,
          Action::kCareTeamManage, Action::kCarenetBoard,
          Action::kDirectoryRead, Action::kDirectoryWrite, Action::kEmergencyFind, Action::kEmergencyGrant,
          Action::kEmergencySheet, Action::kEmergencyTransport, Action::kEmergencyKit, Action::kEmergencyReview,
          Action::kEmergencySettings, Action::kInsightView, Action::kInsightDiscuss, Action::kInsightGroups,
          Action::kLifelogList, Action::kLifelogRead, Action::kLifelogWrite, Action::kLifelogComment,
          Action::kLifelogTemplate, Action::kDisasterLedger,
          Action::kDisasterEvents, Action::kDisasterManage, Action::kDisasterPerson, Action::kDisasterSafety,
          Action::kDisasterReport, Action::kDisasterCalls, Action::kDisasterPlaces, Action::kDisasterFacility,
          Action::kFhirRead};
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
  if (p.role == Role::kSystemClient) return DecideClient(p, action, person);
  if (person) return DecideForPerson(p, action, *person);
  switch (action) {
    case Action::kFhirRead:
      return Deny("system_clients_only");
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
    case Action::kCarenetPatientList:
    case Action::kCarenetBoard:
    case Action::kDirectoryRead:
      return IsStaff(p.role) ? Allow("staff") : Deny("role");
    case Action::kCarenetRead:
    case Action::kCarenetWrite:
    case Action::kCarenetTimeline:
    case Action::kCareTeamAnswer:
    case Action::kCareTeamManage:
      return IsStaff(p.role) ? Allow("checked_per_person") : Deny("role");
    case Action::kCarenetPatientRegister:
      return MayRegisterPatients(p.role) ? Allow("role") : Deny("role");
    case Action::kDirectoryWrite:
    case Action::kEmergencySettings:
      return p.role == Role::kAdmin ? Allow("role") : Deny("role");
    case Action::kEmergencyFind:
    case Action::kEmergencyGrant:
    case Action::kEmergencyTransport:
      return p.role == Role::kParamedic ? Allow("role") : Deny("role");
    case Action::kEmergencySheet:
      return p.role == Role::kParamedic || ReceivesPatients(p.role) ? Allow("checked_per_person") : Deny("role");
    case Action::kEmergencyKit:
      return MayPrintKits(p.role) ? Allow("checked_per_person") : Deny("role");
    case Action::kInsightView:
      return MayJoinCareTeam(p.role) || p.role == Role::kCityOfficer ? Allow("checked_per_person") : Deny("role");
    case Action::kInsightDiscuss:
      return MayJoinCareTeam(p.role) ? Allow("checked_per_person") : Deny("role");
    case Action::kInsightGroups:
      return p.role == Role::kCityOfficer ? Allow("role") : Deny("role");
    case Action::kLifelogList:
    case Action::kLifelogWrite:
    case Action::kLifelogComment:
      return WritesOwnLifelog(p.role) || MayJoinCareTeam(p.role) ? Allow("checked_per_person") : Deny("role");
    case Action::kLifelogRead:
      if (WritesOwnLifelog(p.role) || MayJoinCareTeam(p.role)) return Allow("checked_per_person");
      return p.role == Role::kParamedic ? Allow("checked_per_person") : Deny("role");
    case Action::kLifelogTemplate:
      return DefinesLifelogTemplates(p.role) ? Allow("checked_per_person") : Deny("role");
    case Action::kDisasterLedger:
    case Action::kDisasterManage:
    case Action::kDisasterReport:
      // The city keeps the register, declares events and receives the safety reports.
      return p.role == Role::kAdmin || p.role == Role::kCityOfficer ? Allow("role") : Deny("role");
    case Action::kDisasterEvents:
    case Action::kDisasterPlaces:
      return WorksDisasters(p.role) ? Allow("role") : Deny("role");
    case Action::kDisasterCalls:
      // The call centre works the list; the city, which sends the broadcast, may too.
      return OneOf(p.role, {Role::kAdmin, Role::kCityOfficer, Role::kCallOperator}) ? Allow("role") : Deny("role");
    case Action::kDisasterFacility:
      return IsStaff(p.role) ? Allow("checked_per_facility") : Deny("role");
    case Action::kDisasterPerson:
    case Action::kDisasterSafety:
      return WorksDisasters(p.role) ? Allow("checked_per_person") : Deny("role");
    case Action::kEmergencyReview:
      // The city and the medical association review every use of break-glass.
      if (p.role == Role::kAdmin || p.role == Role::kCityOfficer) return Allow("role");
      return IsStaff(p.role) && p.organization_kind == "medical_association" ? Allow("medical_association") : Deny("role");
  }
  return Deny("unknown_action");
}

Decision DecideFacility(const Principal& p, std::int64_t organization_id, std::int64_t organization_tenant) {
  if (!IsStaff(p.role)) return Deny("role");
  if (p.organization_id && *p.organization_id == organization_id) return Allow("own_facility");
  if (organization_tenant == p.tenant_id && OneOf(p.role, {Role::kAdmin, Role::kCityOfficer})) return Allow("register_role");
  return Deny("other_facility");
}

std::string_view ToString(Category category) {
  switch (category) {
    case Category::kIdentity: return "identity";
    case Category::kCareLevel: return "care_level";
    case Category::kContacts: return "contacts";
    case Category::kClinical: return "clinical";
    case Category::kAcp: return "acp";
  }
  return "unknown";
}

std::vector<Category> VisibleCategories(const Principal& p, const PersonContext& person) {
  if (p.role == Role::kSystemClient) {
    if (!DecideClient(p, Action::kFhirRead, &person).allowed) return {};
    return {Category::kIdentity, Category::kCareLevel, Category::kContacts, Category::kClinical, Category::kAcp};
  }
  if (!DecideCarenet(p, Action::kCarenetRead, person).allowed) return {};
  if (person.care_team_member) {
    return {Category::kIdentity, Category::kCareLevel, Category::kContacts, Category::kClinical, Category::kAcp};
  }
  return {Category::kIdentity, Category::kCareLevel, Category::kContacts};
}

Decision DecideBoard(const Principal& p, const BoardContext& board, bool manage) {
  if (p.enrolment_only || !IsStaff(p.role)) return Deny("role");
  if (board.tenant_id != p.tenant_id && !board.member) return Deny("other_tenant");
  if (manage) return board.owner ? Allow("board_owner") : Deny("not_owner");
  return board.member ? Allow("board_member") : Deny("not_member");
}

namespace {

// The resource type ("Patient" or "*") of a read scope "system/<Type|*>.<read|r|s|rs|*>";
// nullopt for anything else.
std::optional<std::string_view> ScopeType(std::string_view scope) {
  constexpr std::string_view kPrefix = "system/";
  if (!scope.starts_with(kPrefix)) return std::nullopt;
  scope.remove_prefix(kPrefix.size());
  auto dot = scope.find('.');
  if (dot == std::string_view::npos || dot == 0) return std::nullopt;
  std::string_view type = scope.substr(0, dot), access = scope.substr(dot + 1);
  bool type_ok = type == "*" || (std::isupper(static_cast<unsigned char>(type[0])) &&
                                 std::all_of(type.begin(), type.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)); }));
  if (!type_ok || !OneOf<std::string_view>(access, {"read", "r", "s", "rs", "*"})) return std::nullopt;
  return type;
}

}  // namespace

bool IsKnownScope(std::string_view scope) { return ScopeType(scope).has_value(); }

bool ScopeAllows(const Principal& principal, std::string_view resource_type) {
  return std::any_of(principal.scopes.begin(), principal.scopes.end(), [&](const std::string& scope) {
    auto type = ScopeType(scope);
    return type && (*type == "*" || *type == resource_type);
  });
}

std::vector<std::string> Permissions(const Principal& principal) {
  std::vector<std::string> allowed;
  for (Action action : AllActions()) {
    if (Decide(principal, action).allowed) allowed.emplace_back(ToString(action));
  }
  return allowed;
}

}  // namespace moyakko::auth
