#include "auth/policy.h"

#include <gtest/gtest.h>

namespace moyakko::auth {
namespace {

Principal As(Role role, std::int64_t tenant = 1) {
  Principal p;
  p.role = role;
  p.tenant_id = tenant;
  return p;
}

struct PersonCase {
  Role role;
  PersonContext person;
  bool allowed;
  const char* reason;
};

class PersonReadTest : public ::testing::TestWithParam<PersonCase> {};

TEST_P(PersonReadTest, Decides) {
  const PersonCase& c = GetParam();
  Decision d = Decide(As(c.role), Action::kPersonRead, &c.person);
  EXPECT_EQ(d.allowed, c.allowed) << ToString(c.role) << " " << d.reason;
  EXPECT_EQ(d.reason, c.reason);
}

INSTANTIATE_TEST_SUITE_P(Table, PersonReadTest, ::testing::Values(
    PersonCase{Role::kDoctor, {.person_id = 1, .tenant_id = 1}, false, "no_relation"},
    PersonCase{Role::kDoctor, {.person_id = 1, .tenant_id = 1, .care_team_member = true}, true, "care_team"},
    PersonCase{Role::kDoctor, {.person_id = 1, .tenant_id = 2, .care_team_member = true}, false, "other_tenant"},
    PersonCase{Role::kDoctor, {.person_id = 1, .tenant_id = 2, .shared_with_principal_tenant = true, .care_team_member = true}, true, "care_team"},
    PersonCase{Role::kCityOfficer, {.person_id = 1, .tenant_id = 1}, true, "register_role"},
    PersonCase{Role::kCityOfficer, {.person_id = 1, .tenant_id = 2}, false, "other_tenant"},
    PersonCase{Role::kFamily, {.person_id = 1, .tenant_id = 2}, false, "other_tenant"},
    PersonCase{Role::kFamily, {.person_id = 1, .tenant_id = 2, .family_link = true}, true, "family_link"},
    PersonCase{Role::kParamedic, {.person_id = 1, .tenant_id = 1}, false, "no_relation"},
    PersonCase{Role::kParamedic, {.person_id = 1, .tenant_id = 1, .break_glass_grant = true}, true, "break_glass"},
    PersonCase{Role::kNurse, {.person_id = 1, .tenant_id = 1, .break_glass_grant = true}, false, "no_relation"},
    PersonCase{Role::kSchoolStaff, {.person_id = 1, .tenant_id = 1}, false, "no_relation"}));

struct LifelogCase {
  Role role;
  Action action;
  PersonContext person;
  bool allowed;
  const char* reason;
};

class LifelogTest : public ::testing::TestWithParam<LifelogCase> {};

TEST_P(LifelogTest, Decides) {
  const LifelogCase& c = GetParam();
  Decision d = Decide(As(c.role), c.action, &c.person);
  EXPECT_EQ(d.allowed, c.allowed) << ToString(c.role) << " " << ToString(c.action) << " " << d.reason;
  EXPECT_EQ(d.reason, c.reason);
}

constexpr PersonContext kTeamChild{.person_id = 7, .tenant_id = 1, .care_team_member = true, .patient_registered = true};
constexpr PersonContext kOtherChild{.person_id = 8, .tenant_id = 1, .patient_registered = true};
constexpr PersonContext kOwnChild{.person_id = 7, .tenant_id = 1, .family_link = true};

INSTANTIATE_TEST_SUITE_P(Table, LifelogTest, ::testing::Values(
    // School staff see only the children whose teams they are on, and set no ranges.
    LifelogCase{Role::kSchoolStaff, Action::kLifelogRead, kTeamChild, true, "care_team"},
    LifelogCase{Role::kSchoolStaff, Action::kLifelogRead, kOtherChild, false, "no_relation"},
    LifelogCase{Role::kSchoolStaff, Action::kLifelogWrite, kTeamChild, true, "care_team"},
    LifelogCase{Role::kSchoolStaff, Action::kLifelogTemplate, kTeamChild, false, "role"},
    LifelogCase{Role::kCareStaff, Action::kLifelogComment, kOtherChild, false, "no_relation"},
    // A team of a person no longer registered reads nothing.
    LifelogCase{Role::kNurse, Action::kLifelogRead, {.person_id = 7, .tenant_id = 1, .care_team_member = true}, false, "no_relation"},
    LifelogCase{Role::kNurse, Action::kLifelogTemplate, kTeamChild, true, "care_team"},
    LifelogCase{Role::kDoctor, Action::kLifelogRead, {.person_id = 7, .tenant_id = 2, .care_team_member = true, .patient_registered = true}, false, "no_relation"},
    // A family writes for its own relative only, wherever it lives, and never shapes the template.
    LifelogCase{Role::kFamily, Action::kLifelogWrite, kOwnChild, true, "family_link"},
    LifelogCase{Role::kFamily, Action::kLifelogWrite, kOtherChild, false, "no_relation"},
    LifelogCase{Role::kFamily, Action::kLifelogRead, {.person_id = 7, .tenant_id = 2, .family_link = true}, true, "family_link"},
    LifelogCase{Role::kFamily, Action::kLifelogTemplate, kOwnChild, false, "no_relation"},
    // Paramedics read under their own break-glass grant, and write nothing.
    LifelogCase{Role::kParamedic, Action::kLifelogRead, {.person_id = 7, .tenant_id = 1, .break_glass_grant = true}, true, "break_glass"},
    LifelogCase{Role::kParamedic, Action::kLifelogRead, kTeamChild, false, "no_relation"},
    LifelogCase{Role::kParamedic, Action::kLifelogWrite, {.person_id = 7, .tenant_id = 1, .break_glass_grant = true}, false, "no_relation"},
    // A family link of a staff user counts for nothing here.
    LifelogCase{Role::kCityOfficer, Action::kLifelogRead, {.person_id = 7, .tenant_id = 1, .family_link = true}, false, "no_relation"}));

TEST(Policy, LifelogRoles) {
  EXPECT_TRUE(Decide(As(Role::kFamily), Action::kLifelogList).allowed);
  EXPECT_TRUE(Decide(As(Role::kSchoolStaff), Action::kLifelogList).allowed);
  EXPECT_FALSE(Decide(As(Role::kCityOfficer), Action::kLifelogList).allowed);
  EXPECT_FALSE(Decide(As(Role::kCallOperator), Action::kLifelogRead).allowed);
  EXPECT_TRUE(Decide(As(Role::kParamedic), Action::kLifelogRead).allowed);
  EXPECT_FALSE(Decide(As(Role::kParamedic), Action::kLifelogList).allowed);
  EXPECT_FALSE(Decide(As(Role::kCareStaff), Action::kLifelogTemplate).allowed);
  EXPECT_TRUE(Decide(As(Role::kNurse), Action::kLifelogTemplate).allowed);
}

TEST(Policy, EnrolmentSessionMayOnlyEnrol) {
  Principal p = As(Role::kAdmin);
  p.enrolment_only = true;
  for (Action action : AllActions()) {
    EXPECT_EQ(Decide(p, action).allowed, action == Action::kTotpEnrol || action == Action::kOwnSession)
        << ToString(action);
  }
  EXPECT_EQ(ListScope(p), PersonScope::kNone);
}

TEST(Policy, AdminActionsAreForAdminsOnly) {
  for (Role role : AllRoles()) {
    bool admin = role == Role::kAdmin;
    EXPECT_EQ(Decide(As(role), Action::kUserAdmin).allowed, admin) << ToString(role);
    EXPECT_EQ(Decide(As(role), Action::kAuditRead).allowed, admin) << ToString(role);
  }
}

TEST(Policy, ListScopes) {
  EXPECT_EQ(ListScope(As(Role::kCityOfficer)), PersonScope::kTenant);
  EXPECT_EQ(ListScope(As(Role::kDoctor)), PersonScope::kRelated);
  EXPECT_EQ(ListScope(As(Role::kFamily)), PersonScope::kNone);
  EXPECT_FALSE(Decide(As(Role::kFamily), Action::kPersonList).allowed);
}

TEST(Policy, RoleNamesRoundTrip) {
  for (Role role : AllRoles()) EXPECT_EQ(ParseRole(ToString(role)), role);
  EXPECT_FALSE(ParseRole("superuser"));
}

}  // namespace
}  // namespace moyakko::auth
