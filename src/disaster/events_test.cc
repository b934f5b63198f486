// Disaster events and safety confirmation against both databases: the ledger's consent rule
// (a drill never lifts it, a real event does for its area until it ends), safety posts and
// their resends, the city's report and CSV, and silent watch-over households.
#include "disaster/events.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "carenet/test_town.h"
#include "common/error.h"
#include "disaster/broadcast.h"
#include "disaster/places.h"
#include "disaster/safety.h"
#include "registry/persons.h"

namespace moyakko::disaster {
namespace {

constexpr UnixMillis kNow = 1795000000000;
constexpr UnixMillis kHour = 3'600'000;

class DisasterEventTest : public carenet::CarenetTest {
 protected:
  void SetUp() override {
    CarenetTest::SetUp();
    if (IsSkipped()) return;
    InstallRelations();
    db().Write([&](store::Session& s) {
      operator_ = User(s, seto_, "operator", auth::Role::kCallOperator);
      s.Execute("UPDATE persons SET district = '陶本町' WHERE id = $1", {hanako_});
      s.Execute("UPDATE persons SET district = '品野町' WHERE id = $1", {ichiro_});
    });
    // 花子 did not consent to sharing her ledger entry; 一郎 did. The nurse is on both teams.
    AddToLedger(hanako_, false, R"(["home_oxygen","living_alone"])");
    AddToLedger(ichiro_, true, R"(["wheelchair"])");
    Register(hanako_, doctor_);
    Register(ichiro_, doctor_);
    Join(hanako_, nurse_, doctor_);
    Join(ichiro_, nurse_, doctor_);
  }

  void AddToLedger(std::int64_t person, bool consent, const std::string& needs) {
    db().Write([&](store::Session& s) {
      s.Execute("INSERT INTO ledger_entries (person_id, tenant_id, care_level, needs, supporter_name, supporter_phone, "
                "shelter, consent, imported_at, updated_at) VALUES ($1, $2, '要介護2', $3, '町内会', '0561-00-0000', "
                "'陶原小学校', $4, 0, 0)",
                {person, seto_, needs, std::int64_t{consent}});
    });
  }

  Event DeclareEvent(bool drill, std::vector<std::string> area = {}) {
    return db().Write([&](store::Session& s) {
      return Declare(s, seto_, city_.user_id,
                     {.kind = "earthquake", .title = drill ? "訓練" : "地震", .area = area, .drill = drill,
                      .onset_at = kNow - kHour},
                     kNow - kHour);
    });
  }

  std::vector<std::int64_t> Visible(const auth::Principal& who, const Event& event) {
    return db().Read([&](store::Session& s) {
      std::vector<std::int64_t> ids;
      for (const SafetyRow& row : EventPeople(s, who, event, LoadSafetySettings(s, "seto"), kNow)) {
        ids.push_back(row.person_id);
      }
      return ids;
    });
  }

  PostOutcome Post(const auth::Principal& who, const Event& event, std::int64_t person, const std::string& label,
                   std::optional<std::string> client_id = std::nullopt, UnixMillis at = kNow,
                   const std::string& note = "") {
    return db().Write([&](store::Session& s) {
      SafetySettings settings = LoadSafetySettings(s, "seto");
      return PostSafety(s, who, LoadEvent(s, event.id, seto_), person, settings,
                        {.label = label, .location = "shelter", .shelter = "陶原小学校", .note = note,
                         .client_id = client_id},
                        at);
    });
  }

  std::int64_t Count(const std::string& sql) {
    return db().Read([&](store::Session& s) { return s.QueryOne(sql)->Int(0); });
  }

