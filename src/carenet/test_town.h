#pragma once
// For the care network's storage tests: a tenant with a patient, staff, a family member, and
// a second tenant, on either database.
#include <gtest/gtest.h>

#include "auth/guard.h"
#include "auth/policy.h"
#include "carenet/patients.h"
#include "registry/persons.h"
#include "store/testing.h"

namespace moyakko::carenet {

class CarenetTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    test_ = std::make_unique<store::TestDatabase>(GetParam());
    if (!test_->available()) GTEST_SKIP() << "MOYAKKO_TEST_PG_URL not set";
    InstallRelations();
    db().Write([&](store::Session& s) {
      seto_ = s.QueryOne("INSERT INTO tenants (code, name, created_at) VALUES ('seto', '瀬戸市', 0) RETURNING id")->Int(0);
      other_ = s.QueryOne("INSERT INTO tenants (code, name, created_at) VALUES ('nagoya', '名古屋市', 0) RETURNING id")->Int(0);
      hanako_ = registry::AddPerson(s, {.tenant_id = seto_, .family_name = "鈴木", .given_name = "花子",
                                        .family_kana = "スズキ", .given_kana = "ハナコ", .birth_date = "1938-04-02",
                                        .phones = {"0561-21-0000"}}, 0);
      ichiro_ = registry::AddPerson(s, {.tenant_id = seto_, .family_name = "加藤", .given_name = "一郎",
                                        .family_kana = "カトウ", .given_kana = "イチロウ"}, 0);
      doctor_ = User(s, seto_, "doctor", auth::Role::kDoctor);
      nurse_ = User(s, seto_, "nurse", auth::Role::kNurse);
      pharmacist_ = User(s, seto_, "pharmacist", auth::Role::kPharmacist);
      city_ = User(s, seto_, "city", auth::Role::kCityOfficer);
      admin_ = User(s, seto_, "admin", auth::Role::kAdmin);
      family_ = User(s, seto_, "family", auth::Role::kFamily);
      stranger_ = User(s, other_, "stranger", auth::Role::kDoctor);
      s.Execute("INSERT INTO family_links (user_id, person_id, created_at) VALUES ($1, $2, 0)", {family_.user_id, ichiro_});
    });
  }

  store::Database& db() { return test_->db(); }

  void Register(std::int64_t person, const auth::Principal& by) {
    db().Write([&](store::Session& s) {
      RegisterPatient(s, by, person, {"本人", "self", "2026-11-01", "care_team"}, std::nullopt, 1000);
    });
  }
  void Join(std::int64_t person, const auth::Principal& who, const auth::Principal& by) {
    db().Write([&](store::Session& s) {
      InviteMember(s, person, who.user_id, by.user_id, 2000);
      AnswerInvitation(s, person, who.user_id, true, 3000);
    });
  }
  auth::Decision Decide(const auth::Principal& who, auth::Action action, std::int64_t person) {
    return db().Read([&](store::Session& s) {
      auto context = auth::LoadPersonContext(s, who, person);
      return auth::Decide(who, action, &*context);
    });
  }

  std::unique_ptr<store::TestDatabase> test_;
  std::int64_t seto_ = 0, other_ = 0, hanako_ = 0, ichiro_ = 0;
  auth::Principal doctor_, nurse_, pharmacist_, city_, admin_, family_, stranger_;

 protected:
  static auth::Principal User(store::Session& s, std::int64_t tenant, const std::string& name, auth::Role role,
                              std::optional<std::int64_t> organization = std::nullopt) {
    auth::Principal p;
    p.user_id = s.QueryOne("INSERT INTO users (tenant_id, organization_id, username, display_name, display_kana, role, "
                           "password_hash, created_at, updated_at) VALUES ($1, $4, $2, $2, $2, $3, 'x', 0, 0) RETURNING id",
                           {tenant, name, std::string(auth::ToString(role)), store::Opt(organization)})->Int(0);
    p.organization_id = organization;
    p.username = name;
    p.role = role;
    p.tenant_id = tenant;
    return p;
  }
};

}  // namespace moyakko::carenet
