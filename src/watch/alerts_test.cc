#include "watch/alerts.h"

#include <gtest/gtest.h>

#include "common/error.h"
#include "registry/persons.h"
#include "store/testing.h"
#include "watch/monitor.h"
#include "watch/store.h"

namespace moyakko::watch {
namespace {

constexpr UnixMillis kMin = 60 * 1000;
constexpr UnixMillis kHour = 60 * kMin;
constexpr UnixMillis kMidnight = 1764082800000;  // 2025-11-26 00:00 Japan
constexpr UnixMillis At(int hour, int minute = 0) { return kMidnight + hour * kHour + minute * kMin; }

class AlertsTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    test_ = std::make_unique<store::TestDatabase>(GetParam());
    if (!test_->available()) GTEST_SKIP() << "MOYAKKO_TEST_PG_URL not set";
    db().Write([&](store::Session& s) {
      tenant_ = s.QueryOne("INSERT INTO tenants (code, name, created_at) VALUES ('seto', '瀬戸市', 0) RETURNING id")->Int(0);
      std::int64_t person = registry::AddPerson(s, {.tenant_id = tenant_, .family_name = "鈴木", .given_name = "花子"}, 0);
      household_ = AddHousehold(s, {.tenant_id = tenant_, .person_id = person}, At(-48));
      for (const char* name : {"op.a", "op.b"}) {
        operators_.push_back({s.QueryOne("INSERT INTO users (tenant_id, username, display_name, role, password_hash, "
                                         "created_at, updated_at) VALUES ($1, $2, $2, 'call_operator', 'x', 0, 0) "
                                         "RETURNING id", {tenant_, std::string(name)})->Int(0),
                              name, "call_operator"});
      }
      auto credential = AddDevice(s, tenant_, household_, At(-48));
      device_ = *FindDeviceByToken(s, credential.token);
    });
  }
  store::Database& db() { return test_->db(); }
  // Readings up to `upload`: an opening at `last_opening`, a normal room.
  std::vector<std::int64_t> Upload(UnixMillis upload, UnixMillis last_opening) {
    return db().Write([&](store::Session& s) {
      StoreReadings(s, device_, {{seq_++, last_opening, ReadingKind::kDoor, 1},
                                 {seq_++, last_opening + kMin, ReadingKind::kDoor, 0},
                                 {seq_++, upload - kMin, ReadingKind::kTemperature, 20},
                                 {seq_++, upload - kMin, ReadingKind::kHumidity, 50}}, upload);
      return EvaluateHousehold(s, household_, upload);
    });
  }
  Alert Get(std::int64_t id) { return *db().Read([&](store::Session& s) { return GetAlert(s, tenant_, id); }); }
  std::string ErrorOf(const std::function<void(store::Session&)>& work) {
    try {
      db().Write(work);
    } catch (const Failure& f) {
      return f.error().slug;
    }
    return "ok";
  }
  std::int64_t OpenNoActivityAlert() {
    auto opened = Upload(At(14), At(7, 30));
    EXPECT_EQ(opened.size(), 1u);
    return opened.at(0);
  }
  std::unique_ptr<store::TestDatabase> test_;
  std::int64_t tenant_ = 0, household_ = 0, seq_ = 1;
  std::vector<Actor> operators_;
  DeviceIdentity device_;
};

TEST_P(AlertsTest, SilenceOpensOneAlertWithItsReason) {
  EXPECT_TRUE(Upload(At(8), At(7, 30)).empty());
  std::int64_t id = OpenNoActivityAlert();
  Alert alert = Get(id);
  EXPECT_EQ(alert.kind, "no_activity");
  EXPECT_EQ(alert.state, "open");
  EXPECT_EQ(alert.text.rfind("7:30以降、冷蔵庫の開閉がありません", 0), 0u) << alert.text;
  ASSERT_EQ(alert.steps.size(), 1u);
  EXPECT_EQ(alert.steps[0].action, "opened");
  // Still silent at the next upload: the open alert is not duplicated.
  EXPECT_TRUE(Upload(At(14, 30), At(7, 30)).empty());
  auto open = db().Read([&](store::Session& s) { return ListAlerts(s, {.tenant_id = tenant_}); });
  EXPECT_EQ(open.size(), 1u);
}