  auth::Principal operator_;
};

TEST_P(DisasterEventTest, DeclaringCopiesTheChecklistsAndLogsWhatHappens) {
  Event event = DeclareEvent(true);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM disaster_checklist"), 16);
  EXPECT_EQ(event.PhaseAt(kNow), "onset");
  EXPECT_EQ(event.PhaseAt(kNow - 30 * kHour), "preparation");
  EXPECT_EQ(event.PhaseAt(kNow + 10 * kHour), "safety_confirmation");
  EXPECT_EQ(event.PhaseAt(kNow + 200 * kHour), "back_to_normal");
  db().Write([&](store::Session& s) {
    std::int64_t item = s.QueryOne("SELECT MIN(id) FROM disaster_checklist")->Int(0);
    nlohmann::json done = SetChecklistDone(s, event, item, true, city_.user_id, kNow);
    EXPECT_FALSE(done["done_at"].is_null());
    EXPECT_EQ(done["done_by"]["id"], city_.user_id);
    // Ticking it again changes nothing and logs nothing.
    SetChecklistDone(s, event, item, true, city_.user_id, kNow);
    EXPECT_THROW(SetChecklistDone(s, event, item + 1000, true, city_.user_id, kNow), Failure);
  });
  nlohmann::json detail = db().Read([&](store::Session& s) { return EventDetailJson(s, event, kNow); });
  ASSERT_EQ(detail["phases"].size(), 6u);
  EXPECT_EQ(detail["phases"][0]["checklist"].size(), 3u);
  ASSERT_EQ(detail["log"].size(), 2u);  // declared, one tick
  EXPECT_EQ(detail["log"][0]["kind"], "checklist");
  EXPECT_EQ(detail["log"][1]["kind"], "declared");
  db().Write([&](store::Session& s) { EndEvent(s, event, city_.user_id, kNow); });
  Event ended = db().Read([&](store::Session& s) { return LoadEvent(s, event.id, seto_); });
  EXPECT_EQ(ended.PhaseAt(kNow), "ended");
  EXPECT_THROW(db().Write([&](store::Session& s) { EndEvent(s, ended, city_.user_id, kNow); }), Failure);
  EXPECT_THROW(Post(city_, ended, hanako_, "blue"), Failure);
}

TEST_P(DisasterEventTest, DeclaringChecksItsInput) {
  auto declare = [&](NewEvent e) {
    db().Write([&](store::Session& s) { Declare(s, seto_, city_.user_id, e, kNow); });
  };
  EXPECT_THROW(declare({.kind = "meteor", .title = "x", .onset_at = kNow}), Failure);
  EXPECT_THROW(declare({.kind = "flood", .title = " ", .onset_at = kNow}), Failure);
  EXPECT_THROW(declare({.kind = "flood", .title = "x", .onset_at = kNow + 121 * kHour}), Failure);
  EXPECT_THROW(declare({.kind = "flood", .title = "x", .area = {""}, .onset_at = kNow}), Failure);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM disaster_events"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM disaster_checklist"), 0);
}

TEST_P(DisasterEventTest, ADrillNeverLiftsConsentARealEventDoesForItsAreaUntilItEnds) {
  Event drill = DeclareEvent(true);
  EXPECT_EQ(Visible(city_, drill).size(), 2u);  // the city keeps the ledger
  EXPECT_EQ(Visible(nurse_, drill), std::vector<std::int64_t>{ichiro_});
  EXPECT_EQ(Visible(operator_, drill), std::vector<std::int64_t>{ichiro_});
  EXPECT_TRUE(Visible(pharmacist_, drill).empty());  // not on the teams
  EXPECT_TRUE(Visible(family_, drill).empty());
  EXPECT_EQ(Decide(nurse_, auth::Action::kDisasterPerson, hanako_).reason, "no_consent");

  // A real event for another district lifts nothing for 陶本町.
  Event elsewhere = DeclareEvent(false, {"品野町"});
  EXPECT_EQ(Decide(nurse_, auth::Action::kDisasterPerson, hanako_).reason, "no_consent");
  EXPECT_EQ(Visible(nurse_, elsewhere), std::vector<std::int64_t>{ichiro_});

  Event quake = DeclareEvent(false);
  auth::Decision lifted = Decide(nurse_, auth::Action::kDisasterSafety, hanako_);
  EXPECT_TRUE(lifted.allowed);
  EXPECT_EQ(lifted.reason, "disaster_declared");
  EXPECT_EQ(Visible(nurse_, quake).size(), 2u);
  EXPECT_EQ(Visible(operator_, quake).size(), 2u);
  EXPECT_EQ(Visible(nurse_, drill), std::vector<std::int64_t>{ichiro_});  // the drill's own view stays

  db().Write([&](store::Session& s) {
    EndEvent(s, quake, city_.user_id, kNow);
    EndEvent(s, elsewhere, city_.user_id, kNow);
  });
  EXPECT_FALSE(Decide(nurse_, auth::Action::kDisasterPerson, hanako_).allowed);
  EXPECT_FALSE(Decide(stranger_, auth::Action::kDisasterPerson, ichiro_).allowed);
}

