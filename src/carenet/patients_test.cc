#include <gtest/gtest.h>

#include "carenet/summary.h"
#include "carenet/test_town.h"
#include "common/error.h"

namespace moyakko::carenet {
namespace {

using auth::Action;

ErrorCode CodeOf(const std::function<void()>& work) {
  try {
    work();
  } catch (const Failure& f) {
    return f.error().code;
  }
  return ErrorCode::kInternal;
}

TEST_P(CarenetTest, OnlyTheTeamSeesThePatientAndTheRegisterRolesSeeLess) {
  Register(hanako_, doctor_);
  EXPECT_TRUE(Decide(doctor_, Action::kCarenetTimeline, hanako_).allowed);
  EXPECT_TRUE(Decide(doctor_, Action::kCareTeamManage, hanako_).allowed);  // the registering doctor leads
  EXPECT_FALSE(Decide(nurse_, Action::kCarenetRead, hanako_).allowed);
  EXPECT_FALSE(Decide(stranger_, Action::kCarenetRead, hanako_).allowed);
  EXPECT_FALSE(Decide(family_, Action::kCarenetRead, hanako_).allowed);
  EXPECT_FALSE(Decide(family_, Action::kCarenetRead, ichiro_).allowed);  // family has ここのーと, not this
  EXPECT_TRUE(Decide(city_, Action::kCarenetRead, hanako_).allowed);
  EXPECT_FALSE(Decide(city_, Action::kCarenetTimeline, hanako_).allowed);

  auto visible = [&](const auth::Principal& who) {
    return db().Read([&](store::Session& s) { return auth::VisibleCategories(who, *auth::LoadPersonContext(s, who, hanako_)); });
  };
  EXPECT_EQ(visible(doctor_).size(), 5u);
  auto city = visible(city_);
  EXPECT_EQ(std::count(city.begin(), city.end(), auth::Category::kClinical), 0);
  EXPECT_EQ(std::count(city.begin(), city.end(), auth::Category::kCareLevel), 1);

  // An invitation grants nothing until accepted.
  db().Write([&](store::Session& s) { InviteMember(s, hanako_, nurse_.user_id, doctor_.user_id, 2000); });
  EXPECT_FALSE(Decide(nurse_, Action::kCarenetTimeline, hanako_).allowed);
  EXPECT_TRUE(Decide(nurse_, Action::kCareTeamAnswer, hanako_).allowed);
  db().Write([&](store::Session& s) { AnswerInvitation(s, hanako_, nurse_.user_id, true, 3000); });
  EXPECT_TRUE(Decide(nurse_, Action::kCarenetTimeline, hanako_).allowed);
  EXPECT_FALSE(Decide(nurse_, Action::kCareTeamManage, hanako_).allowed);

  // De-registration closes the team's access; the records stay.
  db().Write([&](store::Session& s) { DeregisterPatient(s, hanako_, doctor_.user_id, "転居", 4000); });
  EXPECT_FALSE(Decide(nurse_, Action::kCarenetTimeline, hanako_).allowed);
  EXPECT_FALSE(Decide(doctor_, Action::kCarenetRead, hanako_).allowed);
  EXPECT_EQ(db().Read([&](store::Session& s) { return TeamJson(s, hanako_).size(); }), 2u);
}

TEST_P(CarenetTest, TeamKeepsOneLeadAndInvitationsAreAnsweredOnce) {
  Register(hanako_, doctor_);
  Join(hanako_, nurse_, doctor_);
  db().Write([&](store::Session& s) {
    EXPECT_EQ(CodeOf([&] { InviteMember(s, hanako_, nurse_.user_id, doctor_.user_id, 1); }), ErrorCode::kConflict);
    EXPECT_EQ(CodeOf([&] { InviteMember(s, hanako_, family_.user_id, doctor_.user_id, 1); }), ErrorCode::kInvalidArgument);
    EXPECT_EQ(CodeOf([&] { InviteMember(s, hanako_, stranger_.user_id, doctor_.user_id, 1); }), ErrorCode::kInvalidArgument);
    // The city sees patients on its own terms, never as a team member with clinical access.
    EXPECT_EQ(CodeOf([&] { InviteMember(s, hanako_, city_.user_id, doctor_.user_id, 1); }), ErrorCode::kInvalidArgument);
    EXPECT_EQ(CodeOf([&] { AnswerInvitation(s, hanako_, pharmacist_.user_id, true, 1); }), ErrorCode::kNotFound);
    EXPECT_EQ(CodeOf([&] { RemoveMember(s, hanako_, doctor_.user_id, 1); }), ErrorCode::kConflict);
    MakeLead(s, hanako_, nurse_.user_id);
    RemoveMember(s, hanako_, doctor_.user_id, 5000);
  });
  auto team = db().Read([&](store::Session& s) { return TeamJson(s, hanako_); });
  ASSERT_EQ(team.size(), 1u);
  EXPECT_EQ(team[0]["membership"], "lead");
  EXPECT_EQ(team[0]["user"]["id"], nurse_.user_id);
  EXPECT_FALSE(Decide(doctor_, Action::kCarenetRead, hanako_).allowed);
}

TEST_P(CarenetTest, ClinicalDataNeedsConsentAndEveryChangeIsKept) {
  Register(hanako_, doctor_);
  db().Write([&](store::Session& s) {
    auto first = AddEntry(s, hanako_, "prescriptions", {{"drug", "アムロジピン"}, {"dose", "5mg"}}, doctor_.user_id, 10);
    ReviseEntry(s, hanako_, "prescriptions", first["id"], {{"drug", "アムロジピン"}, {"dose", "2.5mg"}}, doctor_.user_id, 20);
    auto allergy = AddEntry(s, hanako_, "allergies", {{"substance", "ペニシリン"}}, doctor_.user_id, 30);
    RemoveEntry(s, hanako_, "allergies", allergy["id"], doctor_.user_id, 40);
    AddEntry(s, hanako_, "acp", {{"resuscitation", "undecided"}, {"confirmed_on", "2026-01-10"}}, doctor_.user_id, 50);
    AddEntry(s, hanako_, "acp", {{"resuscitation", "not_wanted"}, {"confirmed_on", "2026-10-01"}}, doctor_.user_id, 60);
    EXPECT_EQ(CodeOf([&] { ReviseEntry(s, ichiro_, "prescriptions", first["id"], {{"drug", "x"}}, doctor_.user_id, 1); }),
              ErrorCode::kNotFound);
  });
  auto all = std::vector<auth::Category>{auth::Category::kIdentity, auth::Category::kCareLevel, auth::Category::kContacts,
                                         auth::Category::kClinical, auth::Category::kAcp};
  auto summary = db().Read([&](store::Session& s) { return SummaryJson(s, hanako_, all); });
  ASSERT_EQ(summary["prescriptions"].size(), 1u);
  EXPECT_EQ(summary["prescriptions"][0]["data"]["dose"], "2.5mg");
  EXPECT_EQ(summary["prescriptions"][0]["version"], 2);
  EXPECT_TRUE(summary["allergies"].empty());
  ASSERT_EQ(summary["acp"].size(), 2u);
  EXPECT_TRUE(summary["acp"][0]["current"]);
  EXPECT_EQ(summary["acp"][0]["data"]["resuscitation"], "not_wanted");
  EXPECT_FALSE(summary["acp"][1]["current"]);
  EXPECT_TRUE(summary["withheld"].empty());

  auto history = db().Read([&](store::Session& s) { return HistoryJson(s, hanako_, all, std::nullopt); });
  EXPECT_EQ(history.size(), 6u);
  EXPECT_TRUE(history[2]["data"].is_null());  // the allergy's removal

  auto city = std::vector<auth::Category>{auth::Category::kIdentity, auth::Category::kCareLevel, auth::Category::kContacts};
  auto limited = db().Read([&](store::Session& s) { return SummaryJson(s, hanako_, city); });
  EXPECT_FALSE(limited.contains("prescriptions"));
  EXPECT_EQ(limited["withheld"], nlohmann::json({"clinical", "acp"}));
  EXPECT_TRUE(db().Read([&](store::Session& s) { return HistoryJson(s, hanako_, city, std::nullopt); }).empty());

  db().Write([&](store::Session& s) { WithdrawConsent(s, hanako_, doctor_.user_id, 70); });
  db().Read([&](store::Session& s) { EXPECT_EQ(CodeOf([&] { RequireConsent(s, hanako_); }), ErrorCode::kConflict); });
}

TEST_P(CarenetTest, SearchFindsMyPatientsByKanaBirthDateAndPhone) {
  Register(hanako_, doctor_);
  // An administrator registers on behalf of a team and must name its lead.
  EXPECT_EQ(CodeOf([&] { Register(ichiro_, admin_); }), ErrorCode::kInvalidArgument);
  db().Write([&](store::Session& s) {
    RegisterPatient(s, admin_, ichiro_, {"長男", "family", "2026-11-02", "care_team"}, pharmacist_.user_id, 1);
  });
  auto names = [&](const auth::Principal& who, const std::string& q) {
    std::vector<std::string> found;
    for (const auto& p : db().Read([&](store::Session& s) { return ListPatients(s, who, {q, 50}); })) {
      found.push_back(p["person"]["name"]);
    }
    return found;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(names(doctor_, ""), V{"鈴木 花子"});
  EXPECT_EQ(names(doctor_, "ｽｽﾞｷ ﾊﾅｺ"), V{"鈴木 花子"});
  EXPECT_EQ(names(doctor_, "すずき"), V{"鈴木 花子"});
  EXPECT_EQ(names(doctor_, "1938/4/2"), V{"鈴木 花子"});
  EXPECT_EQ(names(doctor_, "19380402"), V{"鈴木 花子"});
  EXPECT_EQ(names(doctor_, "０５６１２１００００"), V{"鈴木 花子"});
  EXPECT_EQ(names(doctor_, "かとう"), V{});  // not in the doctor's teams
  EXPECT_EQ(names(pharmacist_, ""), V{"加藤 一郎"});
  EXPECT_EQ(names(city_, ""), (V{"加藤 一郎", "鈴木 花子"}));
  EXPECT_EQ(names(city_, "ｽｽﾞｷ"), V{"鈴木 花子"});        // through the trigram index on SQLite
  EXPECT_EQ(names(city_, "すず"), V{"鈴木 花子"});        // too short for it
  EXPECT_EQ(names(city_, "1938-04-02"), V{"鈴木 花子"});
  EXPECT_EQ(names(city_, "0561-21"), V{"鈴木 花子"});
  EXPECT_EQ(names(nurse_, ""), V{});
  EXPECT_EQ(names(family_, ""), V{});
  EXPECT_EQ(names(stranger_, ""), V{});

  // Whoever registers finds a resident by name and birth date, never by browsing.
  auto candidates = [&](const std::string& name, const std::string& birth) {
    return db().Read([&](store::Session& s) { return RegisterCandidates(s, doctor_, name, birth).size(); });
  };
  EXPECT_EQ(candidates("すずき　はなこ", "1938-04-02"), 1u);
  EXPECT_EQ(candidates("鈴木", "1938-04-03"), 0u);
  EXPECT_THROW(candidates("鈴", "1938-04-02"), Failure);
}

INSTANTIATE_TEST_SUITE_P(Backends, CarenetTest, ::testing::ValuesIn(store::TestBackends()));

}  // namespace
}  // namespace moyakko::carenet
