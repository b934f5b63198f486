#include "audit/audit_log.h"

#include <gtest/gtest.h>

#include "store/testing.h"

namespace moyakko::audit {
namespace {

class AuditLogTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    test_ = std::make_unique<store::TestDatabase>(GetParam());
    if (!test_->available()) GTEST_SKIP() << "MOYAKKO_TEST_PG_URL not set";
    for (int i = 1; i <= 5; ++i) {
      AppendNow(db(), Entry{.at = 1000 * i, .actor_user_id = 7, .actor_username = "dr.kato",
                            .actor_role = "doctor", .tenant_code = "seto",
                            .action = i % 2 ? "person.read" : "auth.login", .person_id = i,
                            .outcome = i == 4 ? Outcome::kDenied : Outcome::kAllowed,
                            .reason = "理由", .request_id = "r" + std::to_string(i)});
    }
  }
  store::Database& db() { return test_->db(); }
  void Tamper(const std::string& sql) {
    db().Write([&](store::Session& s) { s.Execute(sql); });
  }
  std::unique_ptr<store::TestDatabase> test_;
};

TEST_P(AuditLogTest, IntactChainVerifies) {
  VerifyReport report = Verify(db());
  EXPECT_TRUE(report.intact) << report.problem;
  EXPECT_EQ(report.entries, 5);
}

TEST_P(AuditLogTest, DetectsAnEditedField) {
  Tamper("UPDATE audit_events SET outcome = 'allowed' WHERE seq = 4");
  VerifyReport report = Verify(db());
  EXPECT_FALSE(report.intact);
  EXPECT_EQ(report.first_bad_seq, 4);
}

TEST_P(AuditLogTest, DetectsAnEditWithARecomputedLookingHash) {
  Tamper("UPDATE audit_events SET reason = 'x', hash = 'abc' WHERE seq = 2");
  EXPECT_EQ(Verify(db()).first_bad_seq, 2);
}

TEST_P(AuditLogTest, DetectsADeletedMiddleEntry) {
  Tamper("DELETE FROM audit_events WHERE seq = 3");
  VerifyReport report = Verify(db());
  EXPECT_FALSE(report.intact);
  EXPECT_EQ(report.first_bad_seq, 3);
}

TEST_P(AuditLogTest, DetectsTruncatedTail) {
  Tamper("DELETE FROM audit_events WHERE seq = 5");
  VerifyReport report = Verify(db());
  EXPECT_FALSE(report.intact);
  EXPECT_EQ(report.first_bad_seq, 5);
}

TEST_P(AuditLogTest, SearchFiltersAndPagesNewestFirst) {
  auto reads = Search(db(), Query{.action = "person."});
  ASSERT_EQ(reads.size(), 3u);
  EXPECT_EQ(reads[0].seq, 5);
  auto denied = Search(db(), Query{.outcome = "denied"});
  ASSERT_EQ(denied.size(), 1u);
  EXPECT_EQ(denied[0].person_id, 4);
  auto page = Search(db(), Query{.before_seq = 3, .limit = 10});
  ASSERT_EQ(page.size(), 2u);
  EXPECT_EQ(page[0].seq, 2);
  EXPECT_EQ(page[0].reason, "理由");
}

INSTANTIATE_TEST_SUITE_P(Backends, AuditLogTest, ::testing::ValuesIn(store::TestBackends()));

}  // namespace
}  // namespace moyakko::audit
