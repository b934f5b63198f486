#include "watch/store.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "common/error.h"
#include "registry/persons.h"
#include "store/testing.h"
#include "watch/status_cache.h"

namespace moyakko::watch {
namespace {

constexpr UnixMillis kNow = 1764108000000;  // 2025-11-26T07:00:00+09:00 (22:00Z the day before)
constexpr UnixMillis kMin = 60 * 1000;

class WatchStoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    test_ = std::make_unique<store::TestDatabase>(GetParam());
    if (!test_->available()) GTEST_SKIP() << "MOYAKKO_TEST_PG_URL not set";
    db().Write([&](store::Session& s) {
      tenant_ = s.QueryOne("INSERT INTO tenants (code, name, created_at) VALUES ('seto', '瀬戸市', 0) RETURNING id")->Int(0);
      person_ = registry::AddPerson(s, {.tenant_id = tenant_, .family_name = "鈴木", .given_name = "花子",
                                        .family_kana = "スズキ", .given_kana = "ハナコ"}, 0);
      household_ = AddHousehold(s, {.tenant_id = tenant_, .person_id = person_,
                                    .contacts = {{"family", "鈴木 一郎", "長男", "090-0000-0001"},
                                                 {"city", "瀬戸市 高齢者福祉課", "", "0561-88-2631"}},
                                    .plan_name = "見守りプラン", .plan_monthly_yen = 980,
                                    .plan_started_on = "2025-04-01"}, 0);
      credential_ = AddDevice(s, tenant_, household_, 0);
    });
    device_ = *db().Read([&](store::Session& s) { return FindDeviceByToken(s, credential_.token); });
  }
  store::Database& db() { return test_->db(); }
  IngestResult Store(const std::vector<Reading>& readings) {
    return db().Write([&](store::Session& s) { return StoreReadings(s, device_, readings, kNow); });
  }
  StatusRow StatusOf() {
    auto page = db().Read([&](store::Session& s) { return ListStatus(s, {.tenant_id = tenant_}, kNow, "Asia/Tokyo"); });
    EXPECT_EQ(page.households.size(), 1u);
    return page.households.at(0);
  }
  std::unique_ptr<store::TestDatabase> test_;
  std::int64_t tenant_ = 0, person_ = 0, household_ = 0;
  DeviceCredential credential_;
  DeviceIdentity device_;
};

Reading Door(std::int64_t seq, UnixMillis at, bool open = true) { return {seq, at, ReadingKind::kDoor, open ? 1.0 : 0.0}; }

TEST_P(WatchStoreTest, TokensAreStoredHashedAndFound) {
  EXPECT_EQ(device_.device, credential_.device);
  EXPECT_EQ(device_.household_id, household_);
  EXPECT_EQ(device_.person_id, person_);
  auto stored = db().Read([](store::Session& s) { return s.QueryOne("SELECT token_hash FROM devices")->Text(0); });
  EXPECT_NE(stored, credential_.token);
  EXPECT_FALSE(db().Read([](store::Session& s) { return FindDeviceByToken(s, "nope"); }));
}

TEST_P(WatchStoreTest, RetriedBatchAddsNothing) {
  std::vector<Reading> batch = {Door(1, kNow - 60 * kMin), Door(2, kNow - 59 * kMin, false),
                                {3, kNow - 30 * kMin, ReadingKind::kTemperature, 21.5}};
  IngestResult first = Store(batch);
  EXPECT_EQ(first.accepted, 3);
  EXPECT_EQ(first.duplicates, 0);
  IngestResult retry = Store(batch);
  EXPECT_EQ(retry.accepted, 0);
  EXPECT_EQ(retry.duplicates, 3);
  EXPECT_EQ(StatusOf().door_openings_today, 1) << "a retry must not count openings twice";
}

TEST_P(WatchStoreTest, CountsTodaysOpeningsInLocalTime) {
  // 2025-11-25 23:50 Tokyo is yesterday; 00:10 and 06:30 are today.
  Store({Door(1, kNow - 7 * 60 * kMin - 10 * kMin), Door(2, kNow - 6 * 60 * kMin - 50 * kMin),
         Door(3, kNow - 30 * kMin), Door(4, kNow - 29 * kMin, false)});
  StatusRow row = StatusOf();
  EXPECT_EQ(row.door_openings_today, 2);
  EXPECT_EQ(row.name, "鈴木 花子");
  EXPECT_EQ(row.state, HouseholdState::kOk);
}

