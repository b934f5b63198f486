#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>

#include "common/error.h"
#include "store/database.h"
#include "store/group_commit.h"
#include "store/migrations.h"
#include "store/sqlite_database.h"
#include "store/testing.h"

namespace moyakko::store {
namespace {

class StoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    test_ = std::make_unique<TestDatabase>(GetParam());
    if (!test_->available()) GTEST_SKIP() << "MOYAKKO_TEST_PG_URL not set";
  }
  Database& db() { return test_->db(); }
  std::int64_t AddTenant(const std::string& code) {
    return db().Write([&](Session& s) {
      return s.QueryOne("INSERT INTO tenants (code, name, created_at) VALUES ($1, $2, 0) RETURNING id",
                        {code, "名前 " + code})->Int(0);
    });
  }
  // 8 callers, every tenth piece of work failing: each caller's work commits whole or not at all.
  void GroupCommitsKeepEachCallersWorkAllOrNothing(int groups_in_flight);
  std::unique_ptr<TestDatabase> test_;
};

TEST_P(StoreTest, MigrateIsIdempotent) {
  EXPECT_EQ(Migrate(db()), 0);
  auto version = db().Read([](Session& s) {
    return s.QueryOne("SELECT MAX(version) FROM schema_migrations")->Int(0);
  });
  EXPECT_EQ(version, LatestSchemaVersion());
}

TEST_P(StoreTest, RoundTripsTypesAndJapaneseText) {
  std::int64_t id = AddTenant("seto");
  auto row = db().Read([&](Session& s) {
    return *s.QueryOne("SELECT id, code, name, created_at FROM tenants WHERE id = $1", {id});
  });
  EXPECT_EQ(row.Int(0), id);
  EXPECT_EQ(row.Text(1), "seto");
  EXPECT_EQ(row.Text(2), "名前 seto");
  EXPECT_EQ(row.Int(3), 0);
  db().Write([&](Session& s) {
    s.Execute("INSERT INTO organizations (tenant_id, code, kind, name, lat, lon, created_at) "
              "VALUES ($1, 'c', 'clinic', 'n', $2, NULL, 1)", {id, 35.22});
  });
  auto org = db().Read([](Session& s) { return *s.QueryOne("SELECT lat, lon FROM organizations"); });
  EXPECT_DOUBLE_EQ(org.Real(0), 35.22);
  EXPECT_TRUE(org.IsNull(1));
}

TEST_P(StoreTest, PlaceholdersMayRepeatAndComeOutOfOrder) {
  AddTenant("a");
  auto row = db().Read([](Session& s) {
    return *s.QueryOne("SELECT code FROM tenants WHERE code = $2 OR code = $1 OR code = $2",
                       {std::string("zzz"), std::string("a")});
  });
  EXPECT_EQ(row.Text(0), "a");
}

TEST_P(StoreTest, InsertRowsWritesEveryRowInChunksAndReturnsWhatTheyReturn) {
  const char* head = "INSERT INTO tenants (code, name, created_at)";
  EXPECT_TRUE(db().Write([&](Session& s) { return InsertRows(s, head, 3, {}); }).empty());
  std::vector<Value> values;
  for (int i = 1; i <= 7; ++i) values.insert(values.end(), {"t" + std::to_string(i), "町 " + std::to_string(i), std::int64_t{0}});
  // Three statements: 3 + 3 + 1 rows.
  Rows ids = db().Write([&](Session& s) { return InsertRows(s, head, 3, values, " RETURNING code", 3); });
  ASSERT_EQ(ids.size(), 7u);
  std::set<std::string> codes;
  for (const Row& row : ids) codes.insert(row.Text(0));
  EXPECT_EQ(codes, (std::set<std::string>{"t1", "t2", "t3", "t4", "t5", "t6", "t7"}));
  EXPECT_EQ(db().Read([](Session& s) { return s.QueryOne("SELECT name FROM tenants WHERE code = 't7'")->Text(0); }), "町 7");
  // A statement that fails leaves none of the rows behind.
  EXPECT_THROW(db().Write([&](Session& s) {
    InsertRows(s, head, 3,
               std::vector<Value>{"u1", "a", std::int64_t{0}, "u2", "b", std::int64_t{0}, "t1", "dup", std::int64_t{0}},
               "", 2);
  }), Failure);
  EXPECT_EQ(db().Read([](Session& s) { return s.QueryOne("SELECT COUNT(*) FROM tenants WHERE code LIKE 'u%'")->Int(0); }), 0);
}

TEST_P(StoreTest, ADatabaseThatCouldLoseCommitsIsNamed) {
  EXPECT_TRUE(UnsafeDurabilitySettings(db()).empty());
  if (db().dialect() != Dialect::kPostgres) return;
  // synchronous_commit may be set per connection; fsync and full_page_writes only server-wide.
  std::string url = test_->url();
  url += url.find('?') == std::string::npos ? "?" : "&";
  auto careless = Open(url + "options=-csynchronous_commit%3Doff");
  EXPECT_EQ(UnsafeDurabilitySettings(*careless), std::vector<std::string>{"synchronous_commit=off"});
}

