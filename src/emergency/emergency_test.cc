// Break-glass grants, the sheet, kits and transports against both databases, on a fixed clock.
#include <gtest/gtest.h>

#include <set>

#include <fmt/format.h>

#include "audit/audit_log.h"
#include "carenet/summary.h"
#include "carenet/test_town.h"
#include "carenet/timeline.h"
#include "emergency/grants.h"
#include "emergency/kits.h"
#include "emergency/sheet.h"
#include "emergency/transports.h"

namespace moyakko::emergency {
namespace {

using auth::Action;
using nlohmann::json;

constexpr UnixMillis kStart = 1795000000000;  // 2026-11-18
constexpr UnixMillis kMinute = 60000;

class EmergencyTest : public carenet::CarenetTest {
 protected:
  void SetUp() override {
    carenet::CarenetTest::SetUp();
    if (IsSkipped()) return;
    InstallRelations(clock_);
    db().Write([&](store::Session& s) {
      auto org = [&](const char* code, const char* kind, const char* name) {
        return s.QueryOne("INSERT INTO organizations (tenant_id, code, kind, name, created_at) VALUES ($1, $2, $3, $4, 0) "
                          "RETURNING id", {seto_, std::string(code), std::string(kind), std::string(name)})->Int(0);
      };
      fire_ = org("fire", "fire_department", "瀬戸市消防本部");
      hospital_ = org("hospital", "hospital", "幡山みなみ病院");
      clinic_ = org("clinic", "clinic", "窯神在宅クリニック");
      paramedic_ = User(s, seto_, "paramedic", auth::Role::kParamedic, fire_);
      other_paramedic_ = User(s, seto_, "paramedic2", auth::Role::kParamedic, fire_);
      hospital_nurse_ = User(s, seto_, "er_nurse", auth::Role::kNurse, hospital_);
      clinic_nurse_ = User(s, seto_, "clinic_nurse", auth::Role::kNurse, clinic_);
      clinic_doctor_ = User(s, seto_, "clinic_doctor", auth::Role::kDoctor, clinic_);
      s.Execute("INSERT INTO notify_preferences (user_id, channel, address) VALUES ($1, 'email', 'doctor@example.jp'), "
                "($2, 'email', 'city@example.jp'), ($3, 'email', 'clinic@example.jp'), ($4, 'email', 'nurse@example.jp')",
                {doctor_.user_id, city_.user_id, clinic_doctor_.user_id, clinic_nurse_.user_id});
    });
    Register(hanako_, doctor_);
    db().Write([&](store::Session& s) {
      carenet::AddEntry(s, hanako_, "acp", {{"resuscitation", "not_wanted"}, {"confirmed_on", "2026-10-01"}}, doctor_.user_id, 0);
      carenet::AddEntry(s, hanako_, "family_doctor", {{"name", "山田 太郎"}, {"clinic", "窯神在宅クリニック"}}, doctor_.user_id, 0);
      carenet::AddEntry(s, hanako_, "allergies", {{"substance", "ペニシリン"}, {"severity", "severe"}}, doctor_.user_id, 0);
      carenet::AddEntry(s, hanako_, "next_of_kin", {{"name", "鈴木 恵"}, {"order", 2}}, doctor_.user_id, 0);
      carenet::AddEntry(s, hanako_, "next_of_kin", {{"name", "鈴木 一"}, {"order", 1}, {"phones", {"090-1111-2222"}}},
                        doctor_.user_id, 0);
    });
  }

  OpenedGrant Open(const auth::Principal& who, std::int64_t person, std::optional<std::string> kit = std::nullopt) {
    return db().Write([&](store::Session& s) {
      audit::Entry start = auth::CheckPerson(s, who, Action::kEmergencyGrant, person, {"test", "", ""});
      return OpenGrant(s, who, {person, "unresponsive", "呼びかけに反応なし", kit}, start, clock_.Now());
    });
  }
  bool Allowed(const auth::Principal& who, Action action, std::int64_t person) { return Decide(who, action, person).allowed; }
  std::int64_t Count(const std::string& sql) {
    return db().Read([&](store::Session& s) { return s.QueryOne(sql)->Int(0); });
  }