// The map's people are kept between requests: every change to the ledger or to the register
// must show at the next read, as a read without the cache shows it.
TEST_P(DisasterEventTest, TheLedgerCacheShowsEveryChangeOfTheLedgerAndTheRegister) {
  Event drill = DeclareEvent(true);
  LedgerPeopleCache cache;
  auto listed = [&](LedgerPeopleCache* through) {
    return db().Read([&](store::Session& s) {
      std::vector<std::string> lines;
      for (const SafetyRow& r : EventPeople(s, city_, drill, LoadSafetySettings(s, "seto"), kNow, true, through)) {
        lines.push_back(fmt::format("{}|{}|{}|{}|{}|{}|{}", r.person_id, r.name, r.kana, r.district, r.needs_json,
                                    r.consent, r.address));
      }
      return lines;
    });
  };
  auto expect_as_read = [&](std::size_t people) {
    std::vector<std::string> cached = listed(&cache);
    EXPECT_EQ(cached, listed(nullptr));
    EXPECT_EQ(cached.size(), people);
  };
  expect_as_read(2);
  auto kept = [&] { return db().Read([&](store::Session& s) { return cache.Get(s, seto_); }); };
  EXPECT_EQ(kept(), kept()) << "nothing changed: the people read before";

  db().Write([&](store::Session& s) {
    s.Execute("UPDATE persons SET family_name = '佐藤', address = '瀬戸市西本町1丁目' WHERE id = $1", {hanako_});
  });
  expect_as_read(2);
  db().Write([&](store::Session& s) {
    s.Execute("UPDATE ledger_entries SET needs = '[\"dialysis\"]', consent = 1 WHERE person_id = $1", {hanako_});
  });
  expect_as_read(2);
  std::int64_t newcomer = db().Write([&](store::Session& s) {
    return registry::AddPerson(s, {.tenant_id = seto_, .family_name = "青木", .given_name = "次郎", .family_kana = "アオキ",
                                   .given_kana = "ジロウ", .district = "陶本町"},
                               kNow);
  });
  expect_as_read(2);  // in the register, not yet on the ledger
  AddToLedger(newcomer, true, R"(["bedridden"])");
  expect_as_read(3);
  db().Write([&](store::Session& s) { s.Execute("DELETE FROM ledger_entries WHERE person_id = $1", {ichiro_}); });
  expect_as_read(2);
  AddToLedger(ichiro_, true, R"(["wheelchair"])");  // back, under the same count as before the delete
  expect_as_read(3);
}

