#include "auth/totp.h"

#include <gtest/gtest.h>

#include "auth/password.h"

namespace moyakko::auth {
namespace {

// The same value oathtool prints: oathtool --totp -b JBSWY3DPEHPK3PXP --now=@1700000000
TEST(Totp, MatchesTheReferenceImplementation) {
  EXPECT_EQ(TotpCode("JBSWY3DPEHPK3PXP", 1700000000000), "324550");
}

TEST(Totp, AcceptsOneStepOfDriftAndNoMore) {
  const UnixMillis now = 1700000000000;
  const std::int64_t step = now / 1000 / 30;
  EXPECT_EQ(MatchTotp("JBSWY3DPEHPK3PXP", TotpCode("JBSWY3DPEHPK3PXP", now), now), step);
  EXPECT_EQ(MatchTotp("JBSWY3DPEHPK3PXP", TotpCode("JBSWY3DPEHPK3PXP", now - 30000), now), step - 1);
  EXPECT_FALSE(MatchTotp("JBSWY3DPEHPK3PXP", TotpCode("JBSWY3DPEHPK3PXP", now - 90000), now));
  EXPECT_FALSE(MatchTotp("JBSWY3DPEHPK3PXP", "12345", now));
  EXPECT_FALSE(MatchTotp("JBSWY3DPEHPK3PXP", "abcdef", now));
}

TEST(Totp, NewSecretsAreValidAndDiffer) {
  std::string a = NewTotpSecret(), b = NewTotpSecret();
  EXPECT_EQ(a.size(), 32u);
  EXPECT_NE(a, b);
  EXPECT_TRUE(IsValidTotpSecret(a));
  EXPECT_FALSE(IsValidTotpSecret("not base32!"));
}

TEST(Totp, QrCodeIsAnSvgAndUriNamesTheAccount) {
  std::string uri = OtpauthUri("moyakko", "dr.kato", "JBSWY3DPEHPK3PXP");
  EXPECT_EQ(uri.rfind("otpauth://totp/moyakko:dr.kato?secret=JBSWY3DPEHPK3PXP", 0), 0u);
  std::string svg = QrSvg(uri);
  EXPECT_EQ(svg.rfind("<svg", 0), 0u);
  EXPECT_NE(svg.find("<path d=\"M"), std::string::npos);
}

TEST(Password, Argon2idRoundTrip) {
  std::string hash = HashPassword("正しいパスワード");
  EXPECT_EQ(hash.rfind("$argon2id$", 0), 0u);
  EXPECT_TRUE(VerifyPassword(hash, "正しいパスワード"));
  EXPECT_FALSE(VerifyPassword(hash, "違うパスワード"));
  EXPECT_EQ(PasswordProblem("short"), "password_too_short");
  EXPECT_EQ(PasswordProblem("ちょうど八文字です"), "");
}

}  // namespace
}  // namespace moyakko::auth
