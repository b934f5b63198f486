#!/usr/bin/env bash
# End-to-end tests of the web UI against a real `moyakko serve` on a fresh demo database.
#
#   tests/e2e/run.sh [playwright args…]
#
# Environment:
#   MOYAKKO_BIN       server binary            (default: <repo>/build/moyakko)
#   MOYAKKO_WEB_ROOT  built web UI             (default: <repo>/web/dist; build it with `npm run build` in web/)
# Needs Node ≥ 18, Debian's chromium at /usr/bin/chromium, python3 and curl.
# Screenshots are written to tests/e2e/artifacts/.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
MOYAKKO_BIN="${MOYAKKO_BIN:-$ROOT/build/moyakko}"
MOYAKKO_WEB_ROOT="${MOYAKKO_WEB_ROOT:-$ROOT/web/dist}"

if [[ ! -x "$MOYAKKO_BIN" ]]; then
  echo "run.sh: no server binary at $MOYAKKO_BIN (build it first or set MOYAKKO_BIN)" >&2
  exit 2
fi
if [[ ! -f "$MOYAKKO_WEB_ROOT/index.html" ]]; then
  echo "run.sh: no built web UI in $MOYAKKO_WEB_ROOT (run 'npm ci && npm run build' in web/)" >&2
  exit 2
fi

TMP="$(mktemp -d "${TMPDIR:-/tmp}/moyakko-e2e.XXXXXX")"
SERVER_PID=""
cleanup() {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$TMP"
}
trap cleanup EXIT

DB="$TMP/e2e.db"
echo "run.sh: demo database $DB"
"$MOYAKKO_BIN" demo --db "$DB" >"$TMP/demo.log" 2>&1 || { cat "$TMP/demo.log" >&2; exit 1; }

add_user() { # username role password secret [org]
  local org_args=()
  [[ -n "${5:-}" ]] && org_args=(--org "$5")
  printf '%s' "$3" | "$MOYAKKO_BIN" user add --db "$DB" --tenant seto --username "$1" --role "$2" \
    "${org_args[@]}" --totp-secret "$4" --password-stdin
}
add_user e2e_admin admin 'e2e-admin-pass-123' JBSWY3DPEHPK3PXP seto-city-kaigo
add_user e2e_family family 'e2e-family-pass-123' \
  KRUGKIDROVUWG2ZAMJZG653OEBTG66BANJ2W24DTEBXXMZLSEB2GQZJANRQXU6JAMRXWO
# A doctor of the receiving hospital of the emergency tests (the demo lists no hospital login).
add_user e2e_hospital_doctor doctor 'e2e-hospital-pass-123' GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ seto-hatayama-hospital

PORT="$(/usr/bin/python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')"
"$MOYAKKO_BIN" serve --db "$DB" --listen "127.0.0.1:$PORT" --web-root "$MOYAKKO_WEB_ROOT" >"$TMP/server.log" 2>&1 &
SERVER_PID=$!

export MOYAKKO_URL="http://127.0.0.1:$PORT"
for i in $(seq 150); do
  curl -fsS "$MOYAKKO_URL/healthz" >/dev/null 2>&1 && break
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    echo "run.sh: server exited during start-up:" >&2; cat "$TMP/server.log" >&2; exit 1
  fi
  if [[ "$i" == 150 ]]; then
    echo "run.sh: server did not answer /healthz within 15 s:" >&2; cat "$TMP/server.log" >&2; exit 1
  fi
  sleep 0.1
done
echo "run.sh: server up at $MOYAKKO_URL (pid $SERVER_PID)"

cd "$HERE"
if [[ ! -d node_modules ]]; then
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
fi
mkdir -p artifacts

status=0
PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npx --no-install playwright test "$@" || status=$?
if [[ "$status" != 0 ]]; then
  echo "run.sh: last server log lines:" >&2
  tail -n 40 "$TMP/server.log" >&2 || true
fi
exit "$status"
