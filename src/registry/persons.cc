#include "registry/persons.h"

#include <fmt/format.h>

#include "common/error.h"
#include "common/text.h"

namespace moyakko::registry {
namespace {

constexpr std::string_view kColumns =
    "SELECT id, tenant_id, family_name, given_name, family_kana, given_kana, sex, birth_date, "
    "postal_code, address, district, lat, lon, phones, resident_number FROM persons ";

Person FromRow(const store::Row& r) {
  Person p;
  p.id = r.Int(0);
  p.tenant_id = r.Int(1);
  p.family_name = r.Text(2);
  p.given_name = r.Text(3);
  p.family_kana = r.Text(4);
  p.given_kana = r.Text(5);
  p.sex = r.Text(6);
  p.birth_date = r.OptText(7);
  p.postal_code = r.Text(8);
  p.address = r.Text(9);
  p.district = r.Text(10);
  p.lat = r.OptReal(11);
  p.lon = r.OptReal(12);
  for (const auto& phone : nlohmann::json::parse(r.Text(13), nullptr, false)) {
    if (phone.is_string()) p.phones.push_back(phone.get<std::string>());
  }
  p.resident_number = r.OptText(14);
  return p;
}

void RequireText(const std::string& value, const char* field, std::size_t max, bool required) {
  if (required && value.empty()) Fail(ErrorCode::kInvalidArgument, "missing", fmt::format("{} is required", field), field);
  if (!IsValidUtf8(value) || Utf8Length(value) > max) {
    Fail(ErrorCode::kInvalidArgument, "too_long", fmt::format("{}: at most {} characters", field, max), field);
  }
}

}  // namespace

std::int64_t AddPerson(store::Session& s, const Person& p, UnixMillis now) {
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
  nlohmann::json phones = p.phones;
  std::string key = SearchKey(fmt::format("{}{} {}{} {} {}", p.family_name, p.given_name, p.family_kana,
                                          p.given_kana, p.address, fmt::join(p.phones, " ")));
  return s.QueryOne(
      "INSERT INTO persons (tenant_id, family_name, given_name, family_kana, given_kana, sex, birth_date, "
      "postal_code, address, district, lat, lon, phones, resident_number, search_key, created_at, updated_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16) RETURNING id",
      {p.tenant_id, p.family_name, p.given_name, p.family_kana, p.given_kana, p.sex, store::Opt(p.birth_date),
       p.postal_code, p.address, p.district, store::Opt(p.lat), store::Opt(p.lon), phones.dump(),
       store::Opt(p.resident_number), key, now})->Int(0);
}

std::optional<Person> GetPerson(store::Session& s, std::int64_t id) {
  auto row = s.QueryOne(std::string(kColumns) + "WHERE id = $1", {id});
  if (!row) return std::nullopt;
  return FromRow(*row);
}

std::vector<Person> SearchPersons(store::Session& s, const auth::Principal& principal,
                                  const PersonSearch& search) {
  auth::PersonScope scope = auth::ListScope(principal);
  if (scope == auth::PersonScope::kNone) return {};
  std::string pattern = "%" + store::EscapeLike(SearchKey(search.text)) + "%";
  std::string sql(kColumns);
  std::vector<store::Value> params{pattern, std::int64_t{std::clamp(search.limit, 1, 200)}};
  if (scope == auth::PersonScope::kTenant) {
    sql += "WHERE tenant_id = $3 AND search_key LIKE $1 ESCAPE '\\' ";
    params.emplace_back(principal.tenant_id);
  } else {
    // Related people only: family links, and the care teams one is an active member of.
    sql += "WHERE id IN (SELECT person_id FROM family_links WHERE user_id = $3 UNION "
           "SELECT m.person_id FROM care_team_members m JOIN patients pa ON pa.person_id = m.person_id "
           "AND pa.status = 'active' WHERE m.user_id = $3 AND m.status = 'active') "
           "AND search_key LIKE $1 ESCAPE '\\' ";
    params.emplace_back(principal.user_id);
  }
  sql += "ORDER BY family_kana, given_kana, id LIMIT $2";
  std::vector<Person> persons;
  for (const auto& row : s.Query(sql, params)) persons.push_back(FromRow(row));
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
