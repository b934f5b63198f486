// Life records against both databases: idempotent writes, conflicts, history, templates,
// notices to the team, daily figures and what a paramedic sees.
#include "lifelog/records.h"

#include <gtest/gtest.h>

#include "carenet/test_town.h"
#include "carenet/timeline.h"
#include "common/error.h"

namespace moyakko::lifelog {
namespace {

using auth::Action;
using nlohmann::json;

constexpr UnixMillis kMinute = 60000;
constexpr UnixMillis kHour = 60 * kMinute;
// 2026-11-20 00:00 in Japan (UTC+9).
constexpr UnixMillis kMidnight = 1795100400000;

class LifelogTest : public carenet::CarenetTest {
 protected:
  void SetUp() override {
    carenet::CarenetTest::SetUp();
    if (IsSkipped()) return;
    db().Write([&](store::Session& s) {
      child_ = registry::AddPerson(s, {.tenant_id = seto_, .family_name = "山崎", .given_name = "陽向",
                                       .family_kana = "ヤマザキ", .given_kana = "ヒナタ", .birth_date = "2016-06-18"}, 0);
      other_child_ = registry::AddPerson(s, {.tenant_id = seto_, .family_name = "古川", .given_name = "結衣",
                                             .family_kana = "フルカワ", .given_kana = "ユイ", .birth_date = "2020-02-09"}, 0);
      s.Execute("INSERT INTO family_links (user_id, person_id, created_at) VALUES ($1, $2, 0)", {family_.user_id, child_});
      school_ = User(s, seto_, "school", auth::Role::kSchoolStaff);
    });
    Register(child_, doctor_);
    Register(other_child_, doctor_);
    Join(child_, nurse_, doctor_);
    Join(child_, school_, doctor_);
  }

  PersonRef Person(std::int64_t id = 0, UnixMillis now = kMidnight + 12 * kHour) {
    return db().Read([&](store::Session& s) { return LoadPerson(s, id ? id : child_, now); });
  }
  WriteOutcome Write(const auth::Principal& author, const std::string& client_id, json values, int base_version = 0,
                     std::optional<UnixMillis> at = kMidnight + 8 * kHour, std::int64_t person = 0,
                     UnixMillis now = kMidnight + 12 * kHour) {
    RecordWrite w;
    w.client_id = client_id;
    w.recorded_at = at;
    w.values = std::move(values);
    w.base_version = base_version;
    PersonRef ref = Person(person, now);
    return db().Write([&](store::Session& s) { return WriteRecord(s, ref, author, w, now); });
  }
  std::string WriteError(const auth::Principal& author, const std::string& client_id, json values, int base = 0,
                         std::int64_t person = 0) {
    try {
      Write(author, client_id, std::move(values), base, kMidnight + 8 * kHour, person);
    } catch (const Failure& f) {
      return f.error().slug;
    }
    return "";
  }
  std::int64_t Count(const std::string& table) {
    return db().Read([&](store::Session& s) { return s.QueryOne("SELECT COUNT(*) FROM " + table)->Int(0); });
  }
  json Timeline() {
    return db().Read([&](store::Session& s) { return carenet::TimelinePage(s, child_, doctor_.user_id, std::nullopt, 50); });
  }

