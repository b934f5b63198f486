#include "disaster/ledger_import.h"

#include <map>
#include <set>

#include <fmt/format.h>

#include "audit/audit_log.h"
#include "common/crypto.h"
#include "common/error.h"
#include "common/text.h"
#include "disaster/tenant_settings.h"
#include "registry/persons.h"

namespace moyakko::disaster {
namespace {

using nlohmann::json;

enum class Step { kCreate, kUpdate, kUnchanged, kLink, kReview };

struct Planned {
  Step step = Step::kCreate;
  std::int64_t person_id = 0;  // the person updated or linked, or the candidate of a review
  std::string reason;          // for a review
};

struct Known {
  std::int64_t id;
  std::string kana;  // search key of the kana
  bool numbered;
};

std::string NameKey(const std::string& family, const std::string& given) { return SearchKey(family + given); }

// Every field the import writes, as one short hash: a record with the same fingerprint as
// the entry it made last time changes nothing. The leading version changes whenever the
// import comes to write something else, so that old fingerprints no longer match.
std::string Fingerprint(const LedgerRecord& r) {
  auto coordinate = [](const std::optional<double>& v) { return v ? fmt::format("{}", *v) : std::string(); };
  std::string all = fmt::format(
      "1\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}",
      r.resident_number, r.family_name, r.given_name, r.family_kana, r.given_kana, r.sex, r.birth_date.value_or(""),
      r.address, r.district, r.phone, coordinate(r.lat), coordinate(r.lon), r.care_level, fmt::join(r.needs, "\x1e"),
      r.supporter_name, r.supporter_phone, r.shelter, r.consent ? 1 : 0);
  return Sha256Hex(all).substr(0, 32);
}

struct Numbered {
  std::int64_t id;
  std::string fingerprint;  // of the record its ledger entry came from; "" when edited since
};

// What each record would do, from one read of the municipality's people.
std::vector<Planned> Plan(store::Session& s, std::int64_t tenant_id, const std::vector<LedgerRecord>& records) {
  std::map<std::string, Numbered> by_number;
  std::map<std::string, std::vector<Known>> by_name, by_kana;  // key + '|' + birth date
  for (const auto& row : s.Query("SELECT p.id, p.resident_number, p.family_name, p.given_name, p.family_kana, "
                                 "p.given_kana, p.birth_date, e.fingerprint, p.updated_at <= e.updated_at "
                                 "FROM persons p LEFT JOIN ledger_entries e ON e.person_id = p.id "
                                 "WHERE p.tenant_id = $1",
                                 {tenant_id})) {
    // A person changed in the register after the last import gets the ledger's data again.
    bool untouched = !row.IsNull(7) && row.Int(8) != 0;
    if (!row.IsNull(1)) by_number[row.Text(1)] = {row.Int(0), untouched ? row.Text(7) : ""};
    if (row.IsNull(6)) continue;
    Known known{row.Int(0), NameKey(row.Text(4), row.Text(5)), !row.IsNull(1)};
    by_name[NameKey(row.Text(2), row.Text(3)) + '|' + row.Text(6)].push_back(known);
    if (!known.kana.empty()) by_kana[known.kana + '|' + row.Text(6)].push_back(known);
  }
  std::vector<Planned> plan;
  plan.reserve(records.size());
  std::set<std::int64_t> linked;  // people a record of this file links to already
  for (const LedgerRecord& r : records) {
    if (auto number = by_number.find(r.resident_number); number != by_number.end()) {
      const Numbered& known = number->second;
      bool same = !known.fingerprint.empty() && known.fingerprint == Fingerprint(r);
      plan.push_back({same ? Step::kUnchanged : Step::kUpdate, known.id, ""});
      continue;
    }
    std::string birth = r.birth_date.value_or("");
    std::string kana = NameKey(r.family_kana, r.given_kana);
    std::vector<Known> same_name;
    for (const Known& k : by_name[NameKey(r.family_name, r.given_name) + '|' + birth]) {
      if (!k.numbered) same_name.push_back(k);  // a numbered person is another resident
    }
    if (same_name.size() == 1 && linked.contains(same_name[0].id)) {
      // Two records of the file, under two resident numbers, fit one person: someone decides.
      plan.push_back({Step::kReview, same_name[0].id, "matched_twice"});
    } else if (same_name.size() == 1 && (same_name[0].kana.empty() || kana.empty() || same_name[0].kana == kana)) {
      linked.insert(same_name[0].id);
      plan.push_back({Step::kLink, same_name[0].id, ""});
    } else if (same_name.size() == 1) {
      plan.push_back({Step::kReview, same_name[0].id, "kana_differs"});
    } else if (same_name.size() > 1) {
      plan.push_back({Step::kReview, same_name[0].id, "several_matches"});
    } else {
      auto similar = by_kana.find(kana + '|' + birth);
      bool unnumbered = similar != by_kana.end() &&
                        std::any_of(similar->second.begin(), similar->second.end(), [](const Known& k) { return !k.numbered; });
      if (!kana.empty() && unnumbered) plan.push_back({Step::kReview, similar->second[0].id, "name_differs"});
      else plan.push_back({Step::kCreate, 0, ""});
    }
  }
  return plan;
}

registry::Person PersonOf(const LedgerRecord& r, std::int64_t tenant_id) {
  registry::Person p;
  p.tenant_id = tenant_id;
  p.family_name = r.family_name;
  p.given_name = r.given_name;
  p.family_kana = r.family_kana;
  p.given_kana = r.given_kana;
  p.sex = r.sex;
  p.birth_date = r.birth_date;
  p.address = r.address;
  p.district = r.district;
  p.lat = r.lat;
  p.lon = r.lon;
  if (!r.phone.empty()) p.phones = {r.phone};
  p.resident_number = r.resident_number;
  return p;
}

// Writes the columns the ledger speaks for; the postal code and whatever else the register
// holds stay as they are.
void UpdatePerson(store::Session& s, std::int64_t id, std::int64_t tenant_id, const LedgerRecord& r, UnixMillis now) {
  registry::Person p = PersonOf(r, tenant_id);
  s.Execute("UPDATE persons SET family_name = $2, given_name = $3, family_kana = $4, given_kana = $5, sex = $6, "
            "birth_date = $7, address = $8, district = $9, lat = $10, lon = $11, phones = $12, resident_number = $13, "
            "search_key = $14, updated_at = $15 WHERE id = $1",
            {id, r.family_name, r.given_name, r.family_kana, r.given_kana, r.sex, store::Opt(r.birth_date), r.address,
             r.district, store::Opt(r.lat), store::Opt(r.lon), json(p.phones).dump(), r.resident_number,
             registry::PersonSearchKey(p), now});
}

// The ledger entries of people, created or brought up to date: `rows` holds each person's id
// with the record.
void PutEntries(store::Session& s, std::int64_t tenant_id, const std::vector<std::pair<std::int64_t, const LedgerRecord*>>& rows,
                UnixMillis now) {
  std::vector<store::Value> values;
  values.reserve(rows.size() * 11);
  for (const auto& [person_id, record] : rows) {
    const LedgerRecord& r = *record;
    values.insert(values.end(), {person_id, tenant_id, r.care_level, json(r.needs).dump(), r.supporter_name,
                                 r.supporter_phone, r.shelter, std::int64_t{r.consent}, Fingerprint(r), now, now});
  }
  store::InsertRows(s,
                    "INSERT INTO ledger_entries (person_id, tenant_id, care_level, needs, supporter_name, "
                    "supporter_phone, shelter, consent, fingerprint, imported_at, updated_at)",
                    11, values,
                    " ON CONFLICT (person_id) DO UPDATE SET tenant_id = excluded.tenant_id, care_level = excluded.care_level, "
                    "needs = excluded.needs, supporter_name = excluded.supporter_name, "
                    "supporter_phone = excluded.supporter_phone, shelter = excluded.shelter, consent = excluded.consent, "
                    "fingerprint = excluded.fingerprint, imported_at = excluded.imported_at, updated_at = excluded.updated_at");
}

json RecordJson(const LedgerRecord& r) {
  return {{"row", r.row}, {"resident_number", r.resident_number}, {"name", registry::JoinName(r.family_name, r.given_name)},
          {"kana", registry::JoinName(r.family_kana, r.given_kana)}, {"birth_date", r.birth_date.value_or("")}};
}

// A record waiting for review keeps all it says, so that settling it later can import it.
json StoredRecord(const LedgerRecord& r) {
  json out = RecordJson(r);
  out["record"] = {{"family_name", r.family_name},     {"given_name", r.given_name},
                   {"family_kana", r.family_kana},     {"given_kana", r.given_kana},
                   {"sex", r.sex},                     {"address", r.address},
                   {"district", r.district},           {"phone", r.phone},
                   {"lat", r.lat ? json(*r.lat) : json(nullptr)},
                   {"lon", r.lon ? json(*r.lon) : json(nullptr)},
                   {"care_level", r.care_level},       {"needs", r.needs},
                   {"supporter_name", r.supporter_name}, {"supporter_phone", r.supporter_phone},
                   {"shelter", r.shelter},             {"consent", r.consent}};
  return out;
}

LedgerRecord RecordFromStored(const json& stored) {
  const json& r = stored.at("record");
  LedgerRecord out;
  out.row = stored.at("row").get<int>();
  out.resident_number = stored.at("resident_number").get<std::string>();
  std::string birth = stored.at("birth_date").get<std::string>();
  if (!birth.empty()) out.birth_date = birth;
  out.family_name = r.at("family_name").get<std::string>();
  out.given_name = r.at("given_name").get<std::string>();
  out.family_kana = r.at("family_kana").get<std::string>();
  out.given_kana = r.at("given_kana").get<std::string>();
  out.sex = r.at("sex").get<std::string>();
  out.address = r.at("address").get<std::string>();
  out.district = r.at("district").get<std::string>();
  out.phone = r.at("phone").get<std::string>();
  if (!r.at("lat").is_null()) out.lat = r.at("lat").get<double>();
  if (!r.at("lon").is_null()) out.lon = r.at("lon").get<double>();
  out.care_level = r.at("care_level").get<std::string>();
  out.needs = r.at("needs").get<std::vector<std::string>>();
  out.supporter_name = r.at("supporter_name").get<std::string>();
  out.supporter_phone = r.at("supporter_phone").get<std::string>();
  out.shelter = r.at("shelter").get<std::string>();
  out.consent = r.at("consent").get<bool>();
  return out;
}

}  // namespace

ImportReport ImportLedger(store::Database& db, const ParsedLedger& ledger, const ImportOptions& options, UnixMillis now) {
  auto tenant = db.Read([&](store::Session& s) {
    return s.QueryOne("SELECT id FROM tenants WHERE code = $1", {options.tenant_code});
  });
  if (!tenant) Fail(ErrorCode::kNotFound, "no_such_tenant", "no municipality with code " + options.tenant_code, "tenant");
  std::int64_t tenant_id = tenant->Int(0);
  ImportReport report;
  report.rows = ledger.rows;
  report.valid = static_cast<int>(ledger.valid.size());
  bool write = !options.dry_run && (ledger.errors.empty() || options.skip_invalid);
  json reviews = json::array();
  // The transaction may run more than once (PostgreSQL retries one that met a concurrent
  // change), so the counts start again each time.
  auto run = [&](store::Session& s) {
    std::vector<Planned> plan = Plan(s, tenant_id, ledger.valid);
    reviews = json::array();
    report.created = report.updated = report.unchanged = report.linked = report.review = 0;
    std::vector<registry::Person> created;
    std::vector<const LedgerRecord*> created_records;
    std::vector<std::pair<std::int64_t, const LedgerRecord*>> entries;
    for (std::size_t i = 0; i < plan.size(); ++i) {
      const LedgerRecord& r = ledger.valid[i];
      const Planned& p = plan[i];
      switch (p.step) {
        case Step::kCreate: ++report.created; break;
        case Step::kUpdate: ++report.updated; break;
        case Step::kUnchanged: ++report.updated, ++report.unchanged; break;
        case Step::kLink: ++report.linked; break;
        case Step::kReview: {
          ++report.review;
          json review = RecordJson(r);
          review["candidate_person_id"] = p.person_id;
          review["reason"] = p.reason;
          reviews.push_back(review);
          break;
        }
      }
      if (!write) continue;
      if (p.step == Step::kCreate) {
        created.push_back(PersonOf(r, tenant_id));
        created_records.push_back(&r);
      } else if (p.step == Step::kReview) {
        s.Execute("DELETE FROM ledger_reviews WHERE tenant_id = $1 AND resident_number = $2 AND resolved_at IS NULL",
                  {tenant_id, r.resident_number});
        json record = StoredRecord(r);
        s.Execute("INSERT INTO ledger_reviews (tenant_id, resident_number, record, candidate_person_id, reason, created_at) "
                  "VALUES ($1, $2, $3, $4, $5, $6)",
                  {tenant_id, r.resident_number, record.dump(), p.person_id, p.reason, now});
      } else if (p.step != Step::kUnchanged) {
        UpdatePerson(s, p.person_id, tenant_id, r, now);
        entries.emplace_back(p.person_id, &r);
      }
    }
    if (!write) return;
    std::vector<std::int64_t> ids = registry::AddNumberedPersons(s, created, now);
    for (std::size_t i = 0; i < ids.size(); ++i) entries.emplace_back(ids[i], created_records[i]);
    PutEntries(s, tenant_id, entries, now);
    audit::Entry entry;
    entry.at = now;
    entry.actor_username = options.actor;
    entry.actor_user_id = options.actor_user_id;
    entry.actor_role = options.actor_role;
    entry.tenant_code = options.tenant_code;
    entry.action = "ledger.import";
    entry.detail = fmt::format("rows={} created={} updated={} unchanged={} linked={} review={} skipped={}", report.rows,
                               report.created, report.updated, report.unchanged, report.linked, report.review,
                               report.rows - report.valid);
    audit::Append(s, entry);
  };
  if (write) db.Write(run);
  else db.Read(run);
  report.written = write;
  json errors = json::array();
  for (const LedgerError& e : ledger.errors) {
    errors.push_back({{"row", e.row}, {"column", e.column}, {"code", e.code}, {"message", e.message}});
  }
  report.json = {{"rows", report.rows},       {"valid", report.valid},   {"created", report.created},
                 {"updated", report.updated + report.linked},            {"linked", report.linked},
                 {"unchanged", report.unchanged},
                 {"review", reviews},         {"errors", errors},        {"encoding", ledger.encoding},
                 {"unknown_columns", ledger.unknown_columns},            {"dry_run", options.dry_run},
                 {"written", report.written}};
  return report;
}

ReviewOutcome ResolveReview(store::Session& s, std::int64_t tenant_id, std::int64_t review_id,
                            const std::string& decision, std::optional<std::int64_t> user_id, UnixMillis now) {
  if (decision != "link" && decision != "create" && decision != "dismiss") {
    Fail(ErrorCode::kInvalidArgument, "invalid_decision", "decision: link, create or dismiss", "decision");
  }
  auto review = s.QueryOne("SELECT record, candidate_person_id, resolved_at FROM ledger_reviews "
                           "WHERE id = $1 AND tenant_id = $2",
                           {review_id, tenant_id});
  if (!review) Fail(ErrorCode::kNotFound, "no_such_review", "no such record waiting for review");
  if (!review->IsNull(2)) Fail(ErrorCode::kConflict, "already_resolved", "this record has been settled already");
  json stored = json::parse(review->Text(0));
  ReviewOutcome outcome{decision, std::nullopt};
  if (decision != "dismiss") {
    if (!stored.contains("record")) {
      Fail(ErrorCode::kConflict, "record_incomplete", "this record was kept before records were kept whole; import the file again");
    }
    LedgerRecord r = RecordFromStored(stored);
    auto numbered = s.QueryOne("SELECT id FROM persons WHERE tenant_id = $1 AND resident_number = $2",
                               {tenant_id, r.resident_number});
    if (numbered) {
      Fail(ErrorCode::kConflict, "resident_number_taken",
           "someone in the register has this resident number now; import the file again");
    }
    if (decision == "link") {
      std::int64_t candidate = review->Int(1);
      UpdatePerson(s, candidate, tenant_id, r, now);
      outcome.person_id = candidate;
    } else {
      outcome.person_id = registry::AddPerson(s, PersonOf(r, tenant_id), now);
    }
    PutEntries(s, tenant_id, {{*outcome.person_id, &r}}, now);
  }
  s.Execute("UPDATE ledger_reviews SET resolved_at = $2, resolution = $3, resolved_by = $4 WHERE id = $1",
            {review_id, now, decision, store::Opt(user_id)});
  return outcome;
}

std::map<std::string, LedgerField> LoadMapping(store::Session& s, const std::string& tenant_code) {
  std::map<std::string, LedgerField> mapping;
  auto saved = LoadTenantSetting(s, "ledger_mapping", tenant_code);
  if (!saved) return mapping;
  for (const auto& [header, field] : saved->items()) {
    if (auto parsed = ParseFieldName(field.get<std::string>())) mapping[header] = *parsed;
  }
  return mapping;
}

void SaveMapping(store::Session& s, const std::string& tenant_code, const std::map<std::string, LedgerField>& mapping) {
  json value = json::object();
  for (const auto& [header, field] : mapping) value[header] = std::string(FieldName(field));
  SaveTenantSetting(s, "ledger_mapping", tenant_code, value);
}

}  // namespace moyakko::disaster
