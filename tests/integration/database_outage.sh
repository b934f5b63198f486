#!/usr/bin/env bash
# PostgreSQL goes away under a running server and comes back: requests get 503 (never a
# crash, never a hang), and the same session works again once the database is back.
#   tests/integration/database_outage.sh <moyakko binary>
set -euo pipefail
bin=$1
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../../scripts/throwaway-postgres.sh"
tmp=$(mktemp -d /tmp/moyakko-outage.XXXXXX)
server=
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null; pg_stop; rm -rf "$tmp"; }
trap cleanup EXIT
pg_start >/dev/null
db=$MOYAKKO_TEST_PG_URL
fail() { echo "database_outage: FAIL: $*" >&2; exit 1; }
status() { curl -s -o /dev/null -w '%{http_code}' --max-time 10 -b "$tmp/cookies" "http://127.0.0.1:$port$1"; }

"$bin" demo --db "$db" >/dev/null
printf 'outage-password' | "$bin" user add --db "$db" --tenant seto --username outage --role city_officer \
  --org seto-city-kaigo --totp-secret JBSWY3DPEHPK3PXP --password-stdin >/dev/null
port=$(free_port)
"$bin" serve --db "$db" --listen "127.0.0.1:$port" --log-level error >"$tmp/out" 2>"$tmp/err" &
server=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
curl -fs -c "$tmp/cookies" -H 'Content-Type: application/json' "http://127.0.0.1:$port/api/v1/auth/login" \
  -d "{\"username\":\"outage\",\"password\":\"outage-password\",\"otp\":\"$(oathtool --totp -b JBSWY3DPEHPK3PXP)\"}" >/dev/null \
  || fail "login"
[ "$(status /api/v1/persons)" = 200 ] || fail "before the outage"

(cd /tmp && runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop >/dev/null)
for path in /healthz /api/v1/me /api/v1/persons; do
  code=$(status $path)
  [ "$code" = 503 ] || fail "$path answered $code during the outage, expected 503"
done
kill -0 "$server" || fail "server died during the outage"

(cd /tmp && runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w start \
  -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1" >/dev/null)
for _ in $(seq 50); do [ "$(status /api/v1/persons)" = 200 ] && break; sleep 0.2; done
[ "$(status /api/v1/persons)" = 200 ] || fail "no recovery after the database came back"
[ "$(status /healthz)" = 200 ] || fail "healthz after recovery"
echo "database_outage: 1 passed, 0 failed"
