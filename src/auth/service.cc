#include "auth/service.h"

#include <fmt/format.h>

#include <regex>

#include "audit/audit_log.h"
#include "auth/clients.h"
#include "auth/password.h"
#include "auth/totp.h"
#include "common/crypto.h"
#include "common/error.h"
#include "common/text.h"

namespace moyakko::auth {
namespace {

constexpr UnixMillis kTouchEvery = 60 * 1000;  // last_seen_at is refreshed at most once a minute

constexpr std::string_view kUserColumns =
    "SELECT u.id, u.username, u.display_name, u.display_kana, u.role, u.tenant_id, t.code, t.name, "
    "u.organization_id, o.code, o.name, o.kind, u.totp_enrolled, u.disabled, lf.locked_until "
    "FROM users u JOIN tenants t ON t.id = u.tenant_id "
    "LEFT JOIN organizations o ON o.id = u.organization_id "
    "LEFT JOIN login_failures lf ON lf.username = u.username ";

UserView UserFromRow(const store::Row& r, UnixMillis now) {
  UserView u;
  u.id = r.Int(0);
  u.username = r.Text(1);
  u.display_name = r.Text(2);
  u.display_kana = r.Text(3);
  u.role = ParseRole(r.Text(4)).value_or(Role::kResident);
  u.tenant_id = r.Int(5);
  u.tenant_code = r.Text(6);
  u.tenant_name = r.Text(7);
  u.organization_id = r.OptInt(8);
  u.organization_code = r.Text(9);
  u.organization_name = r.Text(10);
  u.organization_kind = r.Text(11);
  u.totp_enrolled = r.Int(12) != 0;
  u.disabled = r.Int(13) != 0;
  if (auto locked = r.OptInt(14); locked && *locked > now) u.locked_until = *locked;
  return u;
}

[[noreturn]] void InvalidCredentials() {
  Fail(ErrorCode::kUnauthenticated, "invalid_credentials",
       "the user name, password or one-time code is not correct");
}

[[noreturn]] void TooManyAttempts() {
  Fail(ErrorCode::kTooManyRequests, "too_many_attempts",
       "too many failed attempts; try again in 15 minutes");
}

audit::Entry ActorEntry(const Principal* actor, std::string action, const std::string& request_id) {
  audit::Entry e;
  if (actor) {
    e.actor_user_id = actor->user_id;
    e.actor_username = actor->username;
    e.actor_role = std::string(ToString(actor->role));
    e.tenant_code = actor->tenant_code;
  } else {
    e.actor_username = "(cli)";
    e.actor_role = "operator";
  }
  e.action = std::move(action);
  e.request_id = request_id;
  return e;
}

}  // namespace

AuthService::AuthService(store::Database& db, const Clock& clock, SessionLimits limits)
    : db_(db), clock_(clock), limits_(limits) {}

bool AuthService::IpThrottled(const std::string& ip) {
  UnixMillis now = clock_.Now();
  std::lock_guard<std::mutex> lock(ip_mutex_);
  if (ip_attempts_.size() > 100000) ip_attempts_.clear();  // bounded memory under a flood
  auto& [window_start, count] = ip_attempts_[ip];
  if (now - window_start > 60 * 1000) {
    window_start = now;
    count = 0;
  }
  return ++count > limits_.attempts_per_minute_per_ip;
}

std::string AuthService::NewSession(store::Session& s, std::int64_t user_id, bool full,
                                    std::string* csrf, std::int64_t* session_id) {
  std::string token = RandomHex(32);
  *csrf = RandomHex(24);
  UnixMillis now = clock_.Now();
  *session_id = s.QueryOne(
      "INSERT INTO sessions (token_hash, user_id, csrf_token, stage, created_at, last_seen_at, "
      "expires_at) VALUES ($1, $2, $3, $4, $5, $5, $6) RETURNING id",
      {Sha256Hex(token), user_id, *csrf, std::string(full ? "full" : "enrolment"), now,
       now + limits_.absolute})->Int(0);
  return token;
}

LoginResult AuthService::Login(const LoginAttempt& attempt) {
  UnixMillis now = clock_.Now();
  audit::Entry entry;
  entry.at = now;
  entry.actor_username = attempt.username.substr(0, 64);
  entry.action = "auth.login";
  entry.request_id = attempt.request_id;
  auto deny = [&](std::string reason) {
    entry.outcome = audit::Outcome::kDenied;
    entry.reason = std::move(reason);
  };

  if (IpThrottled(attempt.ip)) {
    deny("ip_throttled");
    audit::AppendNow(db_, entry);
    TooManyAttempts();
  }
  auto locked = db_.Read([&](store::Session& s) {
    auto row = s.QueryOne("SELECT locked_until FROM login_failures WHERE username = $1", {attempt.username});
    return row && row->Int(0) > now;
  });
  if (locked) {
    deny("locked");
    audit::AppendNow(db_, entry);
    TooManyAttempts();
  }

  auto credentials = db_.Read([&](store::Session& s) {
    return s.QueryOne(
        "SELECT u.id, u.password_hash, u.totp_secret, u.totp_enrolled, u.totp_last_step, u.disabled, "
        "u.role, t.code FROM users u JOIN tenants t ON t.id = u.tenant_id WHERE u.username = $1",
        {attempt.username});
  });
  std::string failure;
  std::optional<std::int64_t> step;
  bool enrolled = false;
  if (!credentials) {
    BurnVerificationTime();
    failure = "unknown_user";
  } else {
    entry.actor_user_id = credentials->Int(0);
    entry.actor_role = credentials->Text(6);
    entry.tenant_code = credentials->Text(7);
    enrolled = credentials->Int(3) != 0;
    if (!VerifyPassword(credentials->Text(1), attempt.password)) {
      failure = "wrong_password";
    } else if (credentials->Int(5) != 0) {
      failure = "disabled";
    } else if (enrolled) {
      step = MatchTotp(credentials->Text(2), attempt.otp, now);
      if (!step) failure = "wrong_otp";
      else if (*step <= credentials->Int(4)) failure = "replayed_otp";
    } else if (!attempt.otp.empty()) {
      failure = "otp_not_enrolled";
    }
  }

  if (!failure.empty()) {
    deny(failure);
    db_.Write([&](store::Session& s) {
      auto row = s.QueryOne("SELECT failures, first_failure_at FROM login_failures WHERE username = $1",
                            {attempt.username});
      std::int64_t failures = 1;
      if (row && now - row->Int(1) < limits_.failure_window) {
        failures = row->Int(0) + 1;
        s.Execute("UPDATE login_failures SET failures = $2 WHERE username = $1",
                  {attempt.username, failures});
      } else {
        s.Execute("DELETE FROM login_failures WHERE username = $1", {attempt.username});
        s.Execute("INSERT INTO login_failures (username, failures, first_failure_at, locked_until) "
                  "VALUES ($1, 1, $2, 0)", {attempt.username, now});
      }
      if (failures >= limits_.max_failures) {
        s.Execute("UPDATE login_failures SET locked_until = $2 WHERE username = $1",
                  {attempt.username, now + limits_.lockout});
        entry.detail = "locked";
      }
      audit::Append(s, entry);
    });
    InvalidCredentials();
  }

  LoginResult result;
  std::int64_t user_id = credentials->Int(0);
  db_.Write([&](store::Session& s) {
    if (step) {
      // Conditional update: of two logins racing with one code, only one wins.
      if (s.Execute("UPDATE users SET totp_last_step = $2 WHERE id = $1 AND totp_last_step < $2",
                    {user_id, *step}) != 1) {
        InvalidCredentials();
      }
    }
    s.Execute("DELETE FROM login_failures WHERE username = $1", {attempt.username});
    result.session_token = NewSession(s, user_id, enrolled, &result.principal.csrf_token,
                                      &result.principal.session_id);
    entry.reason = enrolled ? "password+totp" : "password; 2fa enrolment pending";
    audit::Append(s, entry);
  });
  result.user = LoadUser(user_id);
  result.enrolment_required = !enrolled;
  Principal& p = result.principal;
  p.user_id = user_id;
  p.username = result.user.username;
  p.role = result.user.role;
  p.tenant_id = result.user.tenant_id;
  p.tenant_code = result.user.tenant_code;
  p.organization_id = result.user.organization_id;
  p.organization_kind = result.user.organization_kind;
  p.enrolment_only = !enrolled;
  return result;
}

std::optional<Principal> AuthService::Authenticate(std::string_view session_token, bool touch) {
  if (session_token.size() != 64) return std::nullopt;
  UnixMillis now = clock_.Now();
  std::string hash = Sha256Hex(session_token);
  auto row = db_.ReadStatement([&](store::Session& s) {
    return s.QueryOne(
        "SELECT s.id, s.user_id, s.csrf_token, s.stage, s.last_seen_at, s.expires_at, s.ended_at, "
        "u.username, u.role, u.tenant_id, t.code, u.organization_id, u.disabled, COALESCE(o.kind, '') "
        "FROM sessions s JOIN users u ON u.id = s.user_id JOIN tenants t ON t.id = u.tenant_id "
        "LEFT JOIN organizations o ON o.id = u.organization_id "
        "WHERE s.token_hash = $1", {hash});
  });
  if (!row || !row->IsNull(6) || row->Int(12) != 0) return std::nullopt;
  UnixMillis last_seen = row->Int(4);
  if (now - last_seen > limits_.idle || now >= row->Int(5)) return std::nullopt;
  Principal p;
  p.session_id = row->Int(0);
  p.user_id = row->Int(1);
  p.csrf_token = row->Text(2);
  p.enrolment_only = row->Text(3) != "full";
  p.username = row->Text(7);
  auto role = ParseRole(row->Text(8));
  if (!role) return std::nullopt;
  p.role = *role;
  p.tenant_id = row->Int(9);
  p.tenant_code = row->Text(10);
  p.organization_id = row->OptInt(11);
  p.organization_kind = row->Text(13);
  if (touch && now - last_seen > kTouchEvery) {
    db_.Write([&](store::Session& s) {
      s.Execute("UPDATE sessions SET last_seen_at = $2 WHERE id = $1", {p.session_id, now});
    });
  }
  return p;
}

std::optional<Principal> AuthService::AuthenticateAccessToken(std::string_view access_token) {
  return auth::AuthenticateAccessToken(db_, access_token, clock_.Now());
}

void AuthService::Logout(const Principal& principal, const std::string& request_id) {
  db_.Write([&](store::Session& s) {
    s.Execute("UPDATE sessions SET ended_at = $2 WHERE id = $1 AND ended_at IS NULL",
              {principal.session_id, clock_.Now()});
    audit::Entry e = ActorEntry(&principal, "auth.logout", request_id);
    e.at = clock_.Now();
    audit::Append(s, e);
  });
}

Enrolment AuthService::BeginEnrolment(const Principal& principal) {
  std::string secret = db_.Write([&](store::Session& s) {
    auto row = s.QueryOne("SELECT totp_secret FROM users WHERE id = $1 AND totp_enrolled = 0",
                          {principal.user_id});
    if (!row) Fail(ErrorCode::kConflict, "already_enrolled", "two-factor login is already set up");
    std::string existing = row->Text(0);
    if (!existing.empty()) return existing;
    std::string fresh = NewTotpSecret();
    s.Execute("UPDATE users SET totp_secret = $2 WHERE id = $1", {principal.user_id, fresh});
    return fresh;
  });
  return {secret, OtpauthUri("moyakko", principal.username, secret)};
}

LoginResult AuthService::ConfirmEnrolment(const Principal& principal, std::string_view otp,
                                          const std::string& request_id) {
  UnixMillis now = clock_.Now();
  LoginResult result;
  db_.Write([&](store::Session& s) {
    auto row = s.QueryOne("SELECT totp_secret FROM users WHERE id = $1 AND totp_enrolled = 0",
                          {principal.user_id});
    if (!row || row->IsNull(0)) Fail(ErrorCode::kConflict, "not_enrolling", "start the set-up first");
    auto step = MatchTotp(row->Text(0), otp, now);
    if (!step) Fail(ErrorCode::kInvalidArgument, "invalid_otp", "the one-time code is not correct", "otp");
    s.Execute("UPDATE users SET totp_enrolled = 1, totp_last_step = $2, updated_at = $3 WHERE id = $1",
              {principal.user_id, *step, now});
    // A new session after the privilege change; the enrolment session ends here.
    s.Execute("UPDATE sessions SET ended_at = $2 WHERE id = $1", {principal.session_id, now});
    result.session_token = NewSession(s, principal.user_id, true, &result.principal.csrf_token,
                                      &result.principal.session_id);
    audit::Entry e = ActorEntry(&principal, "auth.totp.enrol", request_id);
    e.at = now;
    audit::Append(s, e);
  });
  result.user = LoadUser(principal.user_id);
  Principal& p = result.principal;
  p.user_id = principal.user_id;
  p.username = principal.username;
  p.role = principal.role;
  p.tenant_id = principal.tenant_id;
  p.tenant_code = principal.tenant_code;
  p.organization_id = principal.organization_id;
  p.organization_kind = principal.organization_kind;
  return result;
}

UserView AuthService::LoadUser(std::int64_t user_id) {
  UnixMillis now = clock_.Now();
  auto row = db_.Read([&](store::Session& s) {
    return s.QueryOne(std::string(kUserColumns) + "WHERE u.id = $1", {user_id});
  });
  if (!row) Fail(ErrorCode::kNotFound, "not_found", "no such user");
  return UserFromRow(*row, now);
}

std::vector<UserView> AuthService::ListUsers(std::int64_t tenant_id) {
  UnixMillis now = clock_.Now();
  return db_.Read([&](store::Session& s) {
    std::vector<UserView> users;
    for (const auto& row : s.Query(std::string(kUserColumns) + "WHERE u.tenant_id = $1 ORDER BY u.username",
                                   {tenant_id})) {
      users.push_back(UserFromRow(row, now));
    }
    return users;
  });
}

CreatedUser AuthService::AddUser(const NewUser& user, const Principal* actor,
                                 const std::string& request_id) {
  static const std::regex kUsername("[a-z0-9][a-z0-9._-]{2,63}");
  if (!std::regex_match(user.username, kUsername)) {
    Fail(ErrorCode::kInvalidArgument, "invalid_username",
         "user names are 3–64 characters: a–z, 0–9, '.', '_' or '-'", "username");
  }
  if (std::string problem = PasswordProblem(user.password);
      user.password_hash.empty() && !problem.empty()) {
    Fail(ErrorCode::kInvalidArgument, problem, "passwords are 8–256 characters", "password");
  }
  if (!IsValidUtf8(user.display_name) || Utf8Length(user.display_name) > 100) {
    Fail(ErrorCode::kInvalidArgument, "invalid_display_name", "display name: up to 100 characters",
         "display_name");
  }
  if (!user.totp_secret.empty() && !IsValidTotpSecret(user.totp_secret)) {
    Fail(ErrorCode::kInvalidArgument, "invalid_totp_secret",
         "the TOTP secret must be base32 of at least 80 bits", "totp_secret");
  }
  if (actor && actor->tenant_code != user.tenant_code) {
    Fail(ErrorCode::kForbidden, "forbidden", "you may add users to your own municipality only");
  }
  CreatedUser created;
  bool enrolled = user.enrolled || !user.totp_secret.empty();
  created.totp_secret = !user.totp_secret.empty() ? user.totp_secret : (enrolled ? NewTotpSecret() : "");
  // Slow (argon2id): outside the write transaction.
  std::string hash = user.password_hash.empty() ? HashPassword(user.password) : user.password_hash;
  UnixMillis now = clock_.Now();
  db_.Write([&](store::Session& s) {
    auto tenant = s.QueryOne("SELECT id FROM tenants WHERE code = $1", {user.tenant_code});
    if (!tenant) Fail(ErrorCode::kInvalidArgument, "unknown_tenant", "no such municipality", "tenant");
    std::optional<std::int64_t> org_id;
    if (user.organization_code) {
      auto org = s.QueryOne("SELECT id FROM organizations WHERE code = $1 AND tenant_id = $2",
                            {*user.organization_code, tenant->Int(0)});
      if (!org) Fail(ErrorCode::kInvalidArgument, "unknown_organization", "no such organisation in this municipality", "organization");
      org_id = org->Int(0);
    }
    if (s.QueryOne("SELECT 1 FROM users WHERE username = $1", {user.username})) {
      Fail(ErrorCode::kConflict, "username_taken", "that user name is taken", "username");
    }
    created.id = s.QueryOne(
        "INSERT INTO users (tenant_id, organization_id, username, display_name, display_kana, role, "
        "password_hash, totp_secret, totp_enrolled, created_at, updated_at) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id",
        {tenant->Int(0), store::Opt(org_id), user.username,
         user.display_name.empty() ? user.username : user.display_name, user.display_kana,
         std::string(ToString(user.role)), hash,
         created.totp_secret.empty() ? store::Value(store::Null{}) : store::Value(created.totp_secret),
         std::int64_t{enrolled}, now})->Int(0);
    audit::Entry e = ActorEntry(actor, "admin.user.add", request_id);
    e.at = now;
    if (!actor) e.tenant_code = user.tenant_code;
    e.detail = fmt::format("user={} role={}", created.id, ToString(user.role));
    audit::Append(s, e);
  });
  return created;
}

bool AuthService::DisableUser(std::string_view username, const Principal* actor,
                              const std::string& request_id) {
  UnixMillis now = clock_.Now();
  return db_.Write([&](store::Session& s) {
    auto row = s.QueryOne("SELECT u.id, t.code FROM users u JOIN tenants t ON t.id = u.tenant_id "
                          "WHERE u.username = $1", {std::string(username)});
    if (!row) return false;
    if (actor && actor->tenant_code != row->Text(1)) {
      Fail(ErrorCode::kForbidden, "forbidden", "you may manage your own municipality's users only");
    }
    std::int64_t id = row->Int(0);
    s.Execute("UPDATE users SET disabled = 1, updated_at = $2 WHERE id = $1", {id, now});
    s.Execute("UPDATE sessions SET ended_at = $2 WHERE user_id = $1 AND ended_at IS NULL", {id, now});
    audit::Entry e = ActorEntry(actor, "admin.user.disable", request_id);
    e.at = now;
    if (!actor) e.tenant_code = row->Text(1);
    e.detail = fmt::format("user={}", id);
    audit::Append(s, e);
    return true;
  });
}

void AuthService::ResetTotp(std::int64_t user_id, const Principal& actor, const std::string& request_id) {
  UnixMillis now = clock_.Now();
  db_.Write([&](store::Session& s) {
    if (s.Execute("UPDATE users SET totp_secret = NULL, totp_enrolled = 0, totp_last_step = 0, "
                  "updated_at = $3 WHERE id = $1 AND tenant_id = $2",
                  {user_id, actor.tenant_id, now}) != 1) {
      Fail(ErrorCode::kNotFound, "not_found", "no such user");
    }
    s.Execute("UPDATE sessions SET ended_at = $2 WHERE user_id = $1 AND ended_at IS NULL", {user_id, now});
    audit::Entry e = ActorEntry(&actor, "admin.user.reset_2fa", request_id);
    e.at = now;
    e.detail = fmt::format("user={}", user_id);
    audit::Append(s, e);
  });
}

}  // namespace moyakko::auth