TEST_P(AlertsTest, AClosedSituationIsNotRaisedAgainButANewOneIs) {
  std::int64_t id = OpenNoActivityAlert();
  db().Write([&](store::Session& s) {
    ClaimAlert(s, tenant_, id, operators_[0], At(14, 1));
    CloseAlert(s, tenant_, id, operators_[0], "resident_fine", "", At(14, 10));
  });
  // The same silence since 7:30, evaluated again: the operator already dealt with it.
  EXPECT_TRUE(Upload(At(14, 30), At(7, 30)).empty());
  // She opened the fridge at 15:00 and then nothing until the next evening: a new silence.
  EXPECT_TRUE(Upload(At(15, 30), At(15)).empty());
  EXPECT_EQ(Upload(At(24 + 8), At(15)).size(), 1u);
}

TEST_P(AlertsTest, MissedUploadFiresFromTheScheduleWithoutAnyReading) {
  Upload(At(8), At(7, 50));
  auto due = db().Read([&](store::Session& s) { return s.QueryOne("SELECT due_at FROM watch_deadlines")->Int(0); });
  EXPECT_EQ(due, At(9)) << "the 08:00 upload has arrived; next checks: 15:00 (14:00 + grace) — or earlier";
  // Nothing arrives. The monitor pass at 15:00:01 finds the 14:00 upload missing.
  MonitorPass early = db().Write([&](store::Session& s) { return RunMonitorPass(s, At(9)); });
  EXPECT_TRUE(early.alerts_opened.empty());
  MonitorPass pass = db().Write([&](store::Session& s) { return RunMonitorPass(s, At(15, 0) + 1000); });
  ASSERT_EQ(pass.alerts_opened.size(), 1u);
  EXPECT_EQ(Get(pass.alerts_opened[0]).kind, "missed_upload");
}

TEST_P(AlertsTest, OnlyOneOperatorCanHoldAnAlert) {
  std::int64_t id = OpenNoActivityAlert();
  EXPECT_EQ(ErrorOf([&](store::Session& s) { ClaimAlert(s, tenant_, id, operators_[0], At(14, 1)); }), "ok");
  EXPECT_EQ(ErrorOf([&](store::Session& s) { ClaimAlert(s, tenant_, id, operators_[1], At(14, 2)); }), "already_claimed");
  EXPECT_EQ(ErrorOf([&](store::Session& s) {
              RecordStep(s, tenant_, id, operators_[1], {"call_resident", "", "no_answer", ""}, At(14, 2));
            }), "not_claimed");
  EXPECT_EQ(Get(id).claimed_by, operators_[0].user_id);
}

