#include "auth/password.h"

#include <sodium.h>

#include <stdexcept>

#include "common/text.h"

namespace moyakko::auth {

std::string HashPassword(std::string_view password) {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(),
                            crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
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
