#!/usr/bin/env bash
# The CLI contract operators' scripts rely on: demo, user add/disable, audit verify,
# backup/restore — with their outputs and exit codes.
#   tests/integration/cli_test.sh <moyakko binary>
set -uo pipefail
bin=$1
tmp=$(mktemp -d /tmp/moyakko-cli.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0
check() {  # description, command…
  local what=$1; shift
  if "$@" >"$tmp/out" 2>&1; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: $what"; cat "$tmp/out"; fi
}
db=$tmp/town.db

check "demo fills an empty database" "$bin" demo --db "$db"
check "demo refuses a non-empty one" bash -c "! '$bin' demo --db '$db'"
check "user add prints a generated TOTP secret" bash -c \
  "printf 'long-enough-pw' | '$bin' user add --db '$db' --tenant seto --username cli.nurse --role nurse --org seto-city-kaigo --password-stdin | grep -Eq '^TOTP secret: [A-Z2-7]{32}$'"
check "user add keeps a given secret quiet" bash -c \
  "printf 'long-enough-pw' | '$bin' user add --db '$db' --tenant seto --username cli.doc --role doctor --totp-secret JBSWY3DPEHPK3PXP --password-stdin | grep -vq 'TOTP secret'"
check "user add rejects a short password" bash -c \
  "! printf 'short' | '$bin' user add --db '$db' --tenant seto --username cli.x --role nurse --password-stdin"
check "user add rejects an unknown role" bash -c \
  "! printf 'long-enough-pw' | '$bin' user add --db '$db' --tenant seto --username cli.y --role wizard --password-stdin"
check "user disable" "$bin" user disable --db "$db" --username cli.nurse
check "user disable of nobody fails" bash -c "! '$bin' user disable --db '$db' --username nobody"
check "audit verify on an intact chain" "$bin" audit verify --db "$db"
check "backup" "$bin" backup --db "$db" --out "$tmp/backup.db"
check "backup refuses PostgreSQL" bash -c "! '$bin' backup --db postgresql://x@127.0.0.1:1/x --out '$tmp/x'"

household=$(sqlite3 "$db" "INSERT INTO households (tenant_id, person_id, created_at) SELECT 1, MIN(id), 0 FROM persons
  WHERE tenant_id = 1 AND id NOT IN (SELECT person_id FROM households) RETURNING id")
check "device add prints the device and its token once" bash -c \
  "'$bin' device add --db '$db' --household $household | grep -Eq '^\{\"device\":\"dev-[0-9a-f]{16}\",\"token\":\"[0-9a-f]{64}\"\}$'"
check "device add refuses an unknown household" bash -c "! '$bin' device add --db '$db' --household 99999"

sqlite3 "$db" "UPDATE audit_events SET reason = 'edited' WHERE seq = 3"
check "audit verify names the edited entry (exit 2)" bash -c \
  "'$bin' audit verify --db '$db'; test \$? -eq 2" 
check "... and says which" bash -c "'$bin' audit verify --db '$db' 2>&1 | grep -q 'entry 3'"
sqlite3 "$db" "DELETE FROM persons WHERE id = 1"
check "restore" "$bin" restore --db "$db" --in "$tmp/backup.db"
check "restored data is back" bash -c "test \"\$(sqlite3 '$db' 'SELECT COUNT(*) FROM persons WHERE id = 1')\" = 1"
check "restored audit chain verifies" "$bin" audit verify --db "$db"

echo "cli_test: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
