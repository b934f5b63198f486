#include "store/postgres_database.h"

#include <fmt/format.h>
#include <libpq-fe.h>

#include <charconv>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "common/error.h"

namespace moyakko::store {
namespace {

// Type OIDs from pg_type.h (stable across versions).
constexpr Oid kBool = 16, kInt8 = 20, kInt2 = 21, kInt4 = 23, kFloat4 = 700, kFloat8 = 701,
              kNumeric = 1700;

[[noreturn]] void ThrowUnavailable(std::string internal) {
  throw Failure(Error{ErrorCode::kUnavailable, "storage_unavailable",
                      "the database is unavailable, try again later", {}, std::move(internal)});
}

class PgSession final : public Session {
 public:
  explicit PgSession(PGconn* conn) : conn_(conn) {}
  ~PgSession() override { PQfinish(conn_); }

  Dialect dialect() const override { return Dialect::kPostgres; }
  PGconn* handle() { return conn_; }
  bool healthy() const { return PQstatus(conn_) == CONNECTION_OK; }

  Rows Query(std::string_view sql, std::span<const Value> params) override {
    PGresult* result = Run(sql, params);
    Rows rows;
    int count = PQntuples(result);
    int columns = PQnfields(result);
    rows.reserve(count);
    for (int r = 0; r < count; ++r) {
      std::vector<Value> values;
      values.reserve(columns);
      for (int c = 0; c < columns; ++c) {
        if (PQgetisnull(result, r, c)) {
          values.emplace_back(Null{});
          continue;
        }
        const char* text = PQgetvalue(result, r, c);
        int length = PQgetlength(result, r, c);
        switch (PQftype(result, c)) {
          case kInt8: case kInt2: case kInt4: {
            std::int64_t v = 0;
            std::from_chars(text, text + length, v);
            values.emplace_back(v);
            break;
          }
          case kFloat4: case kFloat8: case kNumeric:
            values.emplace_back(std::strtod(text, nullptr));
            break;
          case kBool:
            values.emplace_back(std::int64_t{text[0] == 't'});
            break;
          default:
            values.emplace_back(std::string(text, length));
        }
      }
      rows.emplace_back(std::move(values));
    }
    PQclear(result);
    return rows;
  }

  std::int64_t Execute(std::string_view sql, std::span<const Value> params) override {
    PGresult* result = Run(sql, params);
    const char* changed = PQcmdTuples(result);
    std::int64_t count = *changed ? std::atoll(changed) : 0;
    PQclear(result);
    return count;
  }

  void ExecuteScript(std::string_view sql) override {
    PGresult* result = PQexec(conn_, std::string(sql).c_str());
    Check(result);
    PQclear(result);
  }

 private:
  PGresult* Run(std::string_view sql, std::span<const Value> params) {
    std::vector<std::string> texts(params.size());
    std::vector<const char*> pointers(params.size(), nullptr);
    for (std::size_t i = 0; i < params.size(); ++i) {
      const Value& v = params[i];
      if (std::holds_alternative<Null>(v)) continue;
      if (auto p = std::get_if<std::int64_t>(&v)) texts[i] = std::to_string(*p);
      else if (auto p = std::get_if<double>(&v)) texts[i] = fmt::format("{}", *p);
      else texts[i] = std::get<std::string>(v);
      pointers[i] = texts[i].c_str();
    }
    const std::string& name = Prepared(sql, static_cast<int>(params.size()));
    PGresult* result = PQexecPrepared(conn_, name.c_str(), static_cast<int>(params.size()), pointers.data(),
                                      nullptr, nullptr, 0);
    Check(result);
    return result;
  }

  // Each statement is parsed and planned once per connection, not on every call (most of the
  // database's work for the small statements of ingest and sessions). PREPARE outlives a
  // rolled-back transaction. The cap keeps SQL that varies (lists of ids) from growing it
  // without bound.
  const std::string& Prepared(std::string_view sql, int params) {
    std::string text(sql);
    if (auto it = prepared_.find(text); it != prepared_.end()) return it->second;
    if (prepared_.size() >= kMaxPrepared) {
      PGresult* result = PQexec(conn_, "DEALLOCATE ALL");
      Check(result);
      PQclear(result);
      prepared_.clear();
    }
    std::string name = fmt::format("s{}", ++statements_);
    PGresult* result = PQprepare(conn_, name.c_str(), text.c_str(), params, nullptr);
    Check(result);
    PQclear(result);
    return prepared_.emplace(std::move(text), std::move(name)).first->second;
  }

  void Check(PGresult* result) {
    ExecStatusType status = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return;
    // The primary message only: DETAIL lines can quote row values (personal data).
    const char* primary = result ? PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
    std::string internal = primary ? primary : PQerrorMessage(conn_);
    const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
    std::string sqlstate = state ? state : "";
    PQclear(result);
    if (!healthy() || sqlstate.starts_with("08") || sqlstate.starts_with("57P") ||
        sqlstate == "53300") {
      ThrowUnavailable("postgres: " + internal);
    }
    if (sqlstate == "23505") {
      throw Failure(Error{ErrorCode::kConflict, "conflict", "the record already exists", {}, internal});
    }
    if (sqlstate == "40001" || sqlstate == "40P01") {
      throw Failure(Error{ErrorCode::kConflict, "retry", "a concurrent change got in the way, try again", {}, internal});
    }
    throw Failure(Error{ErrorCode::kInternal, "internal", "internal error", {}, "postgres: " + internal});
  }

