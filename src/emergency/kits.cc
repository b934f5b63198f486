#include "emergency/kits.h"

#include "common/crypto.h"

namespace moyakko::emergency {

IssuedKit IssueKit(store::Session& s, std::int64_t person_id, std::int64_t by_user, UnixMillis now) {
  s.Execute("UPDATE emergency_kits SET revoked_at = $2 WHERE person_id = $1 AND revoked_at IS NULL", {person_id, now});
  // 128 random bits in URL-safe hex: short enough for a small QR, impossible to guess.
  IssuedKit kit{RandomHex(16), now};
  s.Execute("INSERT INTO emergency_kits (person_id, code_hash, created_by, created_at) VALUES ($1, $2, $3, $4)",
            {person_id, Sha256Hex(kit.code), by_user, now});
  return kit;
}

std::optional<std::int64_t> ResolveKit(store::Session& s, const std::string& code) {
  if (code.size() != 32) return std::nullopt;
  auto row = s.QueryOne("SELECT person_id FROM emergency_kits WHERE code_hash = $1 AND revoked_at IS NULL", {Sha256Hex(code)});
  if (!row) return std::nullopt;
  return row->Int(0);
}

}  // namespace moyakko::emergency
