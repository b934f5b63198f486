#pragma once
// For tests only: a fresh, migrated database of either kind, dropped afterwards.
// PostgreSQL comes from MOYAKKO_TEST_PG_URL (set by scripts/test.sh); each TestDatabase gets
// its own newly created database there.
#include <memory>
#include <string>
#include <vector>

#include "store/database.h"

namespace moyakko::store {

class TestDatabase {
 public:
  // backend: "sqlite" or "postgres". Skips (returns available() == false) when postgres is
  // asked for without MOYAKKO_TEST_PG_URL.
  explicit TestDatabase(const std::string& backend, bool migrate = true);
  ~TestDatabase();
  bool available() const { return db_ != nullptr; }
  Database& db() { return *db_; }
  const std::string& url() const { return url_; }

 private:
  std::string backend_;
  std::string url_;
  std::string admin_url_;
  std::string name_;
  std::unique_ptr<Database> db_;
};

// {"sqlite", "postgres"}: every storage test is instantiated for both.
std::vector<std::string> TestBackends();

}  // namespace moyakko::store
