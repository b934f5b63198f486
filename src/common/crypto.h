#pragma once
// Thin wrappers over libsodium for the few primitives the platform needs.
#include <optional>
#include <string>
#include <string_view>

namespace moyakko {

// Call once at start; throws if libsodium cannot initialise.
void InitCrypto();
// `bytes` random bytes as lowercase hex (2×bytes characters).
std::string RandomHex(std::size_t bytes);
// SHA-256 as lowercase hex.
std::string Sha256Hex(std::string_view data);
// Standard base64, with padding.
std::string Base64Encode(std::string_view data);
// Standard base64 (with padding) decoded; nullopt when it is not base64.
std::optional<std::string> Base64Decode(std::string_view text);
// Comparison whose time does not depend on where the inputs differ.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace moyakko