TEST_P(StoreTest, AOneStatementReadSeesCommittedWorkAndSurvivesADeadConnection) {
  AddTenant("seto");
  EXPECT_EQ(db().ReadStatement([](Session& s) { return s.QueryOne("SELECT code FROM tenants")->Text(0); }), "seto");
  if (db().dialect() != Dialect::kPostgres) return;
  // The server ends the pooled connection (a restart would): the read runs again on a new one.
  std::int64_t backend = db().ReadStatement([](Session& s) { return s.QueryOne("SELECT pg_backend_pid()")->Int(0); });
  auto other = Open(test_->url());
  other->ReadStatement([&](Session& s) { s.Query("SELECT pg_terminate_backend($1)", {backend}); });
  EXPECT_EQ(db().ReadStatement([](Session& s) { return s.QueryOne("SELECT COUNT(*) FROM tenants")->Int(0); }), 1);
}

TEST_P(StoreTest, RollsBackEverythingWhenWorkThrows) {
  EXPECT_THROW(db().Write([&](Session& s) {
    s.Execute("INSERT INTO tenants (code, name, created_at) VALUES ('x', 'x', 0)");
    throw std::runtime_error("abort");
  }), std::runtime_error);
  auto count = db().Read([](Session& s) { return s.QueryOne("SELECT COUNT(*) FROM tenants")->Int(0); });
  EXPECT_EQ(count, 0);
}

TEST_P(StoreTest, UniqueViolationIsConflict) {
  AddTenant("dup");
  try {
    AddTenant("dup");
    FAIL() << "expected a conflict";
  } catch (const Failure& f) {
    EXPECT_EQ(f.error().code, ErrorCode::kConflict);
    EXPECT_EQ(f.error().message.find("UNIQUE"), std::string::npos) << "library text leaked";
  }
}

TEST_P(StoreTest, ForeignKeysAreEnforced) {
  EXPECT_THROW(db().Write([](Session& s) {
    s.Execute("INSERT INTO organizations (tenant_id, code, kind, name, created_at) VALUES (999, 'c', 'clinic', 'n', 0)");
  }), Failure);
}

TEST_P(StoreTest, ConcurrentWritersAllCommit) {
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) AddTenant("t" + std::to_string(t) + "-" + std::to_string(i));
    });
  }
  for (auto& thread : threads) thread.join();
  auto count = db().Read([](Session& s) { return s.QueryOne("SELECT COUNT(*) FROM tenants")->Int(0); });
  EXPECT_EQ(count, 100);
}

