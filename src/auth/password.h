#pragma once
// Passwords: argon2id through libsodium (2 passes, 40 MiB; ~80 ms on the reference
// machine), encoded with parameters and salt so limits can be raised later.
#include <string>
#include <string_view>

namespace moyakko::auth {

std::string HashPassword(std::string_view password);
bool VerifyPassword(std::string_view encoded_hash, std::string_view password);
// Spends the same time as a verification; used when the user does not exist.
void BurnVerificationTime();
// Empty when acceptable, else the reason (slug). Rule: 8–256 characters with 2FA.
std::string PasswordProblem(std::string_view password);

}  // namespace moyakko::auth
