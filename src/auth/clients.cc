#include "auth/clients.h"

#include <fmt/format.h>

#include <algorithm>
#include <sstream>

#include "audit/audit_log.h"
#include "auth/password.h"
#include "common/crypto.h"
#include "common/error.h"
#include "common/text.h"

namespace moyakko::auth {
namespace {

std::vector<std::string> Words(std::string_view text) {
  std::vector<std::string> words;
  std::istringstream in{std::string(text)};
  for (std::string word; in >> word;) words.push_back(word);
  return words;
}

std::string Joined(const std::vector<std::string>& words) { return fmt::format("{}", fmt::join(words, " ")); }

audit::Entry ClientEntry(std::string_view client_id, std::string action, const std::string& request_id, UnixMillis now) {
  audit::Entry e;
  e.at = now;
  e.actor_username = fmt::format("client:{}", client_id);
  e.actor_role = std::string(ToString(Role::kSystemClient));
  e.action = std::move(action);
  e.request_id = request_id;
  return e;
}

// A change made from the command line.
audit::Entry OperatorEntry(const std::string& tenant_code, std::string action, std::string_view client_id,
                           UnixMillis now) {
  audit::Entry e;
  e.at = now;
  e.actor_username = "(cli)";
  e.actor_role = "operator";
  e.tenant_code = tenant_code;
  e.action = std::move(action);
  e.detail = fmt::format("client {}", client_id);
  return e;
}

[[noreturn]] void InvalidClient() {
  Fail(ErrorCode::kUnauthenticated, "invalid_client", "unknown client or wrong secret");
}

}  // namespace

CreatedClient AddClient(store::Database& db, const NewClient& client, UnixMillis now) {
  if (client.name.empty() || !IsValidUtf8(client.name) || Utf8Length(client.name) > 100) {
    Fail(ErrorCode::kInvalidArgument, "invalid_name", "name: 1 to 100 characters", "name");
  }
  if (client.scopes.empty()) Fail(ErrorCode::kInvalidArgument, "invalid_scope", "give at least one scope", "scopes");
  for (const auto& scope : client.scopes) {
    if (!IsKnownScope(scope)) {
      Fail(ErrorCode::kInvalidArgument, "invalid_scope",
           fmt::format("scopes: '{}' is not system/<Type or *>.read", scope), "scopes");
    }
  }
  CreatedClient created{RandomHex(12), RandomHex(32)};
  std::string hash = HashPassword(created.secret);
  db.Write([&](store::Session& s) {
    auto tenant = s.QueryOne("SELECT id FROM tenants WHERE code = $1", {client.tenant_code});
    if (!tenant) Fail(ErrorCode::kInvalidArgument, "unknown_tenant", "no such municipality", "tenant");
    std::optional<std::int64_t> organization;
    if (client.organization_code) {
      auto row = s.QueryOne("SELECT id FROM organizations WHERE code = $1 AND tenant_id = $2",
                            {*client.organization_code, tenant->Int(0)});
      if (!row) Fail(ErrorCode::kInvalidArgument, "unknown_organization", "no such organisation here", "organization");
      organization = row->Int(0);
    }
    s.Execute("INSERT INTO api_clients (tenant_id, organization_id, client_id, name, secret_hash, scopes, created_at) "
              "VALUES ($1, $2, $3, $4, $5, $6, $7)",
              {tenant->Int(0), store::Opt(organization), created.client_id, client.name, hash,
               Joined(client.scopes), now});
    audit::Append(s, OperatorEntry(client.tenant_code, "admin.client.add", created.client_id, now));
  });
  return created;
}

bool DisableClient(store::Database& db, std::string_view client_id, UnixMillis now) {
  return db.Write([&](store::Session& s) {
    auto row = s.QueryOne("SELECT c.id, t.code FROM api_clients c JOIN tenants t ON t.id = c.tenant_id "
                          "WHERE c.client_id = $1",
                          {std::string(client_id)});
    if (!row) return false;
    s.Execute("UPDATE api_clients SET disabled = 1 WHERE id = $1", {row->Int(0)});
    s.Execute("DELETE FROM api_tokens WHERE client_id = $1", {row->Int(0)});
    audit::Append(s, OperatorEntry(row->Text(1), "admin.client.disable", client_id, now));
    return true;
  });
}

IssuedToken IssueToken(store::Database& db, std::string_view client_id, std::string_view secret,
                       std::string_view requested_scope, UnixMillis now, const std::string& request_id) {
  if (client_id.empty() || client_id.size() > 64 || secret.size() > 256) InvalidClient();
  auto client = db.Read([&](store::Session& s) {
    return s.QueryOne("SELECT c.id, c.secret_hash, c.scopes, c.disabled, t.code FROM api_clients c "
                      "JOIN tenants t ON t.id = c.tenant_id WHERE c.client_id = $1",
                      {std::string(client_id)});
  });
  bool valid = client && client->Int(3) == 0 && VerifyPassword(client->Text(1), secret);
  if (!valid) {
    audit::Entry e = ClientEntry(client_id, "auth.client.token", request_id, now);
    e.outcome = audit::Outcome::kDenied;
    e.reason = client ? "wrong_secret_or_disabled" : "unknown_client";
    if (client) e.tenant_code = client->Text(4);
    audit::AppendNow(db, e);
    InvalidClient();
  }
  std::vector<std::string> granted = Words(client->Text(2)), requested = Words(requested_scope);
  if (!requested.empty()) {
    for (const auto& scope : requested) {
      if (std::find(granted.begin(), granted.end(), scope) == granted.end()) {
        Fail(ErrorCode::kInvalidArgument, "invalid_scope", fmt::format("scope '{}' is not granted to this client", scope));
      }
    }
    granted = requested;
  }
  IssuedToken token{RandomHex(32), kAccessTokenLifetime / 1000, Joined(granted)};
  db.Write([&](store::Session& s) {
    s.Execute("DELETE FROM api_tokens WHERE expires_at < $1", {now});
    s.Execute("INSERT INTO api_tokens (token_hash, client_id, scopes, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
              {Sha256Hex(token.access_token), client->Int(0), token.scope, now, now + kAccessTokenLifetime});
    audit::Entry e = ClientEntry(client_id, "auth.client.token", request_id, now);
    e.tenant_code = client->Text(4);
    e.detail = token.scope;
    audit::Append(s, e);
  });
  return token;
}

std::optional<Principal> ClientPrincipal(store::Session& s, std::int64_t client_row_id, const std::string& scopes) {
  auto row = s.QueryOne("SELECT c.client_id, c.tenant_id, t.code, c.organization_id, COALESCE(o.kind, ''), c.disabled "
                        "FROM api_clients c JOIN tenants t ON t.id = c.tenant_id "
                        "LEFT JOIN organizations o ON o.id = c.organization_id WHERE c.id = $1",
                        {client_row_id});
  if (!row || row->Int(5) != 0) return std::nullopt;
  Principal p;
  p.role = Role::kSystemClient;
  p.client_id = client_row_id;
  p.username = fmt::format("client:{}", row->Text(0));
  p.tenant_id = row->Int(1);
  p.tenant_code = row->Text(2);
  p.organization_id = row->OptInt(3);
  p.organization_kind = row->Text(4);
  p.scopes = Words(scopes);
  return p;
}

std::optional<Principal> AuthenticateAccessToken(store::Database& db, std::string_view token, UnixMillis now) {
  if (token.size() != 64) return std::nullopt;
  return db.Read([&](store::Session& s) -> std::optional<Principal> {
    auto row = s.QueryOne("SELECT client_id, scopes, expires_at FROM api_tokens WHERE token_hash = $1",
                          {Sha256Hex(token)});
    if (!row || now >= row->Int(2)) return std::nullopt;
    return ClientPrincipal(s, row->Int(0), row->Text(1));
  });
}

}  // namespace moyakko::auth
