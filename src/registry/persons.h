#pragma once
// The person registry: every resident or patient exists once, and every part of moyakko
// links to persons.id. Identity only (name, kana, sex, birth date, address, location,
// phones); clinical and care data live in the features that own them.
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "auth/policy.h"
#include "common/clock.h"
#include "store/database.h"

namespace moyakko::registry {

struct Person {
  std::int64_t id = 0;
  std::int64_t tenant_id = 0;
  std::string family_name, given_name, family_kana, given_kana;
  std::string sex = "unknown";  // female | male | other | unknown
  std::optional<std::string> birth_date;  // YYYY-MM-DD
  std::string postal_code, address, district;
  std::optional<double> lat, lon;
  std::vector<std::string> phones;
  std::optional<std::string> resident_number;
};

// Validates (400 naming the field) and inserts; returns the id.
std::int64_t AddPerson(store::Session& s, const Person& person, UnixMillis now);
// The same for many people at once (a municipal register's import), each with a resident
// number of their own; returns their ids in the order given.
std::vector<std::int64_t> AddNumberedPersons(store::Session& s, std::span<const Person> persons, UnixMillis now);
// What persons.search_key holds for `person`: names, kana, address and phones (SearchKey).
std::string PersonSearchKey(const Person& person);
std::optional<Person> GetPerson(store::Session& s, std::int64_t id);
// For queries that read persons along with other data: the columns of persons `p`, and the
// Person in a row that has them from column `first` on.
extern const char* const kPersonColumns;
Person PersonFromRow(const store::Row& row, std::size_t first = 0);

struct PersonSearch {
  std::string text;  // matched against name, kana, address and phone, width/kana-insensitive
  int limit = 50;
};
// Only the people `principal` may list (policy ListScope): the tenant's register, or those
// related through a family link.
std::vector<Person> SearchPersons(store::Session& s, const auth::Principal& principal,
                                  const PersonSearch& search);

// A search of the whole register by search key: `from` names the persons `p` whose key
// contains `key` and `where` is what still has to hold ("" when nothing). On SQLite a key of
// three or more characters is looked up in the trigram index (migration 8) instead of
// reading every person. `param` adds a parameter and returns its placeholder.
struct KeySearch {
  std::string from, where;
};
KeySearch MatchSearchKey(store::Session& s, const std::string& key,
                         const std::function<std::string(store::Value)>& param);
// The FTS5 query that finds search keys containing `key` through the trigram index
// (persons_fts), or nothing when the index cannot answer (PostgreSQL, fewer than three
// characters).
std::optional<std::string> TrigramPhrase(store::Session& s, const std::string& key);

// "鈴木 花子", or the family part alone when there is no given part (names and kana alike).
std::string JoinName(const std::string& family, const std::string& given);

// The municipality's IANA time zone ("Asia/Tokyo" when unknown): local days and hours of
// every part are computed in it.
std::string TenantTimeZone(store::Session& s, std::int64_t tenant_id);

// Age in whole years on `today` (YYYY-MM-DD); nullopt without a birth date.
std::optional<int> AgeOn(const std::optional<std::string>& birth_date, const std::string& today);
nlohmann::json ToJson(const Person& person, const std::string& today);

}  // namespace moyakko::registry
