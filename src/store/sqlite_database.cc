#include "store/sqlite_database.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "common/error.h"

namespace moyakko::store {
namespace {

[[noreturn]] void ThrowSqlite(sqlite3* db, int rc, std::string_view what) {
  int primary = rc & 0xFF;
  std::string internal =
      fmt::format("sqlite {}: {} ({})", what, db ? sqlite3_errmsg(db) : sqlite3_errstr(rc), rc);
  if (primary == SQLITE_CONSTRAINT &&
      (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)) {
    throw Failure(Error{ErrorCode::kConflict, "conflict", "the record already exists", {}, internal});
  }
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED || primary == SQLITE_IOERR ||
      primary == SQLITE_FULL || primary == SQLITE_CANTOPEN || primary == SQLITE_READONLY) {
    throw Failure(Error{ErrorCode::kUnavailable, "storage_unavailable",
                        "the database is unavailable, try again later", {}, internal});
  }
  throw Failure(Error{ErrorCode::kInternal, "internal", "internal error", {}, internal});
}

class SqliteSession final : public Session {
 public:
  explicit SqliteSession(const std::string& path) {
    int rc = sqlite3_open_v2(path.c_str(), &db_,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI,
                             nullptr);
    if (rc != SQLITE_OK) {
      sqlite3* db = db_;
      db_ = nullptr;
      std::string message = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
      sqlite3_close(db);
      throw Failure(Error{ErrorCode::kUnavailable, "storage_unavailable",
                          "cannot open the database file", "db", message});
    }
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, 5000);
    ExecuteScript(
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA wal_autocheckpoint=20000; "
        "PRAGMA journal_size_limit=67108864; PRAGMA temp_store=MEMORY;");
  }
  ~SqliteSession() override {
    for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
    sqlite3_close(db_);
  }

  Dialect dialect() const override { return Dialect::kSqlite; }
  sqlite3* handle() { return db_; }

  Rows Query(std::string_view sql, std::span<const Value> params) override {
    sqlite3_stmt* stmt = Prepare(sql, params);
    Rows rows;
    int columns = sqlite3_column_count(stmt);
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      std::vector<Value> values;
      values.reserve(columns);
      for (int c = 0; c < columns; ++c) {
        switch (sqlite3_column_type(stmt, c)) {
          case SQLITE_INTEGER: values.emplace_back(std::int64_t{sqlite3_column_int64(stmt, c)}); break;
          case SQLITE_FLOAT: values.emplace_back(sqlite3_column_double(stmt, c)); break;
          case SQLITE_NULL: values.emplace_back(Null{}); break;
          default: {
            auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
            values.emplace_back(std::string(text, sqlite3_column_bytes(stmt, c)));
          }
        }
      }
      rows.emplace_back(std::move(values));
    }
    Finish(stmt, rc);
    return rows;
  }

  std::int64_t Execute(std::string_view sql, std::span<const Value> params) override {
    sqlite3_stmt* stmt = Prepare(sql, params);
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    }
    Finish(stmt, rc);
    return sqlite3_changes64(db_);
  }

  void ExecuteScript(std::string_view sql) override {
    char* message = nullptr;
    int rc = sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, &message);
    if (message) sqlite3_free(message);
    if (rc != SQLITE_OK) ThrowSqlite(db_, sqlite3_extended_errcode(db_), "exec");
  }

 private:
  sqlite3_stmt* Prepare(std::string_view sql, std::span<const Value> params) {
    std::string key(sql);
    auto it = statements_.find(key);
    sqlite3_stmt* stmt;
    if (it == statements_.end()) {
      std::string translated = SqlitePlaceholders(sql);
      int rc = sqlite3_prepare_v2(db_, translated.c_str(), -1, &stmt, nullptr);
      if (rc != SQLITE_OK) ThrowSqlite(db_, rc, "prepare");
      statements_.emplace(std::move(key), stmt);
    } else {
      stmt = it->second;
    }
    for (std::size_t i = 0; i < params.size(); ++i) {
      int index = static_cast<int>(i + 1);
      const Value& v = params[i];
      int rc;
      if (auto p = std::get_if<std::int64_t>(&v)) {
        rc = sqlite3_bind_int64(stmt, index, *p);
      } else if (auto p = std::get_if<double>(&v)) {
        rc = sqlite3_bind_double(stmt, index, *p);
      } else if (auto p = std::get_if<std::string>(&v)) {
        rc = sqlite3_bind_text(stmt, index, p->data(), static_cast<int>(p->size()), SQLITE_TRANSIENT);
      } else {
        rc = sqlite3_bind_null(stmt, index);
      }
      if (rc != SQLITE_OK) {
        sqlite3_reset(stmt);
        ThrowSqlite(db_, rc, "bind");
      }
    }
    return stmt;
  }

  void Finish(sqlite3_stmt* stmt, int rc) {
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    if (rc != SQLITE_DONE) ThrowSqlite(db_, sqlite3_extended_errcode(db_), "step");
  }

  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, sqlite3_stmt*> statements_;
};