TEST_P(WatchStoreTest, LateReadingsDoNotOverwriteNewerState) {
  Store({{1, kNow - 10 * kMin, ReadingKind::kTemperature, 22}});
  Store({{2, kNow - 120 * kMin, ReadingKind::kTemperature, 35}});  // arrives late, older
  EXPECT_DOUBLE_EQ(*StatusOf().temperature, 22);
  Store({{3, kNow - 5 * kMin, ReadingKind::kTemperature, 32}, {4, kNow - 5 * kMin, ReadingKind::kHumidity, 70}});
  StatusRow row = StatusOf();
  EXPECT_DOUBLE_EQ(*row.temperature, 32);
  EXPECT_EQ(row.state, HouseholdState::kAttention);
}

TEST_P(WatchStoreTest, StatusFiltersByKanaAndState) {
  auto page = [&](StatusQuery q) {
    q.tenant_id = tenant_;
    return db().Read([&](store::Session& s) { return ListStatus(s, q, kNow, "Asia/Tokyo"); });
  };
  EXPECT_EQ(page({.text = "ｽｽﾞｷ"}).total, 1);
  EXPECT_EQ(page({.text = "かとう"}).total, 0);
  EXPECT_EQ(page({.state = HouseholdState::kOffline}).total, 1);  // nothing uploaded yet
  Store({Door(1, kNow - kMin)});
  EXPECT_EQ(page({.state = HouseholdState::kOffline}).total, 0);
  EXPECT_EQ(page({.state = HouseholdState::kOk}).total, 1);
  StatusPage all = page({});
  EXPECT_EQ(all.counts[static_cast<int>(HouseholdState::kOk)], 1);
  EXPECT_EQ(all.counts[static_cast<int>(HouseholdState::kOffline)], 0);
}

TEST_P(WatchStoreTest, SeverityOrderPutsAlertsFirst) {
  std::int64_t quiet = db().Write([&](store::Session& s) {
    std::int64_t person = registry::AddPerson(s, {.tenant_id = tenant_, .family_name = "青木", .family_kana = "アオキ"}, 0);
    return AddHousehold(s, {.tenant_id = tenant_, .person_id = person}, 0);
  });
  Store({Door(1, kNow - kMin)});  // 鈴木 uploads: ok; 青木 never did: offline
  auto order = [&](bool by_severity) {
    auto page = db().Read([&](store::Session& s) {
      return ListStatus(s, {.tenant_id = tenant_, .by_severity = by_severity}, kNow, "Asia/Tokyo");
    });
    std::vector<std::int64_t> ids;
    for (const StatusRow& row : page.households) ids.push_back(row.household_id);
    return ids;
  };
  EXPECT_EQ(order(false), (std::vector<std::int64_t>{quiet, household_}));  // アオキ before スズキ
  EXPECT_EQ(order(true), (std::vector<std::int64_t>{quiet, household_}));   // offline before ok
  Store({{2, kNow - kMin, ReadingKind::kTemperature, 30}, {3, kNow - kMin, ReadingKind::kHumidity, 70}});
  EXPECT_EQ(order(true), (std::vector<std::int64_t>{household_, quiet}));   // attention before offline
}

TEST_P(WatchStoreTest, RevokedDevicesAreMarked) {
  EXPECT_TRUE(db().Write([&](store::Session& s) { return RevokeDevice(s, tenant_, credential_.device, kNow); }));
  EXPECT_FALSE(db().Write([&](store::Session& s) { return RevokeDevice(s, tenant_, credential_.device, kNow); }));
  EXPECT_TRUE(db().Read([&](store::Session& s) { return FindDeviceByToken(s, credential_.token); })->revoked);
}

