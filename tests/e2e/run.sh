#!/usr/bin/env bash
# End-to-end tests of the web UI against a real `moyakko serve` on a fresh demo database.
#
#   tests/e2e/run.sh [playwright args…]
#
# Environment:
#   MOYAKKO_BIN       server binary            (default: <repo>/build/moyakko)
#   MOYAKKO_WEB_ROOT  built web UI             (default: <repo>/web/dist; build it with `npm run build` in web/)
#   E2E_SERVERS       servers, and so Playwright workers (default: 2)
# Needs Node ≥ 18, Debian's chromium at /usr/bin/chromium, python3 and curl.
# Screenshots are written to tests/e2e/artifacts/.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
MOYAKKO_WEB_ROOT="${MOYAKKO_WEB_ROOT:-$ROOT/web/dist}"
source "$ROOT/scripts/throwaway-demo.sh"

if [[ ! -f "$MOYAKKO_WEB_ROOT/index.html" ]]; then
  echo "run.sh: no built web UI in $MOYAKKO_WEB_ROOT (run 'npm ci && npm run build' in web/)" >&2
  exit 2
fi

demo_create e2e
echo "run.sh: demo database $DEMO_DB"
demo_add_user e2e_admin admin 'e2e-admin-pass-123' JBSWY3DPEHPK3PXP seto-city-kaigo
demo_add_user e2e_family family 'e2e-family-pass-123' \
  KRUGKIDROVUWG2ZAMJZG653OEBTG66BANJ2W24DTEBXXMZLSEB2GQZJANRQXU6JAMRXWO
# A doctor of the receiving hospital of the emergency tests (the demo lists no hospital login).
demo_add_user e2e_hospital_doctor doctor 'e2e-hospital-pass-123' GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ seto-hatayama-hospital

# One server per Playwright worker, each on its own copy of the database: a user's one-time code
# steps are counted per server, and no worker sees another's data.
servers="${E2E_SERVERS:-2}"
[[ "$servers" =~ ^[1-9][0-9]*$ ]] || demo_fail "E2E_SERVERS must be a number ≥ 1"
dbs=("$DEMO_DB")
for i in $(seq 2 "$servers"); do
  dbs+=("$DEMO_DIR/demo-$i.db")
  "$MOYAKKO_BIN" backup --db "$DEMO_DB" --out "${dbs[-1]}" >/dev/null
done
urls=() logs=()
for i in "${!dbs[@]}"; do
  DEMO_DB="${dbs[i]}"
  (( i == 0 )) || DEMO_LOG="$DEMO_DIR/server-$((i + 1)).log"
  demo_serve --web-root "$MOYAKKO_WEB_ROOT"
  urls+=("$DEMO_URL")
  logs+=("$DEMO_LOG")
  echo "run.sh: server up at $DEMO_URL (pid $DEMO_PID)"
done
export MOYAKKO_URLS="${urls[*]}"
# The demo's TOTP secrets: a login may then use the code of a step next to now (helpers/demo.ts).
secrets=()
for user in "${!DEMO_SECRET[@]}"; do secrets+=("$user=${DEMO_SECRET[$user]}"); done
export MOYAKKO_DEMO_SECRETS="${secrets[*]}"

cd "$HERE"
if [[ ! -d node_modules ]]; then
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
fi
mkdir -p artifacts

status=0
PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npx --no-install playwright test "$@" || status=$?
if [[ "$status" != 0 ]]; then
  for log in "${logs[@]}"; do
    echo "run.sh: last lines of $log:" >&2
    tail -n 40 "$log" >&2 || true
  done
fi
exit "$status"
