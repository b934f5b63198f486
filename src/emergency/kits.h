#pragma once
// The fridge kit (救急医療情報キット): a printed sheet kept in the refrigerator with the
// person's basic data and a QR code. The code is random, holds nothing about the person and
// opens nothing by itself: a paramedic who scans it is taken to the break-glass step for that
// person. Printing a new kit revokes the previous code.
#include <cstdint>
#include <optional>
#include <string>

#include "common/clock.h"
#include "store/database.h"

namespace moyakko::emergency {

struct IssuedKit {
  std::string code;  // shown once, in the QR; stored hashed
  UnixMillis issued_at = 0;
};
IssuedKit IssueKit(store::Session& s, std::int64_t person_id, std::int64_t by_user, UnixMillis now);

// The person whose current kit carries `code`; nullopt for an unknown or revoked code.
std::optional<std::int64_t> ResolveKit(store::Session& s, const std::string& code);

}  // namespace moyakko::emergency
