#include "carenet/watch_link.h"

#include <gtest/gtest.h>

#include "carenet/test_town.h"
#include "carenet/timeline.h"
#include "watch/alerts.h"
#include "watch/store.h"

namespace moyakko::carenet {
namespace {

class WatchLinkTest : public CarenetTest {};

TEST_P(WatchLinkTest, AlertStepsOfAPatientAppearOnTheTimeline) {
  LinkWatchAlerts();
  Register(hanako_, doctor_);
  std::int64_t alert = db().Write([&](store::Session& s) {
    std::int64_t household = watch::AddHousehold(s, {.tenant_id = seto_, .person_id = hanako_}, 0);
    watch::Finding finding{watch::AlertKind::kNoActivity, 2, "冷蔵庫の開閉が 9 時間ありません", {}, "since:test"};
    return *watch::OpenAlert(s, household, finding, 10000);
  });
  watch::Actor op{city_.user_id, "林", "city_officer"};
  db().Write([&](store::Session& s) {
    watch::ClaimAlert(s, seto_, alert, op, 11000);
    watch::RecordStep(s, seto_, alert, op, {"call_resident", "", "no_answer", ""}, 12000);
    watch::CloseAlert(s, seto_, alert, op, "resident_fine", "散歩中でした", 13000);
  });
  auto posts = db().Read([&](store::Session& s) { return TimelinePage(s, hanako_, doctor_.user_id, std::nullopt, 10); })["posts"];
  ASSERT_EQ(posts.size(), 3u);  // the claim is the call centre's business
  EXPECT_EQ(posts[2]["body"], "【見守りアラート】冷蔵庫の開閉が 9 時間ありません");
  EXPECT_TRUE(posts[2]["important"]);
  EXPECT_EQ(posts[1]["body"], "【見守り】本人へ電話: 応答なし");
  EXPECT_EQ(posts[0]["body"], "【見守り】対応終了: 本人無事\n散歩中でした");
  EXPECT_EQ(posts[0]["alert_id"], alert);

  // A person who is not a patient has no timeline to write to; the alert itself still works.
  EXPECT_NO_THROW(db().Write([&](store::Session& s) {
    std::int64_t household = watch::AddHousehold(s, {.tenant_id = seto_, .person_id = ichiro_}, 0);
    watch::OpenAlert(s, household, {watch::AlertKind::kHeat, 3, "室温 35℃", {}, "heat:test"}, 10000);
  }));
}

INSTANTIATE_TEST_SUITE_P(Backends, WatchLinkTest, ::testing::ValuesIn(store::TestBackends()));

}  // namespace
}  // namespace moyakko::carenet
