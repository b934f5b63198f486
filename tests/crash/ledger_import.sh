#!/usr/bin/env bash
# kill -9 in the middle of ledger imports, at random moments. An import is one transaction:
# afterwards the register holds the whole file or nothing of it (persons, ledger entries and
# the import's audit record together), the database is sound (SQLite's integrity_check, the
# audit chain), and importing the file again completes.
#
#   tests/crash/ledger_import.sh [kills per database, default 5]
#
# Environment: MOYAKKO_BIN (default build/moyakko); MOYAKKO_TEST_PG_URL: PostgreSQL as well
# (scripts/throwaway-postgres.sh). The full run (50) and its last results: tests/crash/README.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=${MOYAKKO_BIN:-build/moyakko}
kills=${1:-5}
records=20000
tmp=$(mktemp -d /tmp/moyakko-crash.XXXXXX)
import_pid=""
cleanup() {
  [[ -n "$import_pid" ]] && kill -9 "$import_pid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
tests/data/make_ledger.py "$records" "$tmp/ledger.csv"

fail() { echo "ledger_import.sh: $*" >&2; exit 1; }

# sql DB STATEMENT: one value.
sql() {
  if [[ "$1" == postgresql://* ]]; then PGOPTIONS="-c client_min_messages=warning" psql -qtAX -v ON_ERROR_STOP=1 "$1" -c "$2"; else sqlite3 "$1" "$2"; fi
}

# fresh NAME: a migrated database with the municipality "crash"; prints its URL or path.
fresh() {
  local db="$tmp/$1.db"
  if [[ -n "${pg:-}" ]]; then
    sql "$MOYAKKO_TEST_PG_URL" "DROP DATABASE IF EXISTS $1" >/dev/null
    sql "$MOYAKKO_TEST_PG_URL" "CREATE DATABASE $1" >/dev/null
    db="${MOYAKKO_TEST_PG_URL%/*}/$1"
  fi
  "$bin" migrate --db "$db" >/dev/null
  sql "$db" "INSERT INTO tenants (code, name, created_at) VALUES ('crash', '瀬戸市', 0)" >/dev/null
  echo "$db"
}

import() { "$bin" import ledger --db "$1" --tenant crash "$tmp/ledger.csv" >/dev/null 2>&1; }

# check DB: the whole file or nothing, and a sound database; sets `imported` to how many.
check() {
  local db="$1" persons entries audits
  persons=$(sql "$db" "SELECT COUNT(*) FROM persons")
  entries=$(sql "$db" "SELECT COUNT(*) FROM ledger_entries")
  audits=$(sql "$db" "SELECT COUNT(*) FROM audit_events WHERE action = 'ledger.import'")
  [[ ( "$persons" == 0 && "$audits" == 0 ) || ( "$persons" == "$records" && "$audits" -ge 1 ) ]] ||
    fail "$db: $persons of $records people and $audits import records after the kill"
  [[ "$entries" == "$persons" ]] || fail "$db: $entries ledger entries for $persons people"
  if [[ "$db" != postgresql://* ]]; then
    [[ "$(sql "$db" "PRAGMA integrity_check")" == ok ]] || fail "$db: integrity_check failed"
  fi
  "$bin" audit verify --db "$db" >/dev/null || fail "$db: the audit chain does not verify"
  imported=$persons
}

run() {
  local label="$1" db start took interrupted=0 done=0
  db=$(fresh crash_timing)
  start=$(date +%s%N)
  import "$db" || fail "$label: the import itself failed"
  took=$(( ($(date +%s%N) - start) / 1000000 ))
  for i in $(seq "$kills"); do
    db=$(fresh "crash_$i")
    "$bin" import ledger --db "$db" --tenant crash "$tmp/ledger.csv" >/dev/null 2>&1 &
    import_pid=$!
    # Anywhere in the import, from reading the file to the commit and a little after.
    sleep "$(awk -v ms="$took" -v seed="$RANDOM" 'BEGIN { srand(seed); printf "%.3f", rand() * ms * 1.1 / 1000 }')"
    if kill -9 "$import_pid" 2>/dev/null; then :; fi
    wait "$import_pid" 2>/dev/null || true
    import_pid=""
    check "$db"
    if [[ "$imported" == 0 ]]; then interrupted=$((interrupted + 1)); else done=$((done + 1)); fi
    import "$db" || fail "$label: importing again after the kill failed"
    check "$db"
    [[ "$imported" == "$records" ]] || fail "$label: importing again did not bring in the whole file"
  done
  echo "ledger_import.sh: $label: $kills kills during a ${took} ms import of $records records:" \
    "$interrupted left nothing, $done came after the commit; each time the whole file or none, sound, imported again"
  (( interrupted > 0 )) || fail "$label: no kill landed before the commit; nothing was tested"
}

pg=""
run SQLite
if [[ -n "${MOYAKKO_TEST_PG_URL:-}" ]]; then
  pg=1
  run PostgreSQL
  for i in timing $(seq "$kills"); do sql "$MOYAKKO_TEST_PG_URL" "DROP DATABASE IF EXISTS crash_$i" >/dev/null; done
fi