TEST_P(AlertsTest, TheCallSequenceIsRecordedAndClosingNeedsAnOutcome) {
  std::int64_t id = OpenNoActivityAlert();
  const Actor& op = operators_[0];
  db().Write([&](store::Session& s) {
    ClaimAlert(s, tenant_, id, op, At(14, 1));
    RecordStep(s, tenant_, id, op, {"call_resident", "", "no_answer", ""}, At(14, 2));
    RecordStep(s, tenant_, id, op, {"call_family", "1", "no_answer", "長女 留守電"}, At(14, 5));
    RecordStep(s, tenant_, id, op, {"handover_city", "", "", "訪問依頼"}, At(14, 8));
  });
  Alert alert = Get(id);
  EXPECT_EQ(alert.state, "city");
  EXPECT_EQ(alert.level, 3);
  EXPECT_EQ(ErrorOf([&](store::Session& s) {
              RecordStep(s, tenant_, id, op, {"call_resident", "", "maybe", ""}, At(14, 9));
            }), "invalid_outcome");
  EXPECT_EQ(ErrorOf([&](store::Session& s) { CloseAlert(s, tenant_, id, op, "", "", At(14, 10)); }), "invalid_outcome");
  EXPECT_EQ(ErrorOf([&](store::Session& s) {
              RecordStep(s, tenant_, id, op, {"call_resident", "", "", ""}, At(14, 9));
            }), "invalid_outcome") << "a call needs its outcome";
  EXPECT_EQ(ErrorOf([&](store::Session& s) { CloseAlert(s, tenant_, id, operators_[1], "other", "", At(14, 10)); }),
            "not_claimed") << "another operator closed an alert they do not hold";
  EXPECT_EQ(ErrorOf([&](store::Session& s) {
              RecordStep(s, tenant_, id, op, {"city_visit", "", "fine", ""}, At(14, 10));
            }), "city_only") << "a call operator recorded the city's visit";
  EXPECT_EQ(ErrorOf([&](store::Session& s) { RecordStep(s, tenant_, id, op, {"handover_city", "", "", ""}, At(14, 10)); }),
            "already_with_city");
  db().Write([&](store::Session& s) {
    RecordStep(s, tenant_, id, {99, "市職員", "city_officer"}, {"city_visit", "", "needs_help", "転倒、意識あり"}, At(14, 40));
    RecordStep(s, tenant_, id, op, {"call_119", "陶生病院", "", "14:45 救急要請"}, At(14, 45));
    CloseAlert(s, tenant_, id, op, "transported", "", At(15, 30));
  });
  alert = Get(id);
  EXPECT_EQ(alert.state, "closed");
  EXPECT_EQ(alert.level, 4);
  EXPECT_EQ(alert.outcome, "transported");
  std::vector<std::string> actions;
  for (const AlertStep& step : alert.steps) actions.push_back(step.action);
  EXPECT_EQ(actions, (std::vector<std::string>{"opened", "claim", "call_resident", "call_family", "handover_city",
                                               "city_visit", "call_119", "close"}));
  EXPECT_EQ(ErrorOf([&](store::Session& s) { CloseAlert(s, tenant_, id, op, "other", "", At(16)); }), "closed");
  // Closed frees the slot: the same kind can open again.
  EXPECT_EQ(Upload(At(24 + 14), At(24 + 7)).size(), 1u);
}

TEST_P(AlertsTest, TimersRenotifyThenEscalateEachExactlyOnce) {
  std::int64_t id = OpenNoActivityAlert();  // opened at 14:00, unclaimed
  auto fire = [&](UnixMillis now) { return db().Write([&](store::Session& s) { return FireAlertTimers(s, now); }); };
  EXPECT_TRUE(fire(At(14, 9)).empty());
  EXPECT_EQ(fire(At(14, 10)).size(), 1u);
  EXPECT_TRUE(fire(At(14, 10)).empty()) << "the same timer fired twice";
  db().Write([&](store::Session& s) { ClaimAlert(s, tenant_, id, operators_[0], At(14, 11)); });
  EXPECT_TRUE(fire(At(14, 40)).empty());
  EXPECT_EQ(fire(At(14, 41)).size(), 1u);  // 30 min without progress
  Alert alert = Get(id);
  EXPECT_EQ(alert.level, 2);
  std::vector<std::string> actions;
  for (const AlertStep& step : alert.steps) actions.push_back(step.action);
  EXPECT_EQ(actions, (std::vector<std::string>{"opened", "renotify", "claim", "escalate"}));
}

