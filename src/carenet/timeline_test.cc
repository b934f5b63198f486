#include "carenet/timeline.h"

#include <gtest/gtest.h>

#include "carenet/test_town.h"
#include "common/error.h"

namespace moyakko::carenet {
namespace {

class TimelineTest : public CarenetTest {
 protected:
  void SetUp() override {
    CarenetTest::SetUp();
    if (IsSkipped()) return;
    Register(hanako_, doctor_);
    Join(hanako_, nurse_, doctor_);
  }
  std::int64_t Post(const auth::Principal& author, const std::string& body, UnixMillis at,
                    std::vector<std::int64_t> mentions = {}, std::vector<NamedFile> files = {}) {
    return db().Write([&](store::Session& s) {
      return AddPost(s, hanako_, author.user_id, {body, false, mentions, files}, at).post_id;
    });
  }
  nlohmann::json Page(const auth::Principal& viewer, std::optional<std::int64_t> before, int limit) {
    return db().Read([&](store::Session& s) { return TimelinePage(s, hanako_, viewer.user_id, before, limit); });
  }
};

TEST_P(TimelineTest, NewestFirstInPages) {
  for (int i = 0; i < 25; ++i) Post(i % 2 ? nurse_ : doctor_, "記録 " + std::to_string(i), 10000 + i);
  auto first = Page(nurse_, std::nullopt, 10);
  ASSERT_EQ(first["posts"].size(), 10u);
  EXPECT_EQ(first["posts"][0]["body"], "記録 24");
  auto second = Page(nurse_, first["next_before"].get<std::int64_t>(), 10);
  EXPECT_EQ(second["posts"][0]["body"], "記録 14");
  auto last = Page(nurse_, Page(nurse_, second["next_before"].get<std::int64_t>(), 10)["posts"][0]["id"].get<std::int64_t>() + 1, 10);
  EXPECT_EQ(last["posts"].size(), 5u);
  EXPECT_TRUE(last["next_before"].is_null());
}

TEST_P(TimelineTest, ReadReceiptsAreShownToTheAuthorAndUnreadIsCounted) {
  std::int64_t post = Post(doctor_, "血圧 150/90、内服確認お願いします", 10000, {nurse_.user_id});
  auto unread = db().Read([&](store::Session& s) { return UnreadJson(s, nurse_.user_id); });
  EXPECT_EQ(unread["total"], 1);
  EXPECT_EQ(db().Read([&](store::Session& s) { return UnreadJson(s, doctor_.user_id); })["total"], 0);

  db().Write([&](store::Session& s) { MarkRead(s, hanako_, nurse_.user_id, {post, 999999}, 11000); });
  EXPECT_EQ(db().Read([&](store::Session& s) { return UnreadJson(s, nurse_.user_id); })["total"], 0);

  auto for_author = Page(doctor_, std::nullopt, 10)["posts"][0];
  EXPECT_EQ(for_author["read_count"], 1);
  ASSERT_EQ(for_author["read_by"].size(), 1u);
  EXPECT_EQ(for_author["read_by"][0]["user"]["id"], nurse_.user_id);
  EXPECT_EQ(for_author["mentions"][0]["id"], nurse_.user_id);
  auto for_reader = Page(nurse_, std::nullopt, 10)["posts"][0];
  EXPECT_FALSE(for_reader.contains("read_by"));
  EXPECT_TRUE(for_reader["read_by_me"]);
}

TEST_P(TimelineTest, MentionsNotifyMembersOnlyAndNeverCarryTheText) {
  db().Write([&](store::Session& s) {
    s.Execute("INSERT INTO notify_preferences (user_id, channel, address) VALUES ($1, 'email', 'nurse@example.jp')",
              {nurse_.user_id});
  });
  Post(doctor_, "褥瘡の処置について", 10000, {nurse_.user_id});
  auto mail = db().Read([&](store::Session& s) { return s.QueryOne("SELECT recipient, body FROM outbox"); });
  ASSERT_TRUE(mail.has_value());
  EXPECT_EQ(mail->Text(0), "nurse@example.jp");
  EXPECT_EQ(mail->Text(1).find("褥瘡"), std::string::npos);
  EXPECT_THROW(Post(doctor_, "x", 10001, {pharmacist_.user_id}), Failure);
  EXPECT_EQ(Page(doctor_, std::nullopt, 10)["posts"].size(), 1u);
}

TEST_P(TimelineTest, EditsKeepTheirHistoryAndOnlyTheAuthorEdits) {
  std::int64_t post = Post(doctor_, "初回", 10000);
  db().Write([&](store::Session& s) {
    EditPost(s, hanako_, post, doctor_.user_id, "二回目", true, 20000);
    EditPost(s, hanako_, post, doctor_.user_id, "三回目", std::nullopt, 30000);  // the flag stays
    EXPECT_THROW(EditPost(s, hanako_, post, nurse_.user_id, "他人", false, 40000), Failure);
  });
  auto versions = db().Read([&](store::Session& s) { return PostHistory(s, hanako_, post); });
  ASSERT_EQ(versions.size(), 3u);
  EXPECT_EQ(versions[0]["body"], "三回目");
  EXPECT_TRUE(versions[0]["current"]);
  EXPECT_TRUE(versions[0]["important"]);
  EXPECT_EQ(versions[1]["body"], "二回目");
  EXPECT_EQ(versions[2]["body"], "初回");
  EXPECT_FALSE(Page(doctor_, std::nullopt, 1)["posts"][0]["edited_at"].is_null());
}

TEST_P(TimelineTest, FilesAndCommentsTravelWithThePost) {
  std::string pdf = "%PDF-1.4\n1 0 obj\n%%EOF\n";
  std::int64_t post = Post(nurse_, "ケアプラン", 10000, {}, {{"プラン.pdf", CleanAttachment(pdf, "f")}});
  db().Write([&](store::Session& s) { AddComment(s, hanako_, post, doctor_.user_id, "確認しました", 11000); });
  auto shown = Page(doctor_, std::nullopt, 1)["posts"][0];
  ASSERT_EQ(shown["attachments"].size(), 1u);
  EXPECT_EQ(shown["attachments"][0]["media_type"], "application/pdf");
  EXPECT_EQ(shown["comments"][0]["body"], "確認しました");
  auto file = db().Read([&](store::Session& s) { return LoadAttachment(s, shown["attachments"][0]["id"]); });
  ASSERT_TRUE(file.has_value());
  EXPECT_EQ(file->bytes, pdf);
  EXPECT_EQ(file->filename, "プラン.pdf");
  EXPECT_TRUE(db().Read([&](store::Session& s) { return AttachmentOfPatient(s, hanako_, *file); }));
  EXPECT_FALSE(db().Read([&](store::Session& s) { return AttachmentOfPatient(s, ichiro_, *file); }));
}

TEST_P(TimelineTest, SystemPostsOnlyForRegisteredPatients) {
  auto posted = db().Write([&](store::Session& s) {
    return AddSystemPost(s, hanako_, "watch_alert", "見守り: 冷蔵庫の扉が 14 時間開いていません", true, 42, 10000);
  });
  ASSERT_TRUE(posted.has_value());
  EXPECT_EQ(posted->notify_users.size(), 2u);
  auto post = Page(nurse_, std::nullopt, 1)["posts"][0];
  EXPECT_EQ(post["kind"], "watch_alert");
  EXPECT_TRUE(post["author"].is_null());
  EXPECT_EQ(post["alert_id"], 42);
  EXPECT_FALSE(db().Write([&](store::Session& s) {
    return AddSystemPost(s, ichiro_, "watch_alert", "x", false, std::nullopt, 10000).has_value();
  }));
  // Nothing is written about a patient whose consent was withdrawn.
  db().Write([&](store::Session& s) { WithdrawConsent(s, hanako_, doctor_.user_id, 20000); });
  EXPECT_FALSE(db().Write([&](store::Session& s) {
    return AddSystemPost(s, hanako_, "watch_alert", "x", false, std::nullopt, 30000).has_value();
  }));
}

INSTANTIATE_TEST_SUITE_P(Backends, TimelineTest, ::testing::ValuesIn(store::TestBackends()));

}  // namespace
}  // namespace moyakko::carenet