class SqliteDatabase final : public Database {
 public:
  SqliteDatabase(std::string path, int pool_size) : path_(std::move(path)), pool_size_(pool_size) {
    idle_.push_back(std::make_unique<SqliteSession>(path_));  // fail early on a bad path
    created_ = 1;
  }

  Dialect dialect() const override { return Dialect::kSqlite; }
  std::string Describe() const override { return "sqlite:" + path_; }

  void RunTransaction(TxMode mode, const std::function<void(Session&)>& work) override {
    // One writer at a time, queued here rather than in SQLite's sleeping busy handler.
    std::unique_lock<std::mutex> write_lock(write_mutex_, std::defer_lock);
    if (mode == TxMode::kWrite) write_lock.lock();
    std::unique_ptr<SqliteSession> session = Acquire();
    bool transaction = mode != TxMode::kStatement;  // one statement commits by itself
    try {
      // Through the statement cache: sqlite3_exec would parse these on every request.
      if (transaction) session->Execute(mode == TxMode::kWrite ? "BEGIN IMMEDIATE" : "BEGIN", {});
      work(*session);
      if (transaction) session->Execute("COMMIT", {});
    } catch (...) {
      if (!sqlite3_get_autocommit(session->handle())) {
        sqlite3_exec(session->handle(), "ROLLBACK", nullptr, nullptr, nullptr);
      }
      Release(std::move(session));
      throw;
    }
    Release(std::move(session));
  }

 private:
  std::unique_ptr<SqliteSession> Acquire() {
    std::unique_lock<std::mutex> lock(pool_mutex_);
    for (;;) {
      if (!idle_.empty()) {
        auto session = std::move(idle_.back());
        idle_.pop_back();
        return session;
      }
      if (created_ < pool_size_) {
        ++created_;
        lock.unlock();
        try {
          return std::make_unique<SqliteSession>(path_);
        } catch (...) {
          std::lock_guard<std::mutex> relock(pool_mutex_);
          --created_;
          throw;
        }
      }
      available_.wait(lock);
    }
  }

  void Release(std::unique_ptr<SqliteSession> session) {
    {
      std::lock_guard<std::mutex> lock(pool_mutex_);
      idle_.push_back(std::move(session));
    }
    available_.notify_one();
  }

  std::string path_;
  int pool_size_;
  std::mutex write_mutex_;
  std::mutex pool_mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<SqliteSession>> idle_;
  int created_ = 0;
};

}  // namespace

std::string SqlitePlaceholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size());
  char quote = 0;
  long highest = 0;
  auto digit = [&](std::size_t at) { return at < sql.size() && sql[at] >= '0' && sql[at] <= '9'; };
  for (std::size_t i = 0; i < sql.size(); ++i) {
    char c = sql[i];
    if (quote) {
      if (c == quote) quote = 0;
    } else if (c == '\'' || c == '"') {
      quote = c;
    } else if (c == '$' && digit(i + 1)) {
      std::size_t end = i + 1;
      while (digit(end)) ++end;
      std::string_view number = sql.substr(i + 1, end - i - 1);
      long n = std::stol(std::string(number));
      // The next number in order is a bare "?" (SQLite numbers it so): SQLite looks each
      // "?NNN" up in a list, which costs a statement of thousands of values seconds.
      out.push_back('?');
      if (n != highest + 1) out.append(number);
      highest = std::max(highest, n);
      i = end - 1;
      continue;
    }
    out.push_back(c);
  }
  return out;
}

std::unique_ptr<Database> OpenSqlite(const std::string& path, const OpenOptions& options) {
  return std::make_unique<SqliteDatabase>(path, options.pool_size);
}

void CopySqlite(const std::string& from, const std::string& to) {
  sqlite3* source = nullptr;
  sqlite3* target = nullptr;
  auto cleanup = [&] {
    sqlite3_close(source);
    sqlite3_close(target);
  };
  if (sqlite3_open_v2(from.c_str(), &source, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK ||
      sqlite3_open(to.c_str(), &target) != SQLITE_OK) {
    std::string message = sqlite3_errmsg(source ? (target ? target : source) : nullptr);
    cleanup();
    Fail(ErrorCode::kUnavailable, "backup_failed", "cannot open " + message);
  }
  sqlite3_busy_timeout(source, 5000);
  sqlite3_busy_timeout(target, 5000);
  sqlite3_backup* backup = sqlite3_backup_init(target, "main", source, "main");
  if (!backup) {
    std::string message = sqlite3_errmsg(target);
    cleanup();
    Fail(ErrorCode::kUnavailable, "backup_failed", "backup failed: " + message);
  }
  // Every page in one step, under one read snapshot: copied in parts, the backup starts over
  // whenever the server commits between two parts, and under steady writes never ends.
  int rc;
  while ((rc = sqlite3_backup_step(backup, -1)) == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
    if (rc != SQLITE_OK) sqlite3_sleep(50);
  }
  sqlite3_backup_finish(backup);
  std::string message = sqlite3_errmsg(target);
  cleanup();
  if (rc != SQLITE_DONE) Fail(ErrorCode::kUnavailable, "backup_failed", "backup failed: " + message);
}

}  // namespace moyakko::store
