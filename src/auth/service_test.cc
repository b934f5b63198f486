#include "auth/service.h"

#include <gtest/gtest.h>

#include "audit/audit_log.h"
#include "auth/totp.h"
#include "common/error.h"
#include "store/testing.h"

namespace moyakko::auth {
namespace {

constexpr char kSecret[] = "JBSWY3DPEHPK3PXP";

class AuthServiceTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    test_ = std::make_unique<store::TestDatabase>(GetParam());
    if (!test_->available()) GTEST_SKIP() << "MOYAKKO_TEST_PG_URL not set";
    db().Write([](store::Session& s) {
      s.Execute("INSERT INTO tenants (code, name, created_at) VALUES ('seto', '瀬戸市', 0)");
      s.Execute("INSERT INTO tenants (code, name, created_at) VALUES ('owariasahi', '尾張旭市', 0)");
    });
    service_ = std::make_unique<AuthService>(db(), clock_);
    service_->AddUser({.tenant_code = "seto", .username = "dr.kato", .display_name = "加藤 誠",
                       .role = Role::kDoctor, .password = "correct horse", .totp_secret = kSecret},
                      nullptr, "t");
  }
  store::Database& db() { return test_->db(); }
  LoginResult LoginNow(const std::string& password, const std::string& otp) {
    return service_->Login({"dr.kato", password, otp, "127.0.0.1", "r"});
  }
  ErrorCode LoginError(const std::string& user, const std::string& password, const std::string& otp) {
    try {
      service_->Login({user, password, otp, "127.0.0.1", "r"});
    } catch (const Failure& f) {
      return f.error().code;
    }
    return ErrorCode::kInternal;
  }

  FixedClock clock_{1700000000000};
  std::unique_ptr<store::TestDatabase> test_;
  std::unique_ptr<AuthService> service_;
};

TEST_P(AuthServiceTest, LoginWithPasswordAndCodeGivesASession) {
  LoginResult result = LoginNow("correct horse", TotpCode(kSecret, clock_.Now()));
  EXPECT_FALSE(result.enrolment_required);
  EXPECT_EQ(result.user.display_name, "加藤 誠");
  auto principal = service_->Authenticate(result.session_token);
  ASSERT_TRUE(principal);
  EXPECT_EQ(principal->username, "dr.kato");
  EXPECT_EQ(principal->csrf_token, result.principal.csrf_token);
  EXPECT_FALSE(service_->Authenticate(std::string(64, 'a')));
}

TEST_P(AuthServiceTest, EveryWrongPartIsTheSame401AndAudited) {
  std::string code = TotpCode(kSecret, clock_.Now());
  EXPECT_EQ(LoginError("dr.kato", "wrong password", code), ErrorCode::kUnauthenticated);
  EXPECT_EQ(LoginError("dr.kato", "correct horse", "000000"), ErrorCode::kUnauthenticated);
  EXPECT_EQ(LoginError("nobody", "correct horse", code), ErrorCode::kUnauthenticated);
  auto denied = audit::Search(db(), {.action = "auth.login", .outcome = "denied"});
  ASSERT_EQ(denied.size(), 3u);
  EXPECT_EQ(denied[0].reason, "unknown_user");
  EXPECT_EQ(denied[1].reason, "wrong_otp");
  EXPECT_EQ(denied[2].reason, "wrong_password");
}

TEST_P(AuthServiceTest, ACodeCannotBeReplayed) {
  std::string code = TotpCode(kSecret, clock_.Now());
  LoginNow("correct horse", code);
  EXPECT_EQ(LoginError("dr.kato", "correct horse", code), ErrorCode::kUnauthenticated);
  clock_.Advance(30000);
  EXPECT_NO_THROW(LoginNow("correct horse", TotpCode(kSecret, clock_.Now())));
}

TEST_P(AuthServiceTest, LocksAfterFiveFailuresThenRecovers) {
  for (int i = 0; i < 5; ++i) EXPECT_EQ(LoginError("dr.kato", "bad", "1"), ErrorCode::kUnauthenticated);
  EXPECT_EQ(LoginError("dr.kato", "correct horse", TotpCode(kSecret, clock_.Now())),
            ErrorCode::kTooManyRequests);
  clock_.Advance(16 * 60 * 1000);
  EXPECT_NO_THROW(LoginNow("correct horse", TotpCode(kSecret, clock_.Now())));
}

