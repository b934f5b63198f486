#!/usr/bin/env bash
# Every FHIR resource the API serves passes the validator of the npm `fhir` package (FHIR.js
# 4.12.0, unexpected elements being errors), on a fresh demo town behind a real `moyakko serve`.
#
#   tests/fhir/validate.sh
#
# Two system clients with system/*.read are registered: a visiting nursing station, on the care
# teams of 11 of the 12 care-network patients (every one of the 15 types has resources for it),
# and a day-care service, which also reaches the patient the first cannot. With each client's
# token, validate.mjs validates the CapabilityStatement, every page of every type's search, a
# read of each type, $everything of up to 5 patients and a whole bulk $export, and checks that
# searchsets have a total and a self link and that a missing token (401), an unknown type (404)
# and _count=abc (400) are answered with an OperationOutcome. It fails on any validation error,
# any unexpected status, or a type without a resource.
#
# Environment:
#   MOYAKKO_BIN   server binary   (default: <repo>/build/moyakko)
# Needs Node ≥ 18 (its fetch), npm (the first run installs tests/fhir/node_modules), python3 and
# curl.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
source "$ROOT/scripts/throwaway-demo.sh"

command -v node >/dev/null || { echo "validate.sh: needs Node ≥ 18" >&2; exit 2; }
if [[ ! -d "$HERE/node_modules" ]]; then
  npm ci --prefix "$HERE" --no-audit --no-fund
fi

demo_create fhir
echo "validate.sh: demo database $DEMO_DB"
# shellcheck disable=SC2119  # the server needs no flags beyond the ones demo_serve gives it
demo_serve
echo "validate.sh: server up at $DEMO_URL (pid $DEMO_PID)"

# A system client of organisation $1, and a bearer token for it.
client_token() {
  local credentials id secret
  credentials="$("$MOYAKKO_BIN" client add --db "$DEMO_DB" --tenant seto --org "$1" --name "$2" --scopes "system/*.read")"
  id="$(node -e 'console.log(JSON.parse(process.argv[1]).client_id)' "$credentials")"
  secret="$(node -e 'console.log(JSON.parse(process.argv[1]).client_secret)' "$credentials")"
  curl -fsS -X POST "$DEMO_URL/fhir/r4/auth/token" -H 'Content-Type: application/x-www-form-urlencoded' \
    --data-urlencode grant_type=client_credentials --data-urlencode "client_id=$id" \
    --data-urlencode "client_secret=$secret" |
    node -e 'let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => console.log(JSON.parse(s).access_token))'
}

nursing="$(client_token seto-hagiyama-nursing '訪問看護ステーションこもれび萩山 記録システム')"
day_care="$(client_token seto-day-kamado 'デイサービスかまどの家 連絡システム')"
[[ -n "$nursing" && -n "$day_care" ]] || demo_fail "no access token"

status=0
node "$HERE/validate.mjs" "$DEMO_URL" "$nursing" "$day_care" || status=$?
if [[ "$status" != 0 ]]; then
  echo "validate.sh: last server log lines:" >&2
  tail -n 40 "$DEMO_LOG" >&2 || true
fi
exit "$status"
