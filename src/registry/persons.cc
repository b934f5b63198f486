#include "registry/persons.h"

#include <map>

#include <fmt/format.h>

#include "common/error.h"
#include "common/text.h"

namespace moyakko::registry {

const char* const kPersonColumns =
    "p.id, p.tenant_id, p.family_name, p.given_name, p.family_kana, p.given_kana, p.sex, p.birth_date, "
    "p.postal_code, p.address, p.district, p.lat, p.lon, p.phones, p.resident_number";

Person PersonFromRow(const store::Row& row, std::size_t first) {
  auto r = [&](std::size_t i) { return i + first; };
  Person p;
  p.id = row.Int(r(0));
  p.tenant_id = row.Int(r(1));
  p.family_name = row.Text(r(2));
  p.given_name = row.Text(r(3));
  p.family_kana = row.Text(r(4));
  p.given_kana = row.Text(r(5));
  p.sex = row.Text(r(6));
  p.birth_date = row.OptText(r(7));
  p.postal_code = row.Text(r(8));
  p.address = row.Text(r(9));
  p.district = row.Text(r(10));
  p.lat = row.OptReal(r(11));
  p.lon = row.OptReal(r(12));
  for (const auto& phone : nlohmann::json::parse(row.Text(r(13)), nullptr, false)) {
    if (phone.is_string()) p.phones.push_back(phone.get<std::string>());
  }
  p.resident_number = row.OptText(r(14));
  return p;
}

namespace {

void RequireText(const std::string& value, const char* field, std::size_t max, bool required) {
  if (required && value.empty()) Fail(ErrorCode::kInvalidArgument, "missing", fmt::format("{} is required", field), field);
  if (!IsValidUtf8(value) || Utf8Length(value) > max) {
    Fail(ErrorCode::kInvalidArgument, "too_long", fmt::format("{}: at most {} characters", field, max), field);
  }
}

}  // namespace

std::string PersonSearchKey(const Person& p) {
  return SearchKey(fmt::format("{}{} {}{} {} {}", p.family_name, p.given_name, p.family_kana, p.given_kana, p.address,
                               fmt::join(p.phones, " ")));
}

namespace {

constexpr const char* kInsertPerson =
    "INSERT INTO persons (tenant_id, family_name, given_name, family_kana, given_kana, sex, birth_date, "
    "postal_code, address, district, lat, lon, phones, resident_number, search_key, created_at, updated_at)";
constexpr std::size_t kInsertPersonColumns = 17;
constexpr std::size_t kSearchKeyColumn = 14;

// Validates `p` (400 naming the field) and appends the values of its persons row.
void AppendPersonRow(const Person& p, UnixMillis now, std::vector<store::Value>& values) {
  RequireText(p.family_name, "family_name", 50, true);
  RequireText(p.given_name, "given_name", 50, false);
  RequireText(p.family_kana, "family_kana", 100, false);
  RequireText(p.given_kana, "given_kana", 100, false);
  RequireText(p.address, "address", 200, false);
  RequireText(p.district, "district", 50, false);
  if (p.sex != "female" && p.sex != "male" && p.sex != "other" && p.sex != "unknown") {
    Fail(ErrorCode::kInvalidArgument, "invalid_sex", "sex: female, male, other or unknown", "sex");
  }
  if (p.birth_date && !IsCalendarDate(*p.birth_date)) {
    Fail(ErrorCode::kInvalidArgument, "invalid_date", "birth_date: YYYY-MM-DD", "birth_date");
  }
  if (p.lat && (*p.lat < -90 || *p.lat > 90)) {
    Fail(ErrorCode::kInvalidArgument, "invalid_location", "lat must be within ±90", "lat");
  }
  if (p.lon && (*p.lon < -180 || *p.lon > 180)) {
    Fail(ErrorCode::kInvalidArgument, "invalid_location", "lon must be within ±180", "lon");
  }
  values.insert(values.end(), {p.tenant_id, p.family_name, p.given_name, p.family_kana, p.given_kana, p.sex,
                               store::Opt(p.birth_date), p.postal_code, p.address, p.district, store::Opt(p.lat),
                               store::Opt(p.lon), nlohmann::json(p.phones).dump(), store::Opt(p.resident_number),
                               PersonSearchKey(p), now, now});
}

// SQLite's trigram index of the new people's search keys (`values` as AppendPersonRow made
// them), in statements of many rows: FTS5 flushes its pending terms at the end of each.
void IndexSearchKeys(store::Session& s, std::span<const std::int64_t> ids, std::span<const store::Value> values) {
  if (s.dialect() != store::Dialect::kSqlite) return;
  std::vector<store::Value> rows;
  rows.reserve(ids.size() * 2);
  for (std::size_t i = 0; i < ids.size(); ++i) {
    rows.push_back(ids[i]);
    rows.push_back(values[i * kInsertPersonColumns + kSearchKeyColumn]);
  }
  store::InsertRows(s, "INSERT INTO persons_fts (rowid, search_key)", 2, rows, "", 5000);
}

}  // namespace

std::int64_t AddPerson(store::Session& s, const Person& p, UnixMillis now) {
  std::vector<store::Value> values;
  AppendPersonRow(p, now, values);
  std::int64_t id = store::InsertRows(s, kInsertPerson, kInsertPersonColumns, values, " RETURNING id").at(0).Int(0);
  IndexSearchKeys(s, {&id, 1}, values);
  return id;
}

std::vector<std::int64_t> AddNumberedPersons(store::Session& s, std::span<const Person> persons, UnixMillis now) {
  std::vector<store::Value> values;
  values.reserve(persons.size() * kInsertPersonColumns);
  std::map<std::string, std::size_t> position;
  for (std::size_t i = 0; i < persons.size(); ++i) {
    const Person& p = persons[i];
    if (!p.resident_number || !position.emplace(*p.resident_number, i).second) {
      Fail(ErrorCode::kInvalidArgument, "invalid_resident_number", "each person needs a resident number of their own",
           "resident_number");
    }
    AppendPersonRow(p, now, values);
  }
  // The order of RETURNING rows is not promised; the resident number says whose id it is.
  std::vector<std::int64_t> ids(persons.size());
  for (const store::Row& row : store::InsertRows(s, kInsertPerson, kInsertPersonColumns, values,
                                                 " RETURNING id, resident_number")) {
    ids[position.at(row.Text(1))] = row.Int(0);
  }
  IndexSearchKeys(s, ids, values);
  return ids;
}

std::optional<Person> GetPerson(store::Session& s, std::int64_t id) {
  auto row = s.QueryOne(fmt::format("SELECT {} FROM persons p WHERE p.id = $1", kPersonColumns), {id});
  if (!row) return std::nullopt;
  return PersonFromRow(*row);
}

std::optional<std::string> TrigramPhrase(store::Session& s, const std::string& key) {
  if (s.dialect() != store::Dialect::kSqlite || Utf8Length(key) < 3) return std::nullopt;
  // A phrase of trigrams is a substring match, answered from the index alone (LIKE through
  // the index would read every candidate's key again).
  std::string phrase = "\"";
  for (char c : key) phrase += c == '"' ? std::string("\"\"") : std::string(1, c);
  return phrase + "\"";
}

KeySearch MatchSearchKey(store::Session& s, const std::string& key,
                         const std::function<std::string(store::Value)>& param) {
  if (key.empty()) return {"persons p", ""};
  if (auto phrase = TrigramPhrase(s, key)) {
    // CROSS JOIN keeps SQLite from reading the register first and probing the index after.
    return {"(SELECT rowid AS id FROM persons_fts WHERE persons_fts MATCH " + param(*phrase) +
                ") f CROSS JOIN persons p ON p.id = f.id",
            ""};
  }
  return {"persons p", "p.search_key LIKE " + param("%" + store::EscapeLike(key) + "%") + " ESCAPE '\\'"};
}

std::vector<Person> SearchPersons(store::Session& s, const auth::Principal& principal,
                                  const PersonSearch& search) {
  auth::PersonScope scope = auth::ListScope(principal);
  if (scope == auth::PersonScope::kNone) return {};
  std::vector<store::Value> params;
  auto param = [&](store::Value value) {
    params.push_back(std::move(value));
    return fmt::format("${}", params.size());
  };
  std::string key = SearchKey(search.text);
  std::vector<std::string> where;
  std::string from = "persons p";
  if (scope == auth::PersonScope::kTenant) {
    KeySearch match = MatchSearchKey(s, key, param);
    from = match.from;
    if (!match.where.empty()) where.push_back(match.where);
    where.push_back("p.tenant_id = " + param(principal.tenant_id));
  } else {
    // Related people only: family links, and the care teams one is an active member of.
    std::string user = param(principal.user_id);
    where.push_back("p.id IN (SELECT person_id FROM family_links WHERE user_id = " + user + " UNION "
                    "SELECT m.person_id FROM care_team_members m JOIN patients pa ON pa.person_id = m.person_id "
                    "AND pa.status = 'active' WHERE m.user_id = " + user + " AND m.status = 'active')");
    if (!key.empty()) where.push_back("p.search_key LIKE " + param("%" + store::EscapeLike(key) + "%") + " ESCAPE '\\'");
  }
  std::string sql = fmt::format("SELECT {} FROM {} WHERE {} ORDER BY p.family_kana, p.given_kana, p.id LIMIT {}", kPersonColumns, from,
                                fmt::join(where, " AND "), param(std::int64_t{std::clamp(search.limit, 1, 200)}));
  std::vector<Person> persons;
  for (const auto& row : s.Query(sql, params)) persons.push_back(PersonFromRow(row));
  return persons;
}

std::string JoinName(const std::string& family, const std::string& given) {
  return given.empty() ? family : family + " " + given;
}

std::string TenantTimeZone(store::Session& s, std::int64_t tenant_id) {
  auto zone = s.QueryOne("SELECT time_zone FROM tenants WHERE id = $1", {tenant_id});
  return zone ? zone->Text(0) : "Asia/Tokyo";
}

std::optional<int> AgeOn(const std::optional<std::string>& birth_date, const std::string& today) {
  if (!birth_date || birth_date->size() != 10 || today.size() != 10) return std::nullopt;
  int age = std::stoi(today.substr(0, 4)) - std::stoi(birth_date->substr(0, 4));
  if (today.substr(5) < birth_date->substr(5)) --age;
  return age;
}

nlohmann::json ToJson(const Person& p, const std::string& today) {
  nlohmann::json j = {
      {"id", p.id},
      {"name", JoinName(p.family_name, p.given_name)},
      {"family_name", p.family_name},
      {"given_name", p.given_name},
      {"kana", JoinName(p.family_kana, p.given_kana)},
      {"sex", p.sex},
      {"birth_date", p.birth_date ? nlohmann::json(*p.birth_date) : nlohmann::json(nullptr)},
      {"postal_code", p.postal_code},
      {"address", p.address},
      {"district", p.district},
      {"phones", p.phones},
      {"lat", p.lat ? nlohmann::json(*p.lat) : nlohmann::json(nullptr)},
      {"lon", p.lon ? nlohmann::json(*p.lon) : nlohmann::json(nullptr)},
  };
  auto age = AgeOn(p.birth_date, today);
  j["age"] = age ? nlohmann::json(*age) : nlohmann::json(nullptr);
  return j;
}

}  // namespace moyakko::registry