  std::int64_t child_ = 0, other_child_ = 0;
  auth::Principal school_;
};

TEST_P(LifelogTest, AResentRecordIsRecognisedAndAStaleChangeIsAConflict) {
  WriteOutcome created = Write(family_, "rec-00000001", {{"feeding_ml", 200}});
  EXPECT_EQ(created.kind, WriteKind::kCreated);
  EXPECT_EQ(created.record["version"], 1);
  EXPECT_EQ(created.record["local_time"], "2026-11-20 08:00");
  // The phone lost the answer and sends the same again: nothing new.
  EXPECT_EQ(Write(family_, "rec-00000001", {{"feeding_ml", 200.0}}).kind, WriteKind::kReplayed);
  EXPECT_EQ(Count("lifelog_records"), 1);
  // A change against version 1 is version 2; the same change resent is recognised too.
  EXPECT_EQ(Write(family_, "rec-00000001", {{"feeding_ml", 180}}, 1).kind, WriteKind::kChanged);
  EXPECT_EQ(Write(family_, "rec-00000001", {{"feeding_ml", 180}}, 1).kind, WriteKind::kReplayed);
  // A second phone still holding version 1 changes it otherwise: a conflict, nothing written.
  WriteOutcome conflict = Write(family_, "rec-00000001", {{"feeding_ml", 150}}, 1);
  EXPECT_EQ(conflict.kind, WriteKind::kConflict);
  EXPECT_EQ(conflict.record["version"], 2);
  EXPECT_EQ(conflict.record["values"]["feeding_ml"], 180);
  // So is a create that meets a different record under the same id.
  EXPECT_EQ(Write(family_, "rec-00000001", {{"feeding_ml", 150}}).kind, WriteKind::kConflict);
  // Keeping one's own version means writing it against the current one.
  EXPECT_EQ(Write(family_, "rec-00000001", {{"feeding_ml", 150}}, 2).kind, WriteKind::kChanged);
  json history = db().Read([&](store::Session& s) { return HistoryJson(s, Person(), "rec-00000001"); });
  ASSERT_EQ(history["versions"].size(), 3u);
  EXPECT_EQ(history["versions"][0]["values"]["feeding_ml"], 200);
  EXPECT_EQ(history["versions"][2]["values"]["feeding_ml"], 150);
  EXPECT_EQ(Count("lifelog_records"), 1);
}

TEST_P(LifelogTest, OnlyTheAuthorChangesARecordAndIdsAreNotShared) {
  Write(family_, "rec-00000002", {{"suction", 1}});
  EXPECT_EQ(WriteError(nurse_, "rec-00000002", {{"suction", 2}}, 1), "not_author");
  EXPECT_EQ(WriteError(family_, "rec-00000002", {{"suction", 2}}, 0, other_child_), "client_id_taken");
  EXPECT_EQ(WriteError(family_, "rec-00000003", {{"suction", 2}}, 4), "no_such_record");
  EXPECT_EQ(WriteError(family_, "rec-00000004", json::object()), "empty_record");
  EXPECT_EQ(WriteError(family_, "rec-00000004", {{"weight", 20}}), "unknown_field");
  EXPECT_EQ(Count("lifelog_records"), 1);
  EXPECT_EQ(Count("lifelog_record_versions"), 1);
}

TEST_P(LifelogTest, RecordsAreNotFromTheFutureNorTooOld) {
  UnixMillis now = kMidnight + 12 * kHour;
  EXPECT_THROW(Write(family_, "rec-future1", {{"suction", 1}}, 0, now + 6 * kMinute), Failure);
  EXPECT_NO_THROW(Write(family_, "rec-future2", {{"suction", 1}}, 0, now + 4 * kMinute));
  EXPECT_THROW(Write(family_, "rec-old00001", {{"suction", 1}}, 0, now - 401LL * 24 * kHour), Failure);
}

TEST_P(LifelogTest, AValueOutOfRangeIsToldToTheTeamOnce) {
  WriteOutcome low = Write(family_, "rec-spo2-001", {{"spo2", 88}, {"pulse", 120}});
  EXPECT_EQ(low.record["out_of_range"], json::array({"spo2"}));
  ASSERT_TRUE(low.notice);
  json posts = Timeline()["posts"];
  ASSERT_EQ(posts.size(), 1u);
  EXPECT_EQ(posts[0]["kind"], "lifelog");
  EXPECT_NE(posts[0]["body"].get<std::string>().find("SpO2 88 %（基準 92–100 %）"), std::string::npos);
  EXPECT_NE(posts[0]["body"].get<std::string>().find("2026-11-20 08:00"), std::string::npos);
  // Resent, or changed with SpO2 still low: no second notice. A new value out of range: one more.
  EXPECT_FALSE(Write(family_, "rec-spo2-001", {{"spo2", 88}, {"pulse", 120}}).notice);
  EXPECT_FALSE(Write(family_, "rec-spo2-001", {{"spo2", 89}, {"pulse", 120}}, 1).notice);
  EXPECT_TRUE(Write(family_, "rec-spo2-001", {{"spo2", 89}, {"pulse", 150}}, 2).notice);
  EXPECT_EQ(Timeline()["posts"].size(), 2u);
  // The elderly preset does not notify until the team asks for it.
  Register(hanako_, doctor_);
  db().Write([&](store::Session& s) {
    s.Execute("INSERT INTO family_links (user_id, person_id, created_at) VALUES ($1, $2, 0)", {family_.user_id, hanako_});
  });
  WriteOutcome fever = Write(family_, "rec-fever-01", {{"temperature", 38.2}}, 0, kMidnight, hanako_);
  EXPECT_EQ(fever.record["out_of_range"], json::array({"temperature"}));
  EXPECT_FALSE(fever.notice);
}

TEST_P(LifelogTest, TemplatesAreVersionedAndRangesApplyFromThen) {
  PersonRef child = Person();
  PersonTemplate preset = db().Read([&](store::Session& s) { return CurrentTemplate(s, child); });
  EXPECT_EQ(preset.version, 0);
  EXPECT_EQ(preset.tmpl.kind, "pediatric");
  Template lower = preset.tmpl;
  for (Field& f : lower.fields) {
    if (f.key == "spo2") f.min = 88;  // this child lives with lower saturation
  }
  db().Write([&](store::Session& s) { SaveTemplate(s, child, lower, 0, doctor_.user_id, 1000); });
  auto stale = [&] { db().Write([&](store::Session& s) { SaveTemplate(s, child, lower, 0, nurse_.user_id, 2000); }); };
  EXPECT_THROW(stale(), Failure);
  PersonTemplate saved = db().Read([&](store::Session& s) { return CurrentTemplate(s, child); });
  EXPECT_EQ(saved.version, 1);
  EXPECT_EQ(saved.updated_by, doctor_.user_id);
  EXPECT_TRUE(Write(family_, "rec-spo2-002", {{"spo2", 89}}).record["out_of_range"].empty());
}

TEST_P(LifelogTest, DaysAreLocalAndFiguresSumUpEachDay) {
  UnixMillis later = kMidnight + 48 * kHour;
  Write(family_, "rec-day1-001", {{"spo2", 95}, {"feeding_ml", 200}}, 0, kMidnight + 7 * kHour, 0, later);
  Write(family_, "rec-day1-002", {{"spo2", 91}, {"feeding_ml", 150}, {"seizure_sec", 40}}, 0,
        kMidnight + 23 * kHour + 59 * kMinute, 0, later);
  Write(family_, "rec-day2-001", {{"seizure_sec", 30}}, 0, kMidnight + 24 * kHour + kMinute, 0, later);
  json daily = db().Read([&](store::Session& s) { return DailyJson(s, Person(), "2026-11-20", "2026-11-22"); });
  EXPECT_EQ(daily["dates"], json::array({"2026-11-20", "2026-11-21", "2026-11-22"}));
  auto series = [&](const std::string& key) {
    for (const json& s : daily["series"]) {
      if (s["key"] == key) return s["days"];
    }
    return json();
  };
  EXPECT_EQ(series("spo2")[0]["low"], 91);
  EXPECT_EQ(series("spo2")[0]["mean"], 93);
  EXPECT_EQ(series("spo2")[0]["high"], 95);
  EXPECT_EQ(series("feeding_ml")[0]["sum"], 350);
  EXPECT_EQ(series("seizure_sec")[0]["n"], 1);
  EXPECT_EQ(series("seizure_sec")[1]["n"], 1);
  EXPECT_EQ(series("seizure_sec")[2]["n"], 0);
  EXPECT_TRUE(series("spo2")[2]["mean"].is_null());
  json records = db().Read([&](store::Session& s) { return RecordsJson(s, Person(), "2026-11-21", "2026-11-21"); });
  ASSERT_EQ(records["records"].size(), 1u);
  EXPECT_EQ(records["records"][0]["local_time"], "2026-11-21 00:01");
  auto range_error = [&](const std::string& from, const std::string& to) {
    try {
      db().Read([&](store::Session& s) { return RecordsJson(s, Person(), from, to); });
    } catch (const Failure& f) {
      return f.error().slug;
    }
    return std::string();
  };
  EXPECT_EQ(range_error("2026-11-22", "2026-11-20"), "invalid_range");
  EXPECT_EQ(range_error("2026-01-01", "2026-11-20"), "range_too_long");
  EXPECT_EQ(range_error("2026-02-30", "2026-03-01"), "invalid_date");
}

TEST_P(LifelogTest, CommentsTravelWithTheirRecord) {
  Write(family_, "rec-comment1", {{"suction", 3}});
  db().Write([&](store::Session& s) { AddComment(s, Person(), "rec-comment1", nurse_.user_id, "夜間の吸引が増えていますね", 5000); });
  json records = db().Read([&](store::Session& s) { return RecordsJson(s, Person(), "2026-11-20", "2026-11-20"); });
  ASSERT_EQ(records["records"][0]["comments"].size(), 1u);
  EXPECT_EQ(records["records"][0]["comments"][0]["author"]["id"], nurse_.user_id);
  auto comment_elsewhere = [&] {
    db().Write([&](store::Session& s) { AddComment(s, Person(other_child_), "rec-comment1", nurse_.user_id, "x", 6000); });
  };
  EXPECT_THROW(comment_elsewhere(), Failure);
}

TEST_P(LifelogTest, SchoolStaffSeeOnlyTheirChildren) {
  EXPECT_TRUE(Decide(school_, Action::kLifelogRead, child_).allowed);
  EXPECT_TRUE(Decide(school_, Action::kLifelogWrite, child_).allowed);
  EXPECT_FALSE(Decide(school_, Action::kLifelogRead, other_child_).allowed);
  EXPECT_FALSE(Decide(school_, Action::kLifelogTemplate, child_).allowed);
  EXPECT_TRUE(Decide(family_, Action::kLifelogWrite, child_).allowed);
  EXPECT_FALSE(Decide(family_, Action::kLifelogRead, other_child_).allowed);
  json listed = db().Read([&](store::Session& s) { return PersonsJson(s, school_, kMidnight); });
  ASSERT_EQ(listed["persons"].size(), 1u);
  EXPECT_EQ(listed["persons"][0]["id"], child_);
  EXPECT_EQ(listed["persons"][0]["may_edit_template"], false);
  json family = db().Read([&](store::Session& s) { return PersonsJson(s, family_, kMidnight); });
  EXPECT_EQ(family["persons"].size(), 2u);  // 一郎 and 陽向
}

TEST_P(LifelogTest, AParamedicSeesTheLastThreeDays) {
  UnixMillis now = kMidnight + 12 * kHour;
  Write(family_, "rec-recent01", {{"spo2", 88}, {"medicine", "朝の薬"}}, 0, now - kHour);
  Write(family_, "rec-older001", {{"spo2", 97}}, 0, now - 73 * kHour);
  json recent = db().Read([&](store::Session& s) { return RecentForSheet(s, child_, now); });
  ASSERT_EQ(recent.size(), 1u);
  EXPECT_EQ(recent[0]["local_time"], "2026-11-20 11:00");
  EXPECT_EQ(recent[0]["items"][0], json({{"label", "SpO2"}, {"value", "88 %"}, {"out_of_range", true}}));
  EXPECT_EQ(recent[0]["items"][1]["value"], "朝の薬");
}

INSTANTIATE_TEST_SUITE_P(Backends, LifelogTest, ::testing::ValuesIn(store::TestBackends()));

}  // namespace
}  // namespace moyakko::lifelog
