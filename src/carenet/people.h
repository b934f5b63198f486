#pragma once
// How the care network shows a professional: name, kana, role, organisation, phone. Cards
// are loaded in one query for a whole page of posts, comments or members.
#include <cstdint>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "store/database.h"

namespace moyakko::carenet {

class UserCards {
 public:
  // Loads the cards of `user_ids` (unknown ids are left out).
  UserCards(store::Session& s, const std::set<std::int64_t>& user_ids);
  // The cards of the users whose ids are in `columns` of `rows` (NULLs skipped).
  UserCards(store::Session& s, const store::Rows& rows, std::initializer_list<std::size_t> columns);
  // The card, or null for a missing id (e.g. a post written by the system).
  nlohmann::json Get(std::optional<std::int64_t> user_id) const;

 private:
  std::map<std::int64_t, nlohmann::json> cards_;
};

nlohmann::json UserCard(store::Session& s, std::int64_t user_id);

// "1,2,3" for an IN list of ids already known to be integers.
std::string IdList(const std::set<std::int64_t>& ids);

}  // namespace moyakko::carenet
