#include "auth/totp.h"

#include <fmt/format.h>
#include <liboath/oath.h>
#include <qrencode.h>
#include <sodium.h>

#include <cstdlib>
#include <memory>
#include <mutex>

namespace moyakko::auth {
namespace {

constexpr int kDigits = 6;
constexpr int kStepSeconds = 30;

void EnsureOath() {
  static std::once_flag once;
  std::call_once(once, [] { oath_init(); });
}

std::optional<std::string> DecodeSecret(std::string_view base32) {
  EnsureOath();
  char* raw = nullptr;
  size_t length = 0;
  std::string input(base32);
  if (oath_base32_decode(input.c_str(), input.size(), &raw, &length) != OATH_OK) return std::nullopt;
  std::string secret(raw, length);
  std::free(raw);
  return secret;
}

std::string UriEscape(std::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

}  // namespace

std::string NewTotpSecret() {
  EnsureOath();
  unsigned char raw[20];
  randombytes_buf(raw, sizeof raw);
  char* encoded = nullptr;
  size_t length = 0;
  oath_base32_encode(reinterpret_cast<const char*>(raw), sizeof raw, &encoded, &length);
  std::string secret(encoded, length);
  std::free(encoded);
  while (!secret.empty() && secret.back() == '=') secret.pop_back();
  return secret;
}

bool IsValidTotpSecret(std::string_view base32) {
  auto secret = DecodeSecret(base32);
  return secret && secret->size() >= 10;
}

std::string TotpCode(std::string_view base32_secret, UnixMillis at) {
  auto secret = DecodeSecret(base32_secret);
  if (!secret) return {};
  char code[kDigits + 1] = {};
  oath_totp_generate(secret->data(), secret->size(), static_cast<time_t>(at / 1000), kStepSeconds,
                     OATH_TOTP_DEFAULT_START_TIME, kDigits, code);
  return code;
}

std::optional<std::int64_t> MatchTotp(std::string_view base32_secret, std::string_view code,
                                      UnixMillis at) {
  if (code.size() != kDigits) return std::nullopt;
  auto secret = DecodeSecret(base32_secret);
  if (!secret) return std::nullopt;
  std::string otp(code);
  int position = 0;
  int rc = oath_totp_validate2(secret->data(), secret->size(), static_cast<time_t>(at / 1000),
                               kStepSeconds, OATH_TOTP_DEFAULT_START_TIME, 1, &position, otp.c_str());
  if (rc < 0) return std::nullopt;
  return at / 1000 / kStepSeconds + position;
}

std::string OtpauthUri(std::string_view issuer, std::string_view account,
                       std::string_view base32_secret) {
  return fmt::format("otpauth://totp/{}:{}?secret={}&issuer={}&algorithm=SHA1&digits=6&period=30",
                     UriEscape(issuer), UriEscape(account), base32_secret, UriEscape(issuer));
}

std::string QrSvg(std::string_view text) {
  std::string input(text);
  std::unique_ptr<QRcode, decltype(&QRcode_free)> qr(
      QRcode_encodeString(input.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1), &QRcode_free);
  if (!qr) return {};
  constexpr int kMargin = 4;
  int size = qr->width + 2 * kMargin;
  std::string path;
  for (int y = 0; y < qr->width; ++y) {
    for (int x = 0; x < qr->width; ++x) {
      if (qr->data[y * qr->width + x] & 1) path += fmt::format("M{},{}h1v1h-1z", x + kMargin, y + kMargin);
    }
  }
  return fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {0} {0}\" role=\"img\" "
      "aria-label=\"QR\" shape-rendering=\"crispEdges\"><rect width=\"{0}\" height=\"{0}\" "
      "fill=\"#fff\"/><path d=\"{1}\" fill=\"#000\"/></svg>",
      size, path);
}

}  // namespace moyakko::auth
