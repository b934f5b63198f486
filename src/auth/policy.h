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
  // Not a user's role: another system (a hospital's, a region's) reading through the FHIR
  // API with a client credential of its own (auth/clients.h). ParseRole never returns it.
  kSystemClient,
};
std::optional<Role> ParseRole(std::string_view text);
std::string_view ToString(Role role);
std::vector<Role> AllRoles();
// Staff roles work with other people's data (2FA is required for every user regardless).
bool IsStaff(Role role);
// Roles that care for patients and may be on a care team (not the register roles, the call
// centre or paramedics, who see patients on other terms).
bool MayJoinCareTeam(Role role);

// Who is asking: the user behind a live session, or a system client behind an access token.
struct Principal {
  std::int64_t user_id = 0;
  std::string username;
  Role role = Role::kResident;
  std::int64_t tenant_id = 0;
  std::string tenant_code;
  std::optional<std::int64_t> organization_id;
  std::string organization_kind;  // "clinic", "hospital", "medical_association", …
  std::int64_t session_id = 0;
  std::string csrf_token;
  bool enrolment_only = false;  // password checked, 2FA not yet enrolled
  std::int64_t client_id = 0;       // a system client: api_clients.id …
  std::vector<std::string> scopes;  // … and the scopes its token carries ("system/Patient.read")
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
  kCarenetPatientList,      // the patients one may see (scoped like kPersonList)
  kCarenetPatientRegister,  // register a person as a patient, record consent, de-register
  kCarenetRead,             // one patient's summary, team and timeline (checked per person)
  kCarenetWrite,            // change a summary or the consent record (checked per person)
  kCarenetTimeline,         // read and write the team timeline, its files (checked per person)
  kCareTeamAnswer,          // accept or decline one's invitation to a care team (per person)
  kCareTeamManage,          // invite, remove, choose the lead (checked per person)
  kCarenetBoard,            // collaboration boards (checked per board)
  kDirectoryRead,           // organisations and professionals
  kDirectoryWrite,          // what an organisation offers, its hours
  kEmergencyFind,           // paramedics: find a person by identity, resolve a fridge-kit code
  kEmergencyGrant,          // paramedics: break the glass for one person (checked per person)
  kEmergencySheet,          // the emergency sheet, while a grant is live (checked per person)
  kEmergencyTransport,      // paramedics: record a transport (checked per person)
  kEmergencyKit,            // print a person's fridge kit (checked per person)
  kEmergencyReview,         // the report of every break-glass use, and marking uses reviewed
  kEmergencySettings,       // how long a grant lasts in the municipality
  kInsightView,             // one household's life-rhythm profile and findings (checked per person)
  kInsightDiscuss,          // mark a recorded finding as discussed (checked per person)
  kInsightGroups,           // named groups of households to compare with
  kLifelogList,             // ここのーと: the people whose life records one writes or reads
  kLifelogRead,             // one person's life records, template and charts (checked per person)
  kLifelogWrite,            // write or change one's own life record (checked per person)
  kLifelogComment,          // comment on a life record (checked per person)
  kLifelogTemplate,         // define what is recorded for a person (checked per person)
  kDisasterLedger,          // import the municipality's register of people who need help to evacuate
  kDisasterEvents,          // disaster events and drills: their timeline, checklists and log
  kDisasterManage,          // declare and end events, tick checklists, the safety labels
  kDisasterPerson,          // a person of the ledger on the map, in the list, their card (per person)
  kDisasterSafety,          // post a safety confirmation for a person (checked per person)
  kDisasterReport,          // the city's safety report: counts by district and status, CSV export
  kDisasterCalls,           // work a broadcast's call list: record each call's outcome
  kDisasterPlaces,          // facilities and shelters of an event, on the map
  kDisasterFacility,        // report a facility's status during an event (its own staff; checked per facility)
  kFhirRead,                // system clients: read and export through FHIR (checked per person and scope)
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
  bool care_team_lead = false;    // implies care_team_member
  bool care_team_invited = false;  // an open invitation to the team
  bool patient_registered = false;  // registered in the care network and not de-registered
  bool hospital_grant = false;  // a live grant to the principal's organisation (a receiving hospital)
  bool in_ledger = false;        // on the municipality's disaster ledger
  bool ledger_consent = false;   // consented to sharing the ledger entry beyond the city (情報提供同意)
  bool disaster_declared = false;  // a real (not drill) event is open for the person's district
  bool organization_on_care_team = false;  // someone of the principal's organisation is on the person's care team
};

struct Decision {
  bool allowed = false;
  std::string reason;  // why, for the audit log: "role", "family_link", "no_relation", …
};

// What of a patient's record a principal may see, by category. Care-team members see all;
// the register roles (city, call centre) see identity, care level and contacts, not
// diagnoses, prescriptions or wishes.
enum class Category { kIdentity, kCareLevel, kContacts, kClinical, kAcp };
std::string_view ToString(Category category);
std::vector<Category> VisibleCategories(const Principal& principal, const PersonContext& person);

// A collaboration board and the principal's place on it.
struct BoardContext {
  std::int64_t tenant_id = 0;
  bool member = false;
  bool owner = false;
};
// kCarenetBoard reads and posts for members; `manage` (members, settings) for owners.
Decision DecideBoard(const Principal& principal, const BoardContext& board, bool manage);

// `person` is null for role-level checks (may this role list people at all?).
Decision Decide(const Principal& principal, Action action, const PersonContext* person = nullptr);

// Which people a role may list without naming one: the tenant's register, only those it
// is related to, or none.
enum class PersonScope { kNone, kRelated, kTenant };
PersonScope ListScope(const Principal& principal);

// A facility (an organisation of the directory) reports its own status during a disaster:
// its staff, or the city on its behalf.
Decision DecideFacility(const Principal& principal, std::int64_t organization_id, std::int64_t organization_tenant);

// Whether a system client's scopes let it read resources of `resource_type` ("Patient"):
// "system/Patient.read", "system/*.read" and the SMART v2 forms "system/Patient.rs", ".r".
bool ScopeAllows(const Principal& principal, std::string_view resource_type);
// True for a scope this server can grant (the forms ScopeAllows reads; a type or "*").
bool IsKnownScope(std::string_view scope);

// The role-level actions this principal may perform, as strings for the UI.
std::vector<std::string> Permissions(const Principal& principal);

}  // namespace moyakko::auth