  FixedClock clock_{kStart};
  std::int64_t fire_ = 0, hospital_ = 0, clinic_ = 0;
  auth::Principal paramedic_, other_paramedic_, hospital_nurse_, clinic_nurse_, clinic_doctor_;
};

TEST_P(EmergencyTest, OnlyParamedicsBreakTheGlassAndOnlyTheirGrantOpensTheSheet) {
  EXPECT_FALSE(Allowed(paramedic_, Action::kEmergencySheet, hanako_));
  EXPECT_EQ(Decide(nurse_, Action::kEmergencyGrant, hanako_).reason, "role");
  EXPECT_EQ(Decide(doctor_, Action::kEmergencyGrant, hanako_).reason, "role");
  EXPECT_FALSE(auth::Decide(nurse_, Action::kEmergencyGrant).allowed);
  EXPECT_TRUE(auth::Decide(paramedic_, Action::kEmergencyGrant).allowed);
  // The city and the medical association's staff review break-glass use.
  auth::Principal association_doctor = doctor_, association_family = family_;
  association_doctor.organization_kind = association_family.organization_kind = "medical_association";
  EXPECT_TRUE(auth::Decide(association_doctor, Action::kEmergencyReview).allowed);
  EXPECT_FALSE(auth::Decide(association_family, Action::kEmergencyReview).allowed);
  EXPECT_FALSE(auth::Decide(doctor_, Action::kEmergencyReview).allowed);
  EXPECT_TRUE(auth::Decide(city_, Action::kEmergencyReview).allowed);

  OpenedGrant grant = Open(paramedic_, hanako_);
  EXPECT_EQ(grant.expires_at, kStart + 120 * kMinute);  // the default two hours
  EXPECT_TRUE(Allowed(paramedic_, Action::kEmergencySheet, hanako_));
  EXPECT_TRUE(Allowed(paramedic_, Action::kEmergencyTransport, hanako_));
  EXPECT_FALSE(Allowed(paramedic_, Action::kEmergencySheet, ichiro_));        // one person
  EXPECT_FALSE(Allowed(other_paramedic_, Action::kEmergencySheet, hanako_));  // one paramedic
  EXPECT_FALSE(Allowed(doctor_, Action::kEmergencySheet, hanako_));
  // A paramedic of another municipality cannot open a person of this one.
  db().Write([&](store::Session& s) { s.Execute("UPDATE users SET tenant_id = $1 WHERE id = $2", {other_, other_paramedic_.user_id}); });
  auth::Principal outsider = other_paramedic_;
  outsider.tenant_id = other_;
  EXPECT_EQ(Decide(outsider, Action::kEmergencyGrant, hanako_).reason, "other_tenant");
}

TEST_P(EmergencyTest, AGrantClosesByItselfAndItsStartAndEndAreAuditedAndTold) {
  OpenedGrant grant = Open(paramedic_, hanako_);
  clock_.Advance(119 * kMinute);
  EXPECT_TRUE(Allowed(paramedic_, Action::kEmergencySheet, hanako_));
  EXPECT_EQ(db().Write([&](store::Session& s) { return CloseExpiredGrants(s, clock_.Now()); }), 0);
  clock_.Advance(kMinute);
  EXPECT_FALSE(Allowed(paramedic_, Action::kEmergencySheet, hanako_));  // closed at expiry, sweep or not

  EXPECT_EQ(db().Write([&](store::Session& s) { return CloseExpiredGrants(s, clock_.Now()); }), 1);
  EXPECT_EQ(db().Write([&](store::Session& s) { return CloseExpiredGrants(s, clock_.Now()); }), 0);  // once
  auto entries = audit::Search(db(), {.person_id = hanako_, .action = "emergency.grant"});
  std::vector<std::string> seen;
  for (const auto& e : entries) {
    if (e.action.starts_with("emergency.grant")) seen.push_back(e.action + " " + e.reason);
  }
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_NE(std::find(seen.begin(), seen.end(), "emergency.grant paramedic: unresponsive: 呼びかけに反応なし"), seen.end());
  EXPECT_NE(std::find(seen.begin(), seen.end(), "emergency.grant.end expired"), seen.end());

  // The care team's doctor, the family doctor's clinic and the city hear of both (the clinic's
  // nurse does not); the timeline shows the opening.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM outbox WHERE recipient = 'nurse@example.jp'"), 0);
  for (const char* event : {"opened", "ended"}) {
    for (auto [user, who] : {std::pair{doctor_.user_id, "doctor"}, std::pair{city_.user_id, "city"},
                             std::pair{clinic_doctor_.user_id, "family doctor"}}) {
      EXPECT_EQ(Count(fmt::format("SELECT COUNT(*) FROM outbox WHERE dedup_key = 'emergency:{}:{}:user:{}'", grant.code, event, user)), 1)
          << event << " " << who;
    }
  }
  EXPECT_EQ(Count("SELECT COUNT(*) FROM outbox WHERE recipient = 'doctor@example.jp' AND body LIKE '%アレルギー%'"), 0);
  auto posts = db().Read([&](store::Session& s) { return carenet::TimelinePage(s, hanako_, doctor_.user_id, std::nullopt, 5); })["posts"];
  ASSERT_EQ(posts.size(), 1u);
  EXPECT_TRUE(posts[0]["important"]);
  EXPECT_TRUE(posts[0]["body"].get<std::string>().starts_with("【救急】救急隊が緊急情報シートを開きました（理由: 意識障害"));

  auto review = db().Read([&](store::Session& s) { return ReviewJson(s, city_, 0, clock_.Now() + 1); });
  ASSERT_EQ(review.size(), 1u);
  EXPECT_EQ(review[0]["end_reason"], "expired");
  EXPECT_EQ(review[0]["ended_at"], FormatRfc3339(grant.expires_at));
  EXPECT_TRUE(review[0]["review"].is_null());
  db().Write([&](store::Session& s) { MarkReviewed(s, city_, grant.code, "適切な利用", clock_.Now()); });
  review = db().Read([&](store::Session& s) { return ReviewJson(s, city_, 0, clock_.Now() + 1); });
  EXPECT_EQ(review[0]["review"]["note"], "適切な利用");
  EXPECT_EQ(review[0]["review"]["by"]["name"], "city");
}

TEST_P(EmergencyTest, EndingEarlyClosesAtOnceAndTheMunicipalityChoosesTheLength) {
  db().Write([&](store::Session& s) { SetGrantMinutes(s, seto_, 30); });
  OpenedGrant grant = Open(paramedic_, hanako_);
  EXPECT_EQ(grant.expires_at, kStart + 30 * kMinute);
  EXPECT_THROW(db().Write([&](store::Session& s) { EndGrant(s, other_paramedic_, grant.code, "t", clock_.Now()); }), Failure);
  db().Write([&](store::Session& s) { EndGrant(s, paramedic_, grant.code, "t", clock_.Now()); });
  EXPECT_FALSE(Allowed(paramedic_, Action::kEmergencySheet, hanako_));
  EXPECT_THROW(db().Write([&](store::Session& s) { EndGrant(s, paramedic_, grant.code, "t", clock_.Now()); }), Failure);
  clock_.Advance(31 * kMinute);
  EXPECT_EQ(db().Write([&](store::Session& s) { return CloseExpiredGrants(s, clock_.Now()); }), 0);  // already ended
  for (int minutes : {0, 14, 721}) {
    EXPECT_THROW(db().Write([&](store::Session& s) { SetGrantMinutes(s, seto_, minutes); }), Failure) << minutes;
  }
}

TEST_P(EmergencyTest, TheSheetHoldsWhatTheDoorNeedsAndTheSearchOnlyWhoItIs) {
  db().Write([&](store::Session& s) {
    carenet::AddEntry(s, hanako_, "care_level", {{"level", "要介護1"}, {"certified_on", "2024-04-01"}}, doctor_.user_id, 0);
    carenet::AddEntry(s, hanako_, "care_level", {{"level", "要介護3"}, {"certified_on", "2026-04-01"}}, doctor_.user_id, 0);
  });
  Open(paramedic_, hanako_);
  json sheet = db().Write([&](store::Session& s) { return SheetJson(s, hanako_, clock_.Now()); });
  EXPECT_EQ(sheet["person"]["name"], "鈴木 花子");
  EXPECT_EQ(sheet["person"]["age"], 88);
  EXPECT_EQ(sheet["person"]["phones"][0], "0561-21-0000");
  EXPECT_TRUE(sheet["registered"]);
  EXPECT_EQ(sheet["care_level"]["level"], "要介護3");  // the newest certification
  EXPECT_EQ(sheet["acp"]["resuscitation"], "not_wanted");
  EXPECT_EQ(sheet["acp"]["confirmed_on"], "2026-10-01");
  EXPECT_EQ(sheet["allergies"][0]["substance"], "ペニシリン");
  ASSERT_EQ(sheet["next_of_kin"].size(), 2u);
  EXPECT_EQ(sheet["next_of_kin"][0]["name"], "鈴木 一");  // in call order
  ASSERT_EQ(sheet["care_team"].size(), 1u);
  EXPECT_TRUE(sheet["care_team"][0]["lead"]);

  // Half-width kana finds her; the answer says who she is and nothing else.
  json found = db().Read([&](store::Session& s) {
    return FindPersons(s, paramedic_, ReadFindQuery("ｽｽﾞｷ ﾊﾅｺ", std::nullopt), clock_.Now());
  });
  ASSERT_EQ(found.size(), 1u);
  std::set<std::string> keys;
  for (const auto& [key, value] : found[0].items()) keys.insert(key);
  EXPECT_EQ(keys, (std::set<std::string>{"id", "name", "kana", "age", "sex", "address"}));
  EXPECT_EQ(db().Read([&](store::Session& s) {
              return FindPersons(s, paramedic_, ReadFindQuery("", "1938-04-02"), clock_.Now());
            }).size(), 1u);
  EXPECT_THROW(ReadFindQuery("  ", std::nullopt), Failure);
  EXPECT_THROW(ReadFindQuery(std::nullopt, "1938-02-30"), Failure);
}

TEST_P(EmergencyTest, AReprintedKitRevokesTheOldCodeWhichNeverOpensAnythingByItself) {
  EXPECT_TRUE(Allowed(doctor_, Action::kEmergencyKit, hanako_));      // the care team
  EXPECT_TRUE(Allowed(city_, Action::kEmergencyKit, ichiro_));        // the city, patient or not
  EXPECT_FALSE(Allowed(nurse_, Action::kEmergencyKit, hanako_));      // not on the team
  EXPECT_FALSE(Allowed(paramedic_, Action::kEmergencyKit, hanako_));
  IssuedKit first = db().Write([&](store::Session& s) { return IssueKit(s, hanako_, doctor_.user_id, clock_.Now()); });
  EXPECT_EQ(first.code.size(), 32u);
  EXPECT_EQ(db().Read([&](store::Session& s) { return ResolveKit(s, first.code); }), hanako_);
  EXPECT_FALSE(Allowed(paramedic_, Action::kEmergencySheet, hanako_));  // knowing the code opens nothing
  IssuedKit second = db().Write([&](store::Session& s) { return IssueKit(s, hanako_, doctor_.user_id, clock_.Now()); });
  EXPECT_EQ(db().Read([&](store::Session& s) { return ResolveKit(s, first.code); }), std::nullopt);
  EXPECT_THROW(Open(paramedic_, hanako_, first.code), Failure);
  EXPECT_THROW(Open(paramedic_, ichiro_, second.code), Failure);  // another person's kit
  Open(paramedic_, hanako_, second.code);
  auto review = db().Read([&](store::Session& s) { return ReviewJson(s, city_, 0, clock_.Now() + 1); });
  ASSERT_EQ(review.size(), 1u);
  EXPECT_TRUE(review[0]["via_kit"]);
}

TEST_P(EmergencyTest, ATransportIsOnTheTimelineAndOpensTheSheetToTheReceivingHospitalForADay) {
  auto record = [&](const json& body) {
    return db().Write([&](store::Session& s) {
      return RecordTransport(s, paramedic_, hanako_, ReadNewTransport(body, clock_.Now()), "test", clock_.Now());
    });
  };
  EXPECT_THROW(record({{"hospital", "hospital"}, {"condition", "意識レベル低下"}}), Failure);  // no grant
  Open(paramedic_, hanako_);
  EXPECT_THROW(ReadNewTransport({{"condition", "x"}}, clock_.Now()), Failure);                 // no hospital
  EXPECT_THROW(ReadNewTransport({{"hospital_name", "x"}}, clock_.Now()), Failure);             // no condition
  EXPECT_THROW(ReadNewTransport({{"hospital_name", "x"}, {"condition", "x"}, {"departed_at", "2026-11-18T10:00:00"}},
                                clock_.Now()), Failure);                                       // no offset
  EXPECT_THROW(record({{"hospital", "fire"}, {"condition", "x"}}), Failure);                  // not a hospital
  RecordedTransport t = record({{"hospital", "hospital"}, {"condition", "意識レベル低下、血圧低下"}});
  EXPECT_EQ(t.transport["hospital"]["name"], "幡山みなみ病院");
  EXPECT_EQ(t.transport["hospital_access_until"], FormatRfc3339(clock_.Now() + kHospitalGrantMillis));

  EXPECT_TRUE(Allowed(hospital_nurse_, Action::kEmergencySheet, hanako_));
  EXPECT_FALSE(Allowed(clinic_nurse_, Action::kEmergencySheet, hanako_));
  EXPECT_FALSE(Allowed(hospital_nurse_, Action::kEmergencyTransport, hanako_));
  auto posts = db().Read([&](store::Session& s) { return carenet::TimelinePage(s, hanako_, doctor_.user_id, std::nullopt, 5); })["posts"];
  ASSERT_EQ(posts.size(), 2u);
  EXPECT_NE(posts[0]["body"].get<std::string>().find("幡山みなみ病院 へ搬送しました。\n状態: 意識レベル低下、血圧低下"), std::string::npos);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM outbox WHERE dedup_key LIKE 'emergency:transport:%' AND recipient = 'doctor@example.jp'"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM outbox WHERE dedup_key LIKE 'emergency:transport:%' AND recipient = 'clinic@example.jp'"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM outbox WHERE dedup_key LIKE 'emergency:transport:%' AND recipient = 'city@example.jp'"), 0);

  // A free-text hospital is recorded but opens nothing to anyone.
  record({{"hospital_name", "名古屋第一病院"}, {"condition", "転院"}});
  EXPECT_EQ(Count("SELECT COUNT(*) FROM emergency_grants WHERE kind = 'hospital'"), 1);

  clock_.Advance(kHospitalGrantMillis);
  EXPECT_FALSE(Allowed(hospital_nurse_, Action::kEmergencySheet, hanako_));
  db().Write([&](store::Session& s) { CloseExpiredGrants(s, clock_.Now()); });
  EXPECT_EQ(Count("SELECT COUNT(*) FROM emergency_grants WHERE ended_at IS NULL"), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, EmergencyTest, ::testing::ValuesIn(store::TestBackends()));

}  // namespace
}  // namespace moyakko::emergency