TEST_P(AuthServiceTest, IdleSessionsEnd) {
  LoginResult result = LoginNow("correct horse", TotpCode(kSecret, clock_.Now()));
  clock_.Advance(29 * 60 * 1000);
  EXPECT_TRUE(service_->Authenticate(result.session_token));  // refreshes last_seen
  clock_.Advance(29 * 60 * 1000);
  EXPECT_TRUE(service_->Authenticate(result.session_token));
  clock_.Advance(31 * 60 * 1000);
  EXPECT_FALSE(service_->Authenticate(result.session_token));
}

TEST_P(AuthServiceTest, LogoutAndDisableEndSessions) {
  LoginResult first = LoginNow("correct horse", TotpCode(kSecret, clock_.Now()));
  service_->Logout(first.principal, "r");
  EXPECT_FALSE(service_->Authenticate(first.session_token));
  clock_.Advance(30000);
  LoginResult second = LoginNow("correct horse", TotpCode(kSecret, clock_.Now()));
  EXPECT_TRUE(service_->DisableUser("dr.kato", nullptr, "r"));
  EXPECT_FALSE(service_->Authenticate(second.session_token));
  clock_.Advance(30000);
  EXPECT_EQ(LoginError("dr.kato", "correct horse", TotpCode(kSecret, clock_.Now())),
            ErrorCode::kUnauthenticated);
}

TEST_P(AuthServiceTest, EnrolmentByQrUpgradesTheSession) {
  service_->AddUser({.tenant_code = "seto", .username = "ns.new", .role = Role::kNurse,
                     .password = "12345678", .enrolled = false}, nullptr, "t");
  LoginResult pending = service_->Login({"ns.new", "12345678", "", "127.0.0.1", "r"});
  ASSERT_TRUE(pending.enrolment_required);
  auto principal = service_->Authenticate(pending.session_token);
  ASSERT_TRUE(principal);
  EXPECT_TRUE(principal->enrolment_only);
  Enrolment enrolment = service_->BeginEnrolment(*principal);
  EXPECT_THROW(service_->ConfirmEnrolment(*principal, "000000", "r"), Failure);
  LoginResult full = service_->ConfirmEnrolment(*principal, TotpCode(enrolment.secret, clock_.Now()), "r");
  EXPECT_FALSE(service_->Authenticate(pending.session_token));
  auto upgraded = service_->Authenticate(full.session_token);
  ASSERT_TRUE(upgraded);
  EXPECT_FALSE(upgraded->enrolment_only);
}

TEST_P(AuthServiceTest, AddUserValidates) {
  auto add = [&](NewUser user) {
    try {
      service_->AddUser(user, nullptr, "t");
    } catch (const Failure& f) {
      return f.error().field + ":" + f.error().slug;
    }
    return std::string("ok");
  };
  EXPECT_EQ(add({.tenant_code = "seto", .username = "X", .role = Role::kNurse, .password = "12345678"}),
            "username:invalid_username");
  EXPECT_EQ(add({.tenant_code = "seto", .username = "ns.a", .role = Role::kNurse, .password = "short"}),
            "password:password_too_short");
  EXPECT_EQ(add({.tenant_code = "nowhere", .username = "ns.a", .role = Role::kNurse, .password = "12345678"}),
            "tenant:unknown_tenant");
  EXPECT_EQ(add({.tenant_code = "seto", .username = "dr.kato", .role = Role::kNurse, .password = "12345678"}),
            "username:username_taken");
  EXPECT_EQ(add({.tenant_code = "seto", .username = "ns.a", .role = Role::kNurse, .password = "12345678"}), "ok");
}

INSTANTIATE_TEST_SUITE_P(Backends, AuthServiceTest, ::testing::ValuesIn(store::TestBackends()));

}  // namespace
}  // namespace moyakko::auth
