#pragma once
// The only door to the database. Features write SQL in PostgreSQL's dialect with $1, $2 …
// placeholders; the SQLite backend rewrites placeholders. Everything dialect-specific beyond
// that stays in this folder (migrations use {{pk}}-style tokens, see migrations.cc).
//
// Errors: a lost or busy database becomes Failure(kUnavailable) (HTTP 503, retry later), a
// unique-key violation Failure(kConflict); other SQL errors Failure(kInternal) with the
// library's text only in `internal`. Nothing from SQLite or libpq escapes this folder.
//
// Thread safety: Database is shared by all threads; a Session belongs to one thread for the
// duration of one Transact call.
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace moyakko::store {

enum class Dialect { kSqlite, kPostgres };

using Null = std::monostate;
using Value = std::variant<Null, std::int64_t, double, std::string>;

// Helpers that keep call sites short: Opt(x) is NULL when x is empty.
Value Opt(const std::optional<std::int64_t>& v);
Value Opt(const std::optional<std::string>& v);
Value Opt(const std::optional<double>& v);

class Row {
 public:
  explicit Row(std::vector<Value> values) : values_(std::move(values)) {}
  bool IsNull(std::size_t i) const { return std::holds_alternative<Null>(values_.at(i)); }
  std::int64_t Int(std::size_t i) const;         // NULL → 0
  double Real(std::size_t i) const;              // NULL → 0
  std::string Text(std::size_t i) const;         // NULL → ""
  std::optional<std::int64_t> OptInt(std::size_t i) const;
  std::optional<double> OptReal(std::size_t i) const;
  std::optional<std::string> OptText(std::size_t i) const;
  // Text(i), moved out of the row (whose text there is then unspecified): for rows read once.
  std::string TakeText(std::size_t i);
  std::size_t size() const { return values_.size(); }

 private:
  std::vector<Value> values_;
};
using Rows = std::vector<Row>;

class Session;

// A write that many pieces of work in one transaction add to, made once just before COMMIT
// (Session::AtCommit): counters that every grouped upload increments become one upsert, and,
// written last, their rows stay locked against concurrent transactions the shortest time.
class AtCommitWrite {
 public:
  virtual ~AtCommitWrite() = default;
  virtual void Write(Session& s) = 0;
};

class Session {
 public:
  virtual ~Session() = default;
  virtual Dialect dialect() const = 0;
  virtual Rows Query(std::string_view sql, std::span<const Value> params) = 0;
  // Returns the number of rows changed.
  virtual std::int64_t Execute(std::string_view sql, std::span<const Value> params) = 0;
  // Several statements, no parameters (migrations).
  virtual void ExecuteScript(std::string_view sql) = 0;

  Rows Query(std::string_view sql, std::initializer_list<Value> params = {}) {
    return Query(sql, std::span<const Value>(params.begin(), params.size()));
  }
  std::int64_t Execute(std::string_view sql, std::initializer_list<Value> params = {}) {
    return Execute(sql, std::span<const Value>(params.begin(), params.size()));
  }
  std::optional<Row> QueryOne(std::string_view sql, std::initializer_list<Value> params = {}) {
    Rows rows = Query(sql, params);
    if (rows.empty()) return std::nullopt;
    return std::move(rows.front());
  }
  // " FOR UPDATE" on PostgreSQL; SQLite's write transactions already hold the only lock.
  std::string_view ForUpdate() const { return dialect() == Dialect::kPostgres ? " FOR UPDATE" : ""; }

  // The transaction's one `T` (an AtCommitWrite, made on first use): its Write runs after the
  // transaction's work, before COMMIT, in the order of first use.
  template <class T>
  T& AtCommit() {
    for (auto& write : at_commit_) {
      if (auto* t = dynamic_cast<T*>(write.get())) return *t;
    }
    return static_cast<T&>(*at_commit_.emplace_back(std::make_unique<T>()));
  }

 private:
  friend class Database;
  std::vector<std::unique_ptr<AtCommitWrite>> at_commit_;
};

// kStatement: a read that runs one statement, without BEGIN and COMMIT (the statement is its
// own snapshot). For the many one-query reads on every request (sessions, device tokens), on
// PostgreSQL it saves two round trips of three.
enum class TxMode { kRead, kWrite, kStatement };

class Database {
 public:
  virtual ~Database() = default;
  virtual Dialect dialect() const = 0;
  // A description safe to log: the file path or the PostgreSQL host/db, never a password.
  virtual std::string Describe() const = 0;

  // Runs `work` in one transaction: committed when it returns, rolled back when it throws
  // (the exception propagates). A write transaction on SQLite is BEGIN IMMEDIATE.
  virtual void RunTransaction(TxMode mode, const std::function<void(Session&)>& work) = 0;

  template <class Work>
  auto Transact(TxMode mode, Work&& work) -> decltype(work(std::declval<Session&>())) {
    using Result = decltype(work(std::declval<Session&>()));
    if constexpr (std::is_void_v<Result>) {
      RunWork(mode, [&](Session& s) { work(s); });
    } else {
      std::optional<Result> result;
      RunWork(mode, [&](Session& s) { result.emplace(work(s)); });
      return std::move(*result);
    }
  }
  template <class Work>
  auto Read(Work&& work) { return Transact(TxMode::kRead, std::forward<Work>(work)); }
  template <class Work>
  auto Write(Work&& work) { return Transact(TxMode::kWrite, std::forward<Work>(work)); }
  // For `work` that runs exactly one read statement (see TxMode::kStatement).
  template <class Work>
  auto ReadStatement(Work&& work) { return Transact(TxMode::kStatement, std::forward<Work>(work)); }

 private:
  // RunTransaction, with the session's at-commit writes made after `work`.
  void RunWork(TxMode mode, const std::function<void(Session&)>& work);
};

struct OpenOptions {
  int pool_size = 8;
};

// `url` is a file path (SQLite) or a postgresql:// / postgres:// URI. Throws Failure.
std::unique_ptr<Database> Open(const std::string& url, OpenOptions options = {});
bool IsPostgresUrl(std::string_view url);
// Inserts many rows with few statements: `values` holds the rows one after another, `columns`
// values each, and goes in `rows_per_statement` rows at a time as
// `<head> VALUES (…), (…) <tail>` (head "INSERT INTO t (a, b)", tail e.g. " RETURNING id" or an
// ON CONFLICT clause). One statement per chunk saves PostgreSQL's round trips and SQLite's
// per-statement work (statement journal, full-text index flush). Returns what the
// statements returned.
Rows InsertRows(Session& s, std::string_view head, std::size_t columns, std::span<const Value> values,
                std::string_view tail = "", std::size_t rows_per_statement = 500);
// The database server's settings that acknowledged writes depend on, where they are not as
// they must be, e.g. "fsync=off": PostgreSQL's fsync and full_page_writes on and
// synchronous_commit not off (a crash may otherwise lose or corrupt committed work). Empty
// on SQLite, whose connections set their own (synchronous=FULL).
std::vector<std::string> UnsafeDurabilitySettings(Database& db);
// Escapes %, _ and \ for use in `LIKE $n ESCAPE '\'` (the same on both databases).
std::string EscapeLike(std::string_view text);

// Copies the SQLite database `from` into `to` with SQLite's online backup API: a
// consistent copy even while a server writes to `from`. Backup and restore both use it
// (restore with the server stopped). Throws Failure.
void CopySqlite(const std::string& from, const std::string& to);

}  // namespace moyakko::store