TEST_P(WatchStoreTest, OneHouseholdPerPersonAndValidContacts) {
  auto error = [&](NewHousehold h) {
    try {
      db().Write([&](store::Session& s) { AddHousehold(s, h, 0); });
    } catch (const Failure& f) {
      return f.error().field + ":" + f.error().slug;
    }
    return std::string("ok");
  };
  EXPECT_EQ(error({.tenant_id = tenant_, .person_id = person_}), "person:household_exists");
  EXPECT_EQ(error({.tenant_id = tenant_, .person_id = 999}), "person:unknown_person");
  std::int64_t other = db().Write([&](store::Session& s) {
    return registry::AddPerson(s, {.tenant_id = tenant_, .family_name = "加藤"}, 0);
  });
  EXPECT_EQ(error({.tenant_id = tenant_, .person_id = other, .contacts = {{"friend", "x", "", "1"}}}),
            "contacts[0].kind:invalid_value");
  EXPECT_EQ(error({.tenant_id = tenant_, .person_id = other, .contacts = {{"family", "x", "", ""}}}),
            "contacts[0].phone:invalid_value");
}

TEST_P(WatchStoreTest, StatusSnapshotsFollowEveryPublishedChange) {
  http::EventHub events;
  StatusSnapshots snapshots(db(), events);
  auto get = [&](UnixMillis now) {
    return db().Read([&](store::Session& s) { return snapshots.Get(s, tenant_, now, "Asia/Tokyo"); });
  };
  auto changed = [&](std::int64_t tenant, std::int64_t household) {
    events.Publish({"watch.status", fmt::format(R"({{"household":{}}})", household), tenant, std::nullopt, {}});
  };
  auto first = get(kNow);
  ASSERT_EQ(first->entries.size(), 1u);
  EXPECT_EQ(get(kNow + 500), first) << "nothing published: shared";
  Store({Door(1, kNow - kMin)});
  changed(tenant_ + 1, household_);
  EXPECT_EQ(get(kNow + 501), first) << "another municipality's change";

  changed(tenant_, household_);
  auto patched = get(kNow + 502);
  ASSERT_EQ(patched->entries.size(), 1u);
  EXPECT_TRUE(patched->entries[0]->facts.door_open) << "the household's change is patched in";
  EXPECT_EQ(patched->entries[0]->row.door_openings_today, 1);

  // A new household has no place in kana order yet: the snapshot is read whole.
  std::int64_t aoki = db().Write([&](store::Session& s) {
    std::int64_t person = registry::AddPerson(s, {.tenant_id = tenant_, .family_name = "青木", .family_kana = "アオキ"}, 0);
    return AddHousehold(s, {.tenant_id = tenant_, .person_id = person}, 0);
  });
  changed(tenant_, aoki);
  auto grown = get(kNow + 503);
  ASSERT_EQ(grown->entries.size(), 2u);
  EXPECT_EQ(grown->entries[0]->row.household_id, aoki);
  EXPECT_TRUE(grown->entries[1]->facts.door_open);

  // An event naming no household: everything is read again.
  db().Write([&](store::Session& s) { s.Execute("UPDATE household_state SET temperature = 31.5", {}); });
  events.Publish({"watch.status", "{}", tenant_, std::nullopt, {}});
  EXPECT_EQ(get(kNow + 504)->entries[1]->facts.temperature, 31.5);

  // A change that publishes nothing here shows after a whole read in the background.
  db().Write([&](store::Session& s) { s.Execute("UPDATE persons SET district = '品野'", {}); });
  bool seen = false;
  for (int k = 1; k <= 100 && !seen; ++k) {
    seen = get(kNow + 504 + k * StatusSnapshots::kMaxAge)->entries[0]->row.district == "品野";
    if (!seen) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_TRUE(seen);

  // The next local day counts its own door openings.
  auto tomorrow = get(kNow + 24 * 60 * kMin);
  EXPECT_EQ(tomorrow->entries[1]->row.door_openings_today, 0);
  EXPECT_TRUE(tomorrow->entries[1]->facts.door_open);
}

INSTANTIATE_TEST_SUITE_P(Backends, WatchStoreTest, ::testing::ValuesIn(store::TestBackends()));

}  // namespace
}  // namespace moyakko::watch
