#pragma once
// TOTP (RFC 6238: SHA-1, 30-second steps, 6 digits) through liboath, as every
// authenticator app expects.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/clock.h"

namespace moyakko::auth {

// A new random 160-bit secret, base32 without padding.
std::string NewTotpSecret();
bool IsValidTotpSecret(std::string_view base32);
// The code for the 30-s step containing `at`.
std::string TotpCode(std::string_view base32_secret, UnixMillis at);
// The step (0-based count of 30-s periods since the epoch) at which `code` is valid,
// allowing one step of clock drift either way; nullopt when it is not valid.
std::optional<std::int64_t> MatchTotp(std::string_view base32_secret, std::string_view code,
                                      UnixMillis at);
std::string OtpauthUri(std::string_view issuer, std::string_view account,
                       std::string_view base32_secret);
// The QR code of `text` as a self-contained SVG (libqrencode).
std::string QrSvg(std::string_view text);

}  // namespace moyakko::auth
