#pragma once
// System clients: other systems (a hospital's, a region's) that read through the FHIR API.
// An operator registers one with `moyakko client add`, which prints its client id and secret
// once; the client trades them for a bearer access token (OAuth 2.0 client credentials) at
// the token endpoint. The token carries the client's scopes, or fewer when it asked for
// fewer, and a principal of role kSystemClient, which the policy lets read patients of the
// care network whose team includes someone of the client's organisation.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "auth/policy.h"
#include "common/clock.h"
#include "store/database.h"

namespace moyakko::auth {

inline constexpr UnixMillis kAccessTokenLifetime = 60 * 60 * 1000;

struct NewClient {
  std::string tenant_code;
  std::optional<std::string> organization_code;  // whose care teams it may read
  std::string name;
  std::vector<std::string> scopes;  // "system/Patient.read", "system/*.read", …
};

struct CreatedClient {
  std::string client_id;
  std::string secret;  // shown once; only its argon2id hash is stored
};

// Validates (400 naming the field: unknown tenant or organisation, empty name, unknown
// scope) and stores the client; the audit log records who did it.
CreatedClient AddClient(store::Database& db, const NewClient& client, UnixMillis now);

// Disables a client and ends its tokens at once (audited); false when there is no such client.
bool DisableClient(store::Database& db, std::string_view client_id, UnixMillis now);

struct IssuedToken {
  std::string access_token;
  std::int64_t expires_in = 0;  // seconds
  std::string scope;            // what the token grants, space-separated
};

// The token endpoint: 401 invalid_client for an unknown, disabled or wrong credential,
// 400 invalid_scope when `requested_scope` asks for more than the client has (empty: all of
// it). Issuing is audited.
IssuedToken IssueToken(store::Database& db, std::string_view client_id, std::string_view secret,
                       std::string_view requested_scope, UnixMillis now, const std::string& request_id);

// The principal behind a live access token; nullopt when unknown, expired or the client was
// disabled.
std::optional<Principal> AuthenticateAccessToken(store::Database& db, std::string_view token, UnixMillis now);

// The principal of a client by its row id (exports run on its behalf after the request).
std::optional<Principal> ClientPrincipal(store::Session& s, std::int64_t client_row_id, const std::string& scopes);

}  // namespace moyakko::auth
