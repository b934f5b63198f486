#include "store/database.h"

#include <algorithm>
#include <iterator>

#include <fmt/format.h>

#include "common/error.h"
#include "store/postgres_database.h"
#include "store/sqlite_database.h"

namespace moyakko::store {

Value Opt(const std::optional<std::int64_t>& v) { return v ? Value(*v) : Value(Null{}); }
Value Opt(const std::optional<std::string>& v) { return v ? Value(*v) : Value(Null{}); }
Value Opt(const std::optional<double>& v) { return v ? Value(*v) : Value(Null{}); }

std::int64_t Row::Int(std::size_t i) const {
  const Value& v = values_.at(i);
  if (auto p = std::get_if<std::int64_t>(&v)) return *p;
  if (auto p = std::get_if<double>(&v)) return static_cast<std::int64_t>(*p);
  if (auto p = std::get_if<std::string>(&v)) return p->empty() ? 0 : std::stoll(*p);
  return 0;
}

double Row::Real(std::size_t i) const {
  const Value& v = values_.at(i);
  if (auto p = std::get_if<double>(&v)) return *p;
  if (auto p = std::get_if<std::int64_t>(&v)) return static_cast<double>(*p);
  if (auto p = std::get_if<std::string>(&v)) return p->empty() ? 0 : std::stod(*p);
  return 0;
}

std::string Row::Text(std::size_t i) const {
  const Value& v = values_.at(i);
  if (auto p = std::get_if<std::string>(&v)) return *p;
  if (auto p = std::get_if<std::int64_t>(&v)) return std::to_string(*p);
  if (auto p = std::get_if<double>(&v)) return fmt::format("{}", *p);
  return {};
}

std::string Row::TakeText(std::size_t i) {
  if (auto p = std::get_if<std::string>(&values_.at(i))) return std::move(*p);
  return Text(i);
}

std::optional<std::int64_t> Row::OptInt(std::size_t i) const {
  if (IsNull(i)) return std::nullopt;
  return Int(i);
}
std::optional<double> Row::OptReal(std::size_t i) const {
  if (IsNull(i)) return std::nullopt;
  return Real(i);
}
std::optional<std::string> Row::OptText(std::size_t i) const {
  if (IsNull(i)) return std::nullopt;
  return Text(i);
}

void Database::RunWork(TxMode mode, const std::function<void(Session&)>& work) {
  RunTransaction(mode, [&](Session& s) {
    s.at_commit_.clear();  // a pooled session's, left by a transaction that threw
    work(s);
    for (auto& write : s.at_commit_) write->Write(s);
    s.at_commit_.clear();
  });
}

Rows InsertRows(Session& s, std::string_view head, std::size_t columns, std::span<const Value> values,
                std::string_view tail, std::size_t rows_per_statement) {
  if (columns == 0 || values.size() % columns != 0) {
    throw Failure(Error{ErrorCode::kInternal, "internal", "InsertRows: values are not whole rows", "", {}});
  }
  Rows returned;
  std::size_t per_statement = columns * rows_per_statement;
  for (std::size_t start = 0; start < values.size(); start += per_statement) {
    std::span<const Value> chunk = values.subspan(start, std::min(per_statement, values.size() - start));
    std::string sql(head);
    sql += " VALUES ";
    for (std::size_t i = 0; i < chunk.size(); ++i) {
      if (i % columns == 0) sql += i == 0 ? "(" : "), (";
      else sql += ", ";
      fmt::format_to(std::back_inserter(sql), "${}", i + 1);
    }
    sql += ")";
    sql += tail;
    for (Row& row : s.Query(sql, chunk)) returned.push_back(std::move(row));
  }
  return returned;
}

std::vector<std::string> UnsafeDurabilitySettings(Database& db) {
  if (db.dialect() != Dialect::kPostgres) return {};
  return db.Read([](Session& s) {
    std::vector<std::string> unsafe;
    for (const char* name : {"fsync", "full_page_writes", "synchronous_commit"}) {
      std::string value = s.QueryOne("SELECT current_setting($1)", {std::string(name)})->Text(0);
      if (value == "off") unsafe.push_back(fmt::format("{}={}", name, value));
    }
    return unsafe;
  });
}

std::string EscapeLike(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

bool IsPostgresUrl(std::string_view url) {
  return url.starts_with("postgresql://") || url.starts_with("postgres://");
}

std::unique_ptr<Database> Open(const std::string& url, OpenOptions options) {
  if (url.empty()) Fail(ErrorCode::kInvalidArgument, "invalid_db", "database path is empty", "db");
  if (IsPostgresUrl(url)) return OpenPostgres(url, options);
  return OpenSqlite(url, options);
}

}  // namespace moyakko::store
