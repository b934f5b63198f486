#pragma once
// Users, sessions and login. Sessions live in the database (valid on every app node);
// the browser holds only a random token whose SHA-256 is stored. Login answers the same
// 401 whichever part was wrong; the audit log records which part it was.
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "auth/policy.h"
#include "common/clock.h"
#include "store/database.h"

namespace moyakko::auth {

struct SessionLimits {
  UnixMillis idle = 30 * 60 * 1000;           // ends after 30 min without a request
  UnixMillis absolute = 12 * 60 * 60 * 1000;  // and after 12 h in any case
  int max_failures = 5;                       // failed logins per name …
  UnixMillis failure_window = 15 * 60 * 1000; // … within this window lock it …
  UnixMillis lockout = 15 * 60 * 1000;        // … for this long
  int attempts_per_minute_per_ip = 30;
};

struct UserView {
  std::int64_t id = 0;
  std::string username, display_name, display_kana;
  Role role = Role::kResident;
  std::int64_t tenant_id = 0;
  std::string tenant_code, tenant_name;
  std::optional<std::int64_t> organization_id;
  std::string organization_code, organization_name, organization_kind;
  bool totp_enrolled = false;
  bool disabled = false;
  std::optional<UnixMillis> locked_until;
};

struct NewUser {
  std::string tenant_code;
  std::string username;
  std::string display_name;  // defaults to username
  std::string display_kana;
  Role role = Role::kResident;
  std::optional<std::string> organization_code;
  std::string password;
  std::string password_hash;  // precomputed argon2id (bulk creation); replaces `password`
  // Empty: a secret is generated and the user counts as enrolled when `enrolled` is true
  // (the operator hands the secret over), or enrols by QR code at first login when false.
  std::string totp_secret;
  bool enrolled = true;
};

struct CreatedUser {
  std::int64_t id = 0;
  std::string totp_secret;
};

struct LoginAttempt {
  std::string username, password, otp, ip, request_id;
};

struct LoginResult {
  Principal principal;
  std::string session_token;  // for the cookie; never logged
  UserView user;
  bool enrolment_required = false;
};

struct Enrolment {
  std::string secret, otpauth_uri;
};

class AuthService {
 public:
  AuthService(store::Database& db, const Clock& clock, SessionLimits limits = {});

  // Throws Failure: 401 invalid_credentials, 429 too_many_attempts.
  LoginResult Login(const LoginAttempt& attempt);
  // nullopt for an unknown, ended, idle or expired session, or a disabled user. `touch`
  // counts the call as the user's activity (idle timeout); background checks pass false.
  std::optional<Principal> Authenticate(std::string_view session_token, bool touch = true);
  // The system client behind a bearer access token (auth/clients.h); nullopt as above.
  std::optional<Principal> AuthenticateAccessToken(std::string_view access_token);
  void Logout(const Principal& principal, const std::string& request_id);

  Enrolment BeginEnrolment(const Principal& principal);
  // Throws 400 invalid_otp. Ends the enrolment session and returns a full one.
  LoginResult ConfirmEnrolment(const Principal& principal, std::string_view otp,
                               const std::string& request_id);

  UserView LoadUser(std::int64_t user_id);
  std::vector<UserView> ListUsers(std::int64_t tenant_id);
  // Validates and creates; throws 400 (field named) or 409 username_taken.
  CreatedUser AddUser(const NewUser& user, const Principal* actor, const std::string& request_id);
  // Disables the user and ends every session of theirs. Returns false when no such user.
  bool DisableUser(std::string_view username, const Principal* actor, const std::string& request_id);
  void ResetTotp(std::int64_t user_id, const Principal& actor, const std::string& request_id);

 private:
  bool IpThrottled(const std::string& ip);
  std::string NewSession(store::Session& s, std::int64_t user_id, bool full, std::string* csrf,
                         std::int64_t* session_id);

  store::Database& db_;
  const Clock& clock_;
  SessionLimits limits_;
  std::mutex ip_mutex_;
  std::unordered_map<std::string, std::pair<UnixMillis, int>> ip_attempts_;
};

}  // namespace moyakko::auth