TEST_P(AlertsTest, TheMunicipalitysTimersDriveTheEscalation) {
  db().Write([&](store::Session& s) {
    s.Execute("INSERT INTO watch_thresholds (tenant_id, household_id, settings, updated_at) VALUES ($1, 0, $2, 0)",
              {tenant_, std::string(R"({"renotify_unclaimed_minutes": 5, "escalate_idle_minutes": 15})")});
  });
  std::int64_t id = OpenNoActivityAlert();  // opened at 14:00 through the rules, unclaimed
  EXPECT_EQ(Get(id).timer_at, At(14, 5));
  // Through the monitor, as in production: the pass looks the timers up per household.
  auto pass = [&](UnixMillis now) {
    return db().Write([&](store::Session& s) { return RunMonitorPass(s, now).alert_timers_fired; });
  };
  EXPECT_EQ(pass(At(14, 5)).size(), 1u);
  EXPECT_EQ(Get(id).timer_at, At(14, 10));
  db().Write([&](store::Session& s) {
    ClaimAlert(s, tenant_, id, operators_[0], At(14, 6), TimersForAlert(s, tenant_, id));
  });
  EXPECT_TRUE(pass(At(14, 20)).empty());
  EXPECT_EQ(pass(At(14, 21)).size(), 1u);  // 15 min without progress
  EXPECT_EQ(Get(id).level, 2);
}

TEST_P(AlertsTest, HouseholdThresholdsOverrideTheMunicipalitysAndTheRulesUseThem) {
  db().Write([&](store::Session& s) {
    s.Execute("INSERT INTO watch_thresholds (tenant_id, household_id, settings, updated_at) VALUES ($1, 0, $2, 0)",
              {tenant_, std::string(R"({"no_activity_hours": 8, "battery_low": 30})")});
    s.Execute("INSERT INTO watch_thresholds (tenant_id, household_id, settings, updated_at) VALUES ($1, $2, $3, 0)",
              {tenant_, household_, std::string(R"({"no_activity_hours": 3})")});
  });
  Thresholds t = db().Read([&](store::Session& s) { return LoadThresholds(s, tenant_, household_); });
  EXPECT_EQ(t.no_activity_hours, 3);
  EXPECT_DOUBLE_EQ(t.battery_low, 30);
  // Last opening 10:30, upload 14:00: 3.5 waking hours idle — over this household's 3.
  auto opened = Upload(At(14), At(10, 30));
  ASSERT_EQ(opened.size(), 1u);
  EXPECT_EQ(Get(opened[0]).kind, "no_activity");
}

TEST_P(AlertsTest, ANewAlertQueuesNotificationsForTheCallCentreAndWebhooksOnce) {
  db().Write([&](store::Session& s) {
    s.Execute("INSERT INTO notify_preferences (user_id, channel, address) VALUES ($1, 'email', 'op-a@example.jp')",
              {operators_[0].user_id});
    s.Execute("INSERT INTO notify_webhooks (tenant_id, url, secret, created_at) VALUES ($1, 'http://127.0.0.1:9/hook', "
              "'0123456789abcdef', 0)", {tenant_});
  });
  std::int64_t id = OpenNoActivityAlert();
  Upload(At(14, 30), At(7, 30));  // the same alert stays open: nothing more is queued
  auto rows = db().Read([](store::Session& s) { return s.Query("SELECT channel, recipient, dedup_key, body FROM outbox ORDER BY id"); });
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].Text(1), "op-a@example.jp");
  EXPECT_EQ(rows[0].Text(2), "alert:" + std::to_string(id) + ":opened:user:" + std::to_string(operators_[0].user_id));
  EXPECT_NE(rows[0].Text(3).find("冷蔵庫の開閉がありません"), std::string::npos);
  EXPECT_EQ(rows[1].Text(0), "webhook");
  EXPECT_EQ(nlohmann::json::parse(rows[1].Text(3))["alert"], id);
}

INSTANTIATE_TEST_SUITE_P(Backends, AlertsTest, ::testing::ValuesIn(store::TestBackends()));

}  // namespace
}  // namespace moyakko::watch
