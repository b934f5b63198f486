#pragma once
// What the emergency part shows of a person. A search or a scanned kit shows only who the
// person is (name, kana, age, sex, address), never clinical data. The sheet — read only
// under a live grant — is what a paramedic needs at the door, in the order they need it.
#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "auth/policy.h"
#include "common/clock.h"
#include "registry/persons.h"
#include "store/database.h"

namespace moyakko::emergency {

// Identity only: id, name, kana, age, sex, address.
nlohmann::json IdentityJson(const registry::Person& person, const std::string& today);

struct FindQuery {
  std::string text;                       // name, kana (any width), address or phone
  std::optional<std::string> birth_date;  // YYYY-MM-DD
};
// Reads and checks ?q=&birth_date= (400 query_required without either, invalid_date).
FindQuery ReadFindQuery(const std::optional<std::string>& q, const std::optional<std::string>& birth_date);
// People of the paramedic's municipality (and of those that share with it), at most 20.
nlohmann::json FindPersons(store::Session& s, const auth::Principal& paramedic, const FindQuery& query, UnixMillis now);

// The emergency sheet (without the grant, which the caller adds).
nlohmann::json SheetJson(store::Session& s, std::int64_t person_id, UnixMillis now);
// What the fridge kit prints: identity with phones and birth date, care level, family doctor,
// next of kin.
nlohmann::json KitSheetJson(store::Session& s, std::int64_t person_id, UnixMillis now);

}  // namespace moyakko::emergency
