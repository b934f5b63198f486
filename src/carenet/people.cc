#include "carenet/people.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace moyakko::carenet {

std::string IdList(const std::set<std::int64_t>& ids) { return fmt::format("{}", fmt::join(ids, ",")); }

UserCards::UserCards(store::Session& s, const std::set<std::int64_t>& user_ids) {
  if (user_ids.empty()) return;
  // The ids are integers from our own rows, so listing them inline is safe and keeps this
  // one query for any number of users.
  for (const auto& row : s.Query(fmt::format(
           "SELECT u.id, u.display_name, u.display_kana, u.role, u.phone, o.code, o.name, o.phone "
           "FROM users u LEFT JOIN organizations o ON o.id = u.organization_id WHERE u.id IN ({})",
           IdList(user_ids)))) {
    nlohmann::json organization = nullptr;
    if (!row.IsNull(5)) organization = {{"code", row.Text(5)}, {"name", row.Text(6)}, {"phone", row.Text(7)}};
    cards_[row.Int(0)] = {{"id", row.Int(0)},   {"name", row.Text(1)},  {"kana", row.Text(2)},
                          {"role", row.Text(3)}, {"phone", row.Text(4)}, {"organization", organization}};
  }
}

namespace {
std::set<std::int64_t> IdsIn(const store::Rows& rows, std::initializer_list<std::size_t> columns) {
  std::set<std::int64_t> ids;
  for (const auto& row : rows) {
    for (std::size_t column : columns) {
      if (!row.IsNull(column)) ids.insert(row.Int(column));
    }
  }
  return ids;
}
}  // namespace

UserCards::UserCards(store::Session& s, const store::Rows& rows, std::initializer_list<std::size_t> columns)
    : UserCards(s, IdsIn(rows, columns)) {}

nlohmann::json UserCards::Get(std::optional<std::int64_t> user_id) const {
  if (!user_id) return nullptr;
  auto it = cards_.find(*user_id);
  return it == cards_.end() ? nlohmann::json(nullptr) : it->second;
}

nlohmann::json UserCard(store::Session& s, std::int64_t user_id) {
  return UserCards(s, {user_id}).Get(user_id);
}

}  // namespace moyakko::carenet
