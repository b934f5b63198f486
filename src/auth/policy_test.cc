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
