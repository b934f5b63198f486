#include "audit/audit_log.h"

#include <fmt/format.h>

#include "common/crypto.h"

namespace moyakko::audit {
namespace {

constexpr std::string_view kColumns =
    "seq, at, actor_user_id, actor_username, actor_role, tenant_code, action, person_id, "
    "outcome, reason, request_id, detail, prev_hash, hash";

// Every field length-prefixed, so no two different entries serialise alike.
std::string ChainHash(const std::string& prev_hash, const Entry& e) {
  std::string canonical;
  auto add = [&](std::string_view field) { canonical += fmt::format("{}:{};", field.size(), field); };
  add(prev_hash);
  add(std::to_string(e.seq));
  add(std::to_string(e.at));
  add(e.actor_user_id ? std::to_string(*e.actor_user_id) : "-");
  add(e.actor_username);
  add(e.actor_role);
  add(e.tenant_code);
  add(e.action);
  add(e.person_id ? std::to_string(*e.person_id) : "-");
  add(ToString(e.outcome));
  add(e.reason);
  add(e.request_id);
  add(e.detail);
  return Sha256Hex(canonical);
}

Outcome ParseOutcome(const std::string& text) {
  if (text == "allowed") return Outcome::kAllowed;
  if (text == "denied") return Outcome::kDenied;
  return Outcome::kFailed;
}

Entry FromRow(const store::Row& r) {
  Entry e;
  e.seq = r.Int(0);
  e.at = r.Int(1);
  e.actor_user_id = r.OptInt(2);
  e.actor_username = r.Text(3);
  e.actor_role = r.Text(4);
  e.tenant_code = r.Text(5);
  e.action = r.Text(6);
  e.person_id = r.OptInt(7);
  e.outcome = ParseOutcome(r.Text(8));
  e.reason = r.Text(9);
  e.request_id = r.Text(10);
  e.detail = r.Text(11);
  return e;
}

}  // namespace

std::string_view ToString(Outcome outcome) {
  switch (outcome) {
    case Outcome::kAllowed: return "allowed";
    case Outcome::kDenied: return "denied";
    case Outcome::kFailed: return "failed";
  }
  return "failed";
}

void Append(store::Session& s, Entry e) {
  // Locking the head row serialises appends across threads and app nodes.
  auto head = s.QueryOne(fmt::format("SELECT seq, hash FROM audit_head WHERE id = 1{}", s.ForUpdate()));
  std::int64_t prev_seq = head ? head->Int(0) : 0;
  std::string prev_hash = head ? head->Text(1) : "";
  e.seq = prev_seq + 1;
  std::string hash = ChainHash(prev_hash, e);
  s.Execute(fmt::format("INSERT INTO audit_events ({}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
                        "$10, $11, $12, $13, $14)", kColumns),
            {e.seq, e.at, store::Opt(e.actor_user_id), e.actor_username, e.actor_role,
             e.tenant_code, e.action, store::Opt(e.person_id), std::string(ToString(e.outcome)),
             e.reason, e.request_id, e.detail, prev_hash, hash});
  s.Execute("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1", {e.seq, hash});
}

void AppendNow(store::Database& db, Entry entry) {
  db.Write([&](store::Session& s) { Append(s, std::move(entry)); });
}

VerifyReport Verify(store::Database& db) {
  VerifyReport report;
  db.Read([&](store::Session& s) {
    auto head = s.QueryOne("SELECT seq, hash FROM audit_head WHERE id = 1");
    std::string prev_hash;
    std::int64_t expected_seq = 1;
    constexpr std::int64_t kPage = 5000;
    for (;;) {
      store::Rows rows = s.Query(
          fmt::format("SELECT {} FROM audit_events WHERE seq >= $1 ORDER BY seq LIMIT $2", kColumns),
          {expected_seq, kPage});
      for (const store::Row& row : rows) {
        Entry e = FromRow(row);
        auto fail = [&](std::int64_t seq, std::string problem) {
          report.intact = false;
          report.first_bad_seq = seq;
          report.problem = std::move(problem);
        };
        if (e.seq != expected_seq) {
          fail(expected_seq, fmt::format("entry {} is missing", expected_seq));
          return;
        }
        if (row.Text(12) != prev_hash) {
          fail(e.seq, fmt::format("entry {} does not link to entry {}", e.seq, e.seq - 1));
          return;
        }
        std::string hash = ChainHash(prev_hash, e);
        if (hash != row.Text(13)) {
          fail(e.seq, fmt::format("entry {} was changed", e.seq));
          return;
        }
        prev_hash = hash;
        ++expected_seq;
        ++report.entries;
      }
      if (static_cast<std::int64_t>(rows.size()) < kPage) break;
    }
    std::int64_t head_seq = head ? head->Int(0) : 0;
    if (head_seq != report.entries || (head && head->Text(1) != prev_hash)) {
      report.intact = false;
      report.first_bad_seq = report.entries + 1;
      report.problem = fmt::format("the log ends at entry {} but {} entries were written",
                                   report.entries, head_seq);
    }
  });
  return report;
}

std::vector<Entry> Search(store::Database& db, const Query& q) {
  std::string sql = fmt::format("SELECT {} FROM audit_events WHERE 1 = 1", kColumns);
  std::vector<store::Value> params;
  auto where = [&](std::string_view clause, store::Value value) {
    params.push_back(std::move(value));
    sql += fmt::format(" AND {}${}", clause, params.size());
  };
  if (q.actor) where("actor_username = ", *q.actor);
  if (q.person_id) where("person_id = ", *q.person_id);
  if (q.action) {
    where("action LIKE ", store::EscapeLike(*q.action) + "%");
    sql += " ESCAPE '\\'";
  }
  if (q.outcome) where("outcome = ", *q.outcome);
  if (q.tenant_code) where("tenant_code = ", *q.tenant_code);
  if (q.from) where("at >= ", *q.from);
  if (q.to) where("at < ", *q.to);
  if (q.before_seq) where("seq < ", *q.before_seq);
  params.push_back(std::int64_t{q.limit});
  sql += fmt::format(" ORDER BY seq DESC LIMIT ${}", params.size());
  return db.Read([&](store::Session& s) {
    std::vector<Entry> entries;
    for (const store::Row& row : s.Query(sql, params)) entries.push_back(FromRow(row));
    return entries;
  });
}

}  // namespace moyakko::audit