TEST_P(DisasterEventTest, APostUpdatesTheStatusTellsTheTeamAndAResendStoresNothing) {
  Event drill = DeclareEvent(true);
  std::int64_t timeline_before = Count("SELECT COUNT(*) FROM timeline_posts WHERE kind = 'safety'");
  PostOutcome first = Post(nurse_, drill, ichiro_, "blue", "device-post-0001");
  EXPECT_FALSE(first.replayed);
  EXPECT_EQ(first.body["status"]["label"], "blue");
  EXPECT_EQ(first.body["status"]["location"], "shelter");
  EXPECT_TRUE(first.notice.has_value());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM timeline_posts WHERE kind = 'safety'"), timeline_before + 1);

  PostOutcome again = Post(nurse_, drill, ichiro_, "blue", "device-post-0001");
  EXPECT_TRUE(again.replayed);
  EXPECT_EQ(again.body["post"]["id"], first.body["post"]["id"]);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM safety_posts"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM timeline_posts WHERE kind = 'safety'"), timeline_before + 1);
  // The same id for someone else, or for other words, is a mistake, not a resend.
  EXPECT_THROW(Post(nurse_, drill, hanako_, "blue", "device-post-0001"), Failure);
  EXPECT_THROW(Post(nurse_, drill, ichiro_, "red", "device-post-0001"), Failure);

  Post(city_, drill, ichiro_, "red", std::nullopt, kNow + 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM safety_posts"), 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM safety_status"), 1);
  nlohmann::json card = db().Read([&](store::Session& s) {
    return PersonCard(s, drill, ichiro_, LoadSafetySettings(s, "seto"), kNow);
  });
  EXPECT_EQ(card["status"]["label"], "red");
  EXPECT_EQ(card["posts"].size(), 2u);
  EXPECT_EQ(card["needs"], nlohmann::json::array({"wheelchair"}));
  EXPECT_EQ(card["care_team"].size(), 2u);  // the doctor and the nurse

  // Nothing of the drill reaches a real event.
  Event quake = DeclareEvent(false);
  nlohmann::json real = db().Read([&](store::Session& s) {
    return PersonCard(s, quake, ichiro_, LoadSafetySettings(s, "seto"), kNow);
  });
  EXPECT_EQ(real["status"]["label"], "yellow");
  EXPECT_TRUE(real["posts"].empty());
}

TEST_P(DisasterEventTest, ThePostChecksItsInput) {
  SafetySettings settings = db().Read([&](store::Session& s) { return LoadSafetySettings(s, "seto"); });
  EXPECT_THROW(ParseSafetyPost({{"label", "green"}}, settings), Failure);
  EXPECT_THROW(ParseSafetyPost({{"label", "blue"}, {"location", "moon"}}, settings), Failure);
  EXPECT_THROW(ParseSafetyPost({{"label", "blue"}, {"note", std::string(2001, 'a')}}, settings), Failure);
  EXPECT_THROW(ParseSafetyPost({{"label", "blue"}, {"client_id", "short"}}, settings), Failure);
  SafetyPost ok = ParseSafetyPost({{"label", "blue"}, {"note", " 無事 "}}, settings);
  EXPECT_EQ(ok.location, "unknown");
  EXPECT_EQ(ok.note, "無事");
}

TEST_P(DisasterEventTest, LabelsAreTheMunicipalitys) {
  nlohmann::json labels = {{"labels",
                            {{{"key", "red"}, {"color", "#ff0000"}, {"name", "救助要請"}, {"name_en", "Rescue"}},
                             {{"key", "ok"}, {"color", "#00aa00"}, {"name", "安全"}, {"name_en", "Safe"}},
                             {{"key", "unknown"}, {"color", "#999999"}, {"name", "不明"}, {"name_en", "Unknown"}}}},
                           {"default_label", "unknown"}};
  db().Write([&](store::Session& s) { SaveSafetySettings(s, "seto", ParseSafetySettings(labels)); });
  Event drill = DeclareEvent(true);
  auto rows = db().Read([&](store::Session& s) {
    return EventPeople(s, city_, drill, LoadSafetySettings(s, "seto"), kNow);
  });
  EXPECT_EQ(rows.front().label, "unknown");
  EXPECT_THROW(Post(city_, drill, ichiro_, "blue"), Failure);  // no longer a label here
  nlohmann::json bad = labels;
  bad["default_label"] = "blue";
  EXPECT_THROW(ParseSafetySettings(bad), Failure);
  bad = labels;
  bad["labels"][1]["key"] = "red";  // twice
  EXPECT_THROW(ParseSafetySettings(bad), Failure);
  bad = labels;
  bad["labels"][1]["color"] = "green";
  EXPECT_THROW(ParseSafetySettings(bad), Failure);
}