  static constexpr std::size_t kMaxPrepared = 1000;
  PGconn* conn_;
  std::unordered_map<std::string, std::string> prepared_;  // SQL → statement name
  std::uint64_t statements_ = 0;
};

class PostgresDatabase final : public Database {
 public:
  PostgresDatabase(std::string url, int pool_size) : url_(std::move(url)), pool_size_(pool_size) {
    idle_.push_back(Connect());  // fail early when the server is not there at start
    created_ = 1;
  }

  Dialect dialect() const override { return Dialect::kPostgres; }

  std::string Describe() const override {
    PQconninfoOption* options = PQconninfoParse(url_.c_str(), nullptr);
    std::string host, db;
    for (PQconninfoOption* o = options; o && o->keyword; ++o) {
      if (!o->val) continue;
      if (std::strcmp(o->keyword, "host") == 0 || std::strcmp(o->keyword, "hostaddr") == 0) host = o->val;
      if (std::strcmp(o->keyword, "dbname") == 0) db = o->val;
    }
    PQconninfoFree(options);
    return fmt::format("postgresql://{}/{}", host, db);
  }

  void RunTransaction(TxMode mode, const std::function<void(Session&)>& work) override {
    if (mode == TxMode::kStatement) return RunStatement(work);
    std::unique_ptr<PgSession> session = Acquire();
    const char* begin = mode == TxMode::kWrite ? "BEGIN" : "BEGIN READ ONLY";
    try {
      session->ExecuteScript(begin);
    } catch (const Failure&) {
      // A pooled connection that died while idle (server restart): nothing has run yet, so
      // retry once on a fresh connection rather than failing the request.
      if (session->healthy()) {
        Release(std::move(session));
        throw;
      }
      Release(std::move(session));
      DropIdle();  // its siblings died with it
      session = Acquire();
      try {
        session->ExecuteScript(begin);
      } catch (...) {
        Release(std::move(session));
        throw;
      }
    }
    try {
      work(*session);
      session->ExecuteScript("COMMIT");
    } catch (...) {
      if (session->healthy() && PQtransactionStatus(session->handle()) != PQTRANS_IDLE) {
        PGresult* r = PQexec(session->handle(), "ROLLBACK");
        PQclear(r);
      }
      Release(std::move(session));
      throw;
    }
    Release(std::move(session));
  }

 private:
  // One statement in autocommit mode. A pooled connection that died while idle (server
  // restart) fails it without having run anything: once more on a fresh connection.
  void RunStatement(const std::function<void(Session&)>& work) {
    for (int attempt = 0;; ++attempt) {
      std::unique_ptr<PgSession> session = Acquire();
      try {
        work(*session);
        Release(std::move(session));
        return;
      } catch (const Failure&) {
        bool died = !session->healthy();
        Release(std::move(session));
        if (!died || attempt > 0) throw;
        DropIdle();  // its siblings died with it
      } catch (...) {
        Release(std::move(session));
        throw;
      }
    }
  }

  std::unique_ptr<PgSession> Connect() {
    PGconn* conn = PQconnectdb(url_.c_str());
    if (PQstatus(conn) != CONNECTION_OK) {
      std::string message = PQerrorMessage(conn);
      PQfinish(conn);
      ThrowUnavailable("postgres connect: " + message);
    }
    PQsetNoticeProcessor(conn, [](void*, const char*) {}, nullptr);  // NOTICEs are not errors
    auto session = std::make_unique<PgSession>(conn);
    session->ExecuteScript("SET client_encoding TO 'UTF8'; SET TIME ZONE 'UTC'");
    return session;
  }

  std::unique_ptr<PgSession> Acquire() {
    std::unique_ptr<PgSession> session;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      available_.wait(lock, [&] { return !idle_.empty() || created_ < pool_size_; });
      if (!idle_.empty()) {
        session = std::move(idle_.back());
        idle_.pop_back();
      } else {
        ++created_;
      }
    }
    if (session && session->healthy()) return session;
    // A new slot, or a connection the server dropped (restart, network): connect afresh.
    session.reset();
    try {
      return Connect();
    } catch (...) {
      {
        std::lock_guard<std::mutex> lock(mutex_);
        --created_;
      }
      available_.notify_one();
      throw;
    }
  }

  void DropIdle() {
    std::vector<std::unique_ptr<PgSession>> dropped;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      created_ -= static_cast<int>(idle_.size());
      dropped.swap(idle_);
    }
    available_.notify_all();
  }

  void Release(std::unique_ptr<PgSession> session) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (session->healthy()) {
        idle_.push_back(std::move(session));
      } else {
        --created_;
      }
    }
    available_.notify_one();
  }

  std::string url_;
  int pool_size_;
  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<PgSession>> idle_;
  int created_ = 0;
};

}  // namespace

std::unique_ptr<Database> OpenPostgres(const std::string& url, const OpenOptions& options) {
  // Without a timeout an unreachable host holds a request thread until TCP gives up.
  std::string with_timeout = url;
  if (url.find("connect_timeout=") == std::string::npos) {
    with_timeout += (url.find('?') == std::string::npos ? "?" : "&") + std::string("connect_timeout=5");
  }
  return std::make_unique<PostgresDatabase>(with_timeout, options.pool_size);
}

}  // namespace moyakko::store