void StoreTest::GroupCommitsKeepEachCallersWorkAllOrNothing(int groups_in_flight) {
  GroupCommit commits(db(), groups_in_flight);
  std::atomic<int> refused{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 20; ++i) {
        try {
          commits.Run([&](Session& s) {
            s.Execute("INSERT INTO tenants (code, name, created_at) VALUES ($1, 'x', 0)",
                      {"g" + std::to_string(t) + "-" + std::to_string(i)});
            // Every tenth piece of work fails after writing: none of it may remain, and the
            // others in its group must still commit.
            if (i % 10 == 9) {
              s.Execute("INSERT INTO tenants (code, name, created_at) VALUES ($1, 'y', 0)", {"half-" + std::to_string(t)});
              Fail(ErrorCode::kConflict, "refused", "refused");
            }
          });
        } catch (const Failure& f) {
          EXPECT_EQ(f.error().slug, "refused");
          ++refused;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(refused, 16);
  auto count = [&](const char* sql) { return db().Read([&](Session& s) { return s.QueryOne(sql)->Int(0); }); };
  EXPECT_EQ(count("SELECT COUNT(*) FROM tenants WHERE code LIKE 'g%'"), 8 * 18);
  EXPECT_EQ(count("SELECT COUNT(*) FROM tenants WHERE code LIKE 'half-%'"), 0);
}

TEST_P(StoreTest, GroupCommitSharesCommitsAndKeepsEachCallersWorkAllOrNothing) {
  for (int groups_in_flight : {1, 3}) {
    SCOPED_TRACE(groups_in_flight);
    db().Write([](Session& s) { s.Execute("DELETE FROM tenants"); });
    GroupCommitsKeepEachCallersWorkAllOrNothing(groups_in_flight);
  }
}

TEST_P(StoreTest, GroupCommitRunsSeveralGroupsAtOnceWhenAskedTo) {
  if (db().dialect() == Dialect::kSqlite) GTEST_SKIP() << "SQLite has one writer: a second group always waits";
  GroupCommit commits(db(), 2);
  std::mutex mutex;
  std::condition_variable changed;
  bool first_started = false, second_committed = false;
  std::atomic<bool> first_committed{false};
  std::thread first([&] {
    commits.Run([&](Session& s) {
      s.Execute("INSERT INTO tenants (code, name, created_at) VALUES ('first', 'x', 0)");
      std::unique_lock<std::mutex> lock(mutex);
      first_started = true;
      changed.notify_all();
      // Stays in flight until the second group has committed (or gives up).
      changed.wait_for(lock, std::chrono::seconds(5), [&] { return second_committed; });
    });
    first_committed = true;
  });
  {
    std::unique_lock<std::mutex> lock(mutex);
    changed.wait(lock, [&] { return first_started; });
  }
  commits.Run([&](Session& s) { s.Execute("INSERT INTO tenants (code, name, created_at) VALUES ('second', 'x', 0)"); });
  EXPECT_FALSE(first_committed) << "the second group waited for the first";
  {
    std::lock_guard<std::mutex> lock(mutex);
    second_committed = true;
  }
  changed.notify_all();
  first.join();
  EXPECT_EQ(db().Read([](Session& s) { return s.QueryOne("SELECT COUNT(*) FROM tenants WHERE code IN ('first', 'second')")->Int(0); }), 2);
}

// Adds one tenant named n<adds> at commit.
struct TenantAtCommit final : AtCommitWrite {
  int adds = 0;
  void Write(Session& s) override {
    s.Execute("INSERT INTO tenants (code, name, created_at) VALUES ($1, 'x', 0)", {"n" + std::to_string(adds)});
  }
};

TEST_P(StoreTest, AtCommitWritesRunOnceAfterTheWorkAndOnlyIfItSucceeds) {
  auto count = [&](const char* code) {
    return db().Read([&](Session& s) { return s.QueryOne("SELECT COUNT(*) FROM tenants WHERE code = $1", {code})->Int(0); });
  };
  db().Write([](Session& s) {
    ++s.AtCommit<TenantAtCommit>().adds;
    ++s.AtCommit<TenantAtCommit>().adds;  // the same one
    EXPECT_EQ(s.QueryOne("SELECT COUNT(*) FROM tenants")->Int(0), 0) << "not before the work is done";
  });
  EXPECT_EQ(count("n2"), 1);
  EXPECT_THROW(db().Write([](Session& s) {
    ++s.AtCommit<TenantAtCommit>().adds;
    Fail(ErrorCode::kConflict, "refused", "refused");
  }), Failure);
  db().Write([](Session& s) { s.AtCommit<TenantAtCommit>(); });
  EXPECT_EQ(count("n1"), 0) << "a failed transaction's write, neither made nor left for the next";
  EXPECT_EQ(count("n0"), 1);
}

TEST_P(StoreTest, GroupCommitRunsWorkAgainThatMetAConcurrentTransaction) {
  GroupCommit commits(db());
  int runs = 0;
  commits.Run([&](Session& s) {
    s.Execute("INSERT INTO tenants (code, name, created_at) VALUES ('late', 'x', 0)");
    if (++runs < 3) Fail(ErrorCode::kConflict, "retry", "a concurrent change got in the way, try again");
  });
  EXPECT_EQ(runs, 3);
  EXPECT_EQ(db().Read([](Session& s) { return s.QueryOne("SELECT COUNT(*) FROM tenants WHERE code = 'late'")->Int(0); }), 1);
  // Succeeding on the second attempt ends the retries (there is no error left to look at).
  runs = 0;
  commits.Run([&](Session&) {
    if (++runs < 2) Fail(ErrorCode::kConflict, "retry", "once");
  });
  EXPECT_EQ(runs, 2);
  // It gives up after three attempts and the caller gets the conflict.
  runs = 0;
  EXPECT_THROW(commits.Run([&](Session&) {
    ++runs;
    Fail(ErrorCode::kConflict, "retry", "again");
  }), Failure);
  EXPECT_EQ(runs, 3);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreTest, ::testing::ValuesIn(TestBackends()));

TEST(SqlitePlaceholders, RewritesOnlyOutsideQuotes) {
  EXPECT_EQ(SqlitePlaceholders("a = $1 AND b = '$2' AND c = $10"), "a = ? AND b = '$2' AND c = ?10");
}

TEST(SqlitePlaceholders, NumbersInOrderBecomeBareAndTheRestKeepTheirNumber) {
  EXPECT_EQ(SqlitePlaceholders("($1, $2, $3), ($4, $5, $6)"), "(?, ?, ?), (?, ?, ?)");
  EXPECT_EQ(SqlitePlaceholders("$1, $2, $1, $3, $3, $12, $13"), "?, ?, ?1, ?, ?3, ?12, ?");
}

}  // namespace
}  // namespace moyakko::store
