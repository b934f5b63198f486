#include "auth/password.h"

#include <sodium.h>

#include <stdexcept>

#include "common/text.h"

namespace moyakko::auth {

namespace {
// Tuned on the 2-core reference machine to ~80 ms per login (docs/performance.md): above
// OWASP's minimum for argon2id (19 MiB, 2 passes); libsodium's INTERACTIVE (64 MiB) took
// ~125 ms there. Hashes carry their parameters, so raising these later keeps old ones valid.
constexpr unsigned long long kOpsLimit = 2;
constexpr std::size_t kMemLimit = 40u << 20;
}  // namespace

std::string HashPassword(std::string_view password) {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), kOpsLimit, kMemLimit,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    throw std::runtime_error("out of memory while hashing a password");
  }
  return out;
}

bool VerifyPassword(std::string_view encoded_hash, std::string_view password) {
  std::string hash(encoded_hash);
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

void BurnVerificationTime() {
  static const std::string dummy = HashPassword("not a real password");
  VerifyPassword(dummy, "something else");
}

std::string PasswordProblem(std::string_view password) {
  if (!IsValidUtf8(password)) return "invalid_utf8";
  std::size_t length = Utf8Length(password);
  if (length < 8) return "password_too_short";
  if (length > 256) return "password_too_long";
  return {};
}

}  // namespace moyakko::auth