TEST_P(DisasterEventTest, TheReportCountsByDistrictAndReplaysProgressHourByHour) {
  Event drill = DeclareEvent(true);
  Post(city_, drill, hanako_, "red", std::nullopt, kNow - kHour / 2);
  Post(city_, drill, ichiro_, "blue", std::nullopt, kNow - kHour / 4);
  Post(city_, drill, hanako_, "blue", std::nullopt, kNow + 90 * 60'000);
  nlohmann::json report = db().Read([&](store::Session& s) {
    SafetySettings settings = LoadSafetySettings(s, "seto");
    return DashboardJson(s, drill, EventPeople(s, city_, drill, settings, kNow + 2 * kHour), settings, kNow + 2 * kHour);
  });
  EXPECT_EQ(report["total"], 2);
  EXPECT_EQ(report["counts"]["blue"], 2);
  EXPECT_EQ(report["counts"]["red"], 0);
  ASSERT_EQ(report["districts"].size(), 2u);
  EXPECT_EQ(report["districts"][0]["district"], "品野町");
  EXPECT_EQ(report["districts"][0]["counts"]["blue"], 1);
  // onset kNow−1h → the onset, kNow, kNow+1h, kNow+2h
  const nlohmann::json& progress = report["progress"];
  ASSERT_EQ(progress.size(), 4u);
  EXPECT_EQ(progress[0]["counts"]["yellow"], 2);
  EXPECT_EQ(progress[1]["counts"]["red"], 1);
  EXPECT_EQ(progress[1]["counts"]["blue"], 1);
  EXPECT_EQ(progress[2]["counts"]["red"], 1);
  EXPECT_EQ(progress[3]["counts"]["blue"], 2);
  EXPECT_EQ(progress[3]["counts"]["yellow"], 0);
}

TEST_P(DisasterEventTest, TheCsvIsSafeToOpenInExcel) {
  Event drill = DeclareEvent(true);
  Post(city_, drill, hanako_, "red", std::nullopt, kNow, "=HYPERLINK(\"http://x\",\"y\"), 至急");
  std::string csv = db().Read([&](store::Session& s) {
    SafetySettings settings = LoadSafetySettings(s, "seto");
    return SafetyCsv(EventPeople(s, city_, drill, settings, kNow, /*with_contacts=*/true), settings, "Asia/Tokyo");
  });
  EXPECT_EQ(csv.rfind("\xEF\xBB\xBF住民番号,氏名,", 0), 0u);
  EXPECT_NE(csv.find("\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\"), 至急\""), std::string::npos) << csv;
  EXPECT_NE(csv.find(",在宅酸素・独居高齢者,要支援,避難所,陶原小学校,"), std::string::npos) << csv;
  EXPECT_EQ(CsvCell("-1+1"), "'-1+1");
  EXPECT_EQ(CsvCell("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(CsvCell("\tx"), "'\tx");
  EXPECT_EQ(CsvCell("0561-82"), "0561-82");
  EXPECT_EQ(CsvCell("a\nb"), "\"a\nb\"");
}

TEST_P(DisasterEventTest, SilentHouseholdsAndASuspectedOutage) {
  // Three more watched people in 陶本町 besides 花子; the city sees all four.
  std::vector<std::int64_t> watched = {hanako_};
  db().Write([&](store::Session& s) {
    for (int i = 0; i < 3; ++i) {
      watched.push_back(registry::AddPerson(s, {.tenant_id = seto_, .family_name = "陶", .given_name = std::to_string(i),
                                                .family_kana = "スエ", .district = "陶本町"}, 0));
    }
  });
  for (std::size_t i = 1; i < watched.size(); ++i) AddToLedger(watched[i], true, "[]");
  db().Write([&](store::Session& s) {
    for (std::size_t i = 0; i < watched.size(); ++i) {
      std::int64_t household = s.QueryOne("INSERT INTO households (tenant_id, person_id, created_at) "
                                          "VALUES ($1, $2, 0) RETURNING id", {seto_, watched[i]})->Int(0);
      s.Execute("INSERT INTO devices (id, household_id, token_hash, created_at) VALUES ($1, $2, $1, 0)",
                {"dev-" + std::to_string(i), household});
      // The first two last uploaded two days ago; the others an hour ago.
      UnixMillis last = i < 2 ? kNow - 48 * kHour : kNow - kHour;
      s.Execute("INSERT INTO household_state (household_id, last_upload_at) VALUES ($1, $2)", {household, last});
    }
  });
  Event drill = DeclareEvent(true);
  auto people = [&] {
    return db().Read([&](store::Session& s) { return EventPeople(s, city_, drill, LoadSafetySettings(s, "seto"), kNow); });
  };
  auto rows = people();
  int silent = 0;
  for (const SafetyRow& r : rows) silent += r.silent ? 1 : 0;
  EXPECT_EQ(silent, 2);
  nlohmann::json outages = OutagesJson(rows);
  ASSERT_EQ(outages.size(), 1u);
  EXPECT_EQ(outages[0]["district"], "陶本町");
  EXPECT_EQ(outages[0]["watched"], 4);
  EXPECT_EQ(outages[0]["silent"], 2);

  // One recovers: 1 of 4 silent is no outage. An ended event reports no silence at all.
  db().Write([&](store::Session& s) {
    s.Execute("UPDATE household_state SET last_upload_at = $1 WHERE household_id = "
              "(SELECT id FROM households WHERE person_id = $2)", {kNow, watched[0]});
  });
  EXPECT_TRUE(OutagesJson(people()).empty());
  db().Write([&](store::Session& s) { EndEvent(s, drill, city_.user_id, kNow); });
  drill = db().Read([&](store::Session& s) { return LoadEvent(s, drill.id, seto_); });
  for (const SafetyRow& r : people()) EXPECT_FALSE(r.silent);
}

TEST_P(DisasterEventTest, ABroadcastListsOnlyWhomTheCallCentreMaySee) {
  Event drill = DeclareEvent(true);
  auto create = [&](const Event& event, Audience audience) {
    return db().Write([&](store::Session& s) {
      return CreateBroadcast(s, city_, LoadEvent(s, event.id, seto_), LoadSafetySettings(s, "seto"),
                             "高齢者等避難を発令しました。", audience, kNow);
    });
  };
  // In a drill 花子, who did not consent, is not on the call centre's list.
  nlohmann::json all = create(drill, {});
  EXPECT_EQ(all["progress"]["total"], 1);
  EXPECT_THROW(create(drill, {.districts = {"陶本町"}}), Failure);  // only 花子 lives there
  EXPECT_EQ(Count("SELECT COUNT(*) FROM broadcasts"), 1);
  nlohmann::json list = db().Read([&](store::Session& s) {
    return BroadcastJson(s, drill, all["id"], LoadSafetySettings(s, "seto"));
  });
  ASSERT_EQ(list["calls"].size(), 1u);
  EXPECT_EQ(list["calls"][0]["person_id"], ichiro_);
  EXPECT_EQ(list["calls"][0]["label"], "yellow");
  std::int64_t call = list["calls"][0]["id"];
  auto record = [&](const std::string& outcome) {
    return db().Write([&](store::Session& s) {
      return RecordCall(s, operator_, drill, LoadSafetySettings(s, "seto"), all["id"], call, outcome, "", kNow);
    });
  };
  EXPECT_THROW(record("maybe"), Failure);
  EXPECT_EQ(record("no_answer").call["attempts"], 1);
  RecordedCall reached = record("reached");
  EXPECT_EQ(reached.call["attempts"], 2);
  EXPECT_EQ(reached.person_id, ichiro_);
  nlohmann::json progress = db().Read([&](store::Session& s) { return BroadcastsJson(s, drill); });
  EXPECT_EQ(progress["broadcasts"][0]["progress"]["called"], 1);
  EXPECT_EQ(progress["broadcasts"][0]["progress"]["outcomes"]["reached"], 1);

  // In a real event everyone is called, and the drill's list stays its own.
  Event quake = DeclareEvent(false);
  EXPECT_EQ(create(quake, {.needs = {"home_oxygen"}})["progress"]["total"], 1);  // 花子
  EXPECT_EQ(create(quake, {.labels = {"yellow"}})["progress"]["total"], 2);
  EXPECT_EQ(db().Read([&](store::Session& s) { return BroadcastsJson(s, quake); })["broadcasts"].size(), 2u);
}

TEST_P(DisasterEventTest, SheltersAndFacilitiesReportPerEvent) {
  std::int64_t clinic = 0, pharmacy = 0;
  auth::Principal clinic_nurse;
  db().Write([&](store::Session& s) {
    auto org = [&](const std::string& code, const std::string& kind) {
      return s.QueryOne("INSERT INTO organizations (tenant_id, code, kind, name, created_at) VALUES ($1, $2, $3, $2, 0) "
                        "RETURNING id", {seto_, code, kind})->Int(0);
    };
    clinic = org("clinic", "clinic");
    pharmacy = org("pharmacy", "pharmacy");
    org("city-hall", "city_department");
    clinic_nurse = User(s, seto_, "clinic_nurse", auth::Role::kNurse, clinic);
  });
  nlohmann::json shelter = db().Write([&](store::Session& s) {
    return AddShelter(s, seto_, ParseShelter({{"name", "陶原小学校"}, {"capacity", 200}, {"lat", 35.22}, {"lon", 137.1},
                                              {"accessibility", {"power", "wheelchair"}}}), 0);
  });
  EXPECT_THROW(db().Write([&](store::Session& s) {
    AddShelter(s, seto_, ParseShelter({{"name", "陶原小学校"}, {"capacity", 10}}), 0);
  }), Failure);
  EXPECT_THROW(ParseShelter({{"name", "x"}, {"capacity", -1}}), Failure);
  EXPECT_THROW(ParseShelter({{"name", "x"}, {"capacity", 1}, {"lat", 35.0}}), Failure);

  Event drill = DeclareEvent(true);
  db().Write([&](store::Session& s) {
    ReportShelter(s, city_, drill, shelter["id"], ParseShelterReport({{"open", true}, {"occupancy", 35}}), kNow);
    EXPECT_THROW(ReportShelter(s, city_, drill, 9999, {.open = true}, kNow), Failure);
    EXPECT_EQ(FacilityTenant(s, drill, clinic), seto_);
    ReportFacility(s, clinic_nurse, drill, clinic,
                   ParseFacilityReport({{"status", "partly"}, {"services", {"外来"}}, {"message", "停電"}}), kNow);
  });
  EXPECT_THROW(ParseFacilityReport({{"status", "burning"}}), Failure);
  EXPECT_TRUE(auth::DecideFacility(clinic_nurse, clinic, seto_).allowed);
  EXPECT_EQ(auth::DecideFacility(clinic_nurse, pharmacy, seto_).reason, "other_facility");
  EXPECT_TRUE(auth::DecideFacility(city_, pharmacy, seto_).allowed);
  EXPECT_FALSE(auth::DecideFacility(family_, clinic, seto_).allowed);

  nlohmann::json places = db().Read([&](store::Session& s) { return PlacesJson(s, drill); });
  ASSERT_EQ(places["shelters"].size(), 1u);
  EXPECT_EQ(places["shelters"][0]["report"]["occupancy"], 35);
  ASSERT_EQ(places["facilities"].size(), 2u) << "the city hall is not a care facility";
  nlohmann::json reported = places["facilities"][0]["id"] == clinic ? places["facilities"][0] : places["facilities"][1];
  EXPECT_EQ(reported["report"]["status"], "partly");
  EXPECT_EQ(reported["report"]["services"], nlohmann::json::array({"外来"}));

  Event quake = DeclareEvent(false);
  nlohmann::json real = db().Read([&](store::Session& s) { return PlacesJson(s, quake); });
  EXPECT_TRUE(real["shelters"][0]["report"].is_null()) << "a drill's reports stay in the drill";
}

INSTANTIATE_TEST_SUITE_P(Backends, DisasterEventTest, ::testing::ValuesIn(store::TestBackends()));

}  // namespace
}  // namespace moyakko::disaster
