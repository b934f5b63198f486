#!/usr/bin/env bash
# Restore drill: a backup taken while the server runs and writes can be restored and served,
# nothing acknowledged before the backup began is lost, and the audit chain verifies.
#
# SQLite: a demo town served on a free loopback port; two sensor gateways upload readings to
# POST /api/v1/ingest and a city officer registers people (POST /api/v1/persons, audited),
# each a request every half second or so (DRILL_WRITE_PAUSE). Meanwhile three generations are
# taken with `moyakko backup` into a backups folder, and the newest is copied to a separate
# offline folder. The writers stop. The oldest generation (from the backups folder) and the
# newest (from the offline copy) are each restored into a fresh file with `moyakko restore`,
# and for each: PRAGMA integrity_check, `moyakko audit verify`, every reading and every person
# answered 2xx before that backup began is there (with the person's audit entry), the row
# counts seen before the backup are reached, and a second server on the restored file answers
# /healthz and a demo user's login through the API, reads one of the people registered before
# the backup and registers a new one, after which the audit chain still verifies.
#
# PostgreSQL, when MOYAKKO_TEST_PG_URL is set (scripts/throwaway-postgres.sh): a small town in
# a scratch database, a server and the same writers, `pg_dump -Fc` while they run,
# `pg_restore` into another fresh database, and the same checks on it (without
# integrity_check). The scratch databases are dropped at the end.
#
#   tests/restore/drill.sh
#
# Environment: MOYAKKO_BIN (default build/moyakko), MOYAKKO_TEST_PG_URL, DEMO_KEEP=1 to keep
# the temp dir. Needs curl, sqlite3, oathtool, python3; psql, pg_dump and pg_restore for
# PostgreSQL. Prints PASS or FAIL per check; exit status 1 when any check failed.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 2
MOYAKKO_BIN=${MOYAKKO_BIN:-$(pwd)/build/moyakko}
source scripts/throwaway-demo.sh
PGBIN=/usr/lib/postgresql/15/bin

started=$(date +%s)
# Each writer's pause between requests. `moyakko backup` copies 256 pages at a time and starts
# again from the beginning whenever the server commits between two of its steps (SQLite's
# online backup from another process): it finishes only in a gap between commits long enough
# for the whole copy (0.2 s for the idle 23 MB demo database), and under a continuous stream
# of commits never. Hence the pause, and a time limit on each backup.
pause=${DRILL_WRITE_PAUSE:-0.5}
passed=0 failed=0
writer_pids=() server_pids=() pg_databases=()

pass() { passed=$((passed + 1)); echo "PASS: $*"; }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }
# check DESCRIPTION COMMAND…: PASS when the command succeeds; its output is shown on failure.
check() {
  local what=$1 out; shift
  if out=$("$@" 2>&1); then pass "$what"; else fail "$what"; [[ -n "$out" ]] && printf '  %s\n' "$out" | head -20; fi
}
# expect DESCRIPTION WANT GOT
expect() { if [[ "$2" == "$3" ]]; then pass "$1"; else fail "$1: expected $2, got $3"; fi; }
abort() { echo "drill.sh: $*" >&2; exit 1; }

stop_pid() {
  local pid=$1
  kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null; return 0; }
  kill "$pid" 2>/dev/null
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  return 0
}

cleanup() {
  [[ -n "${DEMO_DIR:-}" ]] && touch "$DEMO_DIR/stop"
  local pid db
  for pid in "${writer_pids[@]}" "${server_pids[@]}" ${pg_setup_pid:-}; do stop_pid "$pid"; done
  for db in "${pg_databases[@]}"; do
    psql -qtAX "$MOYAKKO_TEST_PG_URL" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1
  done
  demo_cleanup
}

for tool in curl sqlite3 oathtool python3; do command -v "$tool" >/dev/null || abort "needs $tool"; done

# sql DB STATEMENTS: runs them on an SQLite file or a PostgreSQL URL; prints the last result.
sql() {
  if [[ "$1" == postgresql://* ]]; then
    PGOPTIONS="-c client_min_messages=warning" psql -qtAX -v ON_ERROR_STOP=1 "$1" <<<"$2"
  else
    sqlite3 -bail "$1" <<<".timeout 5000
$2"
  fi
}

# serve DB NAME: starts a server on a free loopback port and waits for /healthz;
# sets SERVER_URL and SERVER_PID.
serve() {
  local port
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  SERVER_URL="http://127.0.0.1:$port"
  "$MOYAKKO_BIN" serve --db "$1" --listen "127.0.0.1:$port" >"$DEMO_DIR/$2.log" 2>&1 &
  SERVER_PID=$!
  server_pids+=("$SERVER_PID")
  for _ in $(seq 150); do
    curl -fsS "$SERVER_URL/healthz" >/dev/null 2>&1 && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || { sed 's/^/  /' "$DEMO_DIR/$2.log"; return 1; }
    sleep 0.1
  done
  return 1
}

# login URL USER JAR: logs a demo user in through the API (password and one-time code); the
# session cookie goes to JAR, the CSRF token to JAR.csrf. Prints the HTTP status.
login() {
  local status
  status=$(curl -sS -o "$3.body" -w '%{http_code}' -c "$3" -H 'Content-Type: application/json' \
    --data-binary "{\"username\":\"$2\",\"password\":\"${DEMO_PASSWORD[$2]}\",\"otp\":\"$(oathtool --totp -b "${DEMO_SECRET[$2]}")\"}" \
    "$1/api/v1/auth/login")
  sed -nE 's/.*"csrf_token": *"([0-9a-f]+)".*/\1/p' "$3.body" >"$3.csrf"
  echo "$status"
}

# A sensor gateway: batches of a door opening, its closing and a room temperature, one after
# the other until the stop file appears. Each batch answered 200 is appended to ACKED as
# "DEVICE FIRST_SEQ LAST_SEQ" (only after the answer); other answers go to ACKED.errors.
ingest_writer() {  # URL DEVICE TOKEN ACKED
  local seq=1 at status
  while [[ ! -e "$DEMO_DIR/stop" ]]; do
    at=$(date -u +%Y-%m-%dT%H:%M:%SZ)
    status=$(curl -sS -o /dev/null -w '%{http_code}' -m 10 -H "Authorization: Bearer $3" \
      -H 'Content-Type: application/json' --data-binary \
      "{\"device\":\"$2\",\"readings\":[{\"seq\":$seq,\"at\":\"$at\",\"kind\":\"door\",\"value\":\"open\"},{\"seq\":$((seq + 1)),\"at\":\"$at\",\"kind\":\"door\",\"value\":\"close\"},{\"seq\":$((seq + 2)),\"at\":\"$at\",\"kind\":\"temperature\",\"value\":21.5}]}" \
      "$1/api/v1/ingest")
    if [[ "$status" == 200 ]]; then echo "$2 $seq $((seq + 2))" >>"$4"; else echo "ingest $seq: $status" >>"$4.errors"; fi
    seq=$((seq + 3))
    sleep "$pause"
  done
}

# A city officer registering people; the id of each answered 201 is appended to ACKED.
person_writer() {  # URL JAR ACKED
  local n=1 status id
  while [[ ! -e "$DEMO_DIR/stop" ]]; do
    status=$(curl -sS -o "$3.body" -w '%{http_code}' -m 10 -b "$2" -H "X-CSRF-Token: $(cat "$2.csrf")" \
      -H 'Content-Type: application/json' --data-binary \
      "{\"family_name\":\"復元\",\"given_name\":\"訓練$n\",\"family_kana\":\"フクゲン\",\"birth_date\":\"1941-04-0$((n % 9 + 1))\",\"district\":\"末広町\"}" \
      "$1/api/v1/persons")
    id=$(grep -oE '"id": *[0-9]+' "$3.body" | head -1 | grep -oE '[0-9]+$')
    if [[ "$status" == 201 && -n "$id" ]]; then echo "$id" >>"$3"; else echo "person $n: $status" >>"$3.errors"; fi
    n=$((n + 1))
    sleep "$pause"
  done
}

# acked: how many writes have been acknowledged so far, all writers together.
acked() { cat "${ACK_READINGS[@]}" "$ACK_PERSONS" 2>/dev/null | wc -l; }
# lines FILE: how many whole lines FILE has (0 when it does not exist).
lines() { if [[ -e "$1" ]]; then wc -l <"$1"; else echo 0; fi; }
# wait_acked N FILE…: until each FILE has N more lines than now, at most 10 s.
wait_acked() {
  local more=$1 f; shift
  local -A target=()
  for f in "$@"; do target[$f]=$(($(lines "$f") + more)); done
  for _ in $(seq 100); do
    local short=0
    for f in "$@"; do (($(lines "$f") >= ${target[$f]})) || short=1; done
    ((short == 0)) && return 0
    sleep 0.1
  done
  return 1
}
# snapshot FILE OUT: the whole lines FILE has now (a line is written after its 2xx).
snapshot() { if [[ -e "$1" ]]; then head -n "$(lines "$1")" "$1" >"$2"; else : >"$2"; fi; }

# start_writers URL DB LABEL: a device on each of two demo households, a city officer's
# session, and the three writers. Sets ACK_READINGS (one file per device) and ACK_PERSONS.
start_writers() {
  local url=$1 db=$2 label=$3 household credentials device token i=0
  rm -f "$DEMO_DIR/stop"
  ACK_READINGS=()
  for household in $(sql "$db" "SELECT id FROM households ORDER BY id LIMIT 2;"); do
    credentials=$("$MOYAKKO_BIN" device add --db "$db" --household "$household") || abort "$label: device add failed"
    device=$(sed -nE 's/.*"device":"([^"]+)".*/\1/p' <<<"$credentials")
    token=$(sed -nE 's/.*"token":"([0-9a-f]+)".*/\1/p' <<<"$credentials")
    i=$((i + 1))
    ACK_READINGS+=("$DEMO_DIR/$label-readings-$i.acked")
    ingest_writer "$url" "$device" "$token" "$DEMO_DIR/$label-readings-$i.acked" &
    writer_pids+=($!)
  done
  [[ ${#ACK_READINGS[@]} == 2 ]] || abort "$label: no demo households"
  [[ $(login "$url" co.hayashi "$DEMO_DIR/$label-writer.jar") == 200 ]] || abort "$label: the city officer's login failed"
  ACK_PERSONS=$DEMO_DIR/$label-persons.acked
  person_writer "$url" "$DEMO_DIR/$label-writer.jar" "$ACK_PERSONS" &
  writer_pids+=($!)
  wait_acked 3 "${ACK_READINGS[@]}" "$ACK_PERSONS" || abort "$label: the writers got no answers: $(cat "$DEMO_DIR"/"$label"-*.errors 2>/dev/null | head -5)"
}

stop_writers() {
  touch "$DEMO_DIR/stop"
  local pid
  for pid in "${writer_pids[@]}"; do wait "$pid" 2>/dev/null; done
  writer_pids=()
}

# before_backup LABEL: what was acknowledged before a backup begins, and the row counts then.
before_backup() {
  local f out=$DEMO_DIR/$1.readings.before
  : >"$out"
  for f in "${ACK_READINGS[@]}"; do snapshot "$f" "$f.tmp"; cat "$f.tmp" >>"$out"; rm -f "$f.tmp"; done
  snapshot "$ACK_PERSONS" "$DEMO_DIR/$1.persons.before"
}

# verify_restored LABEL DB SNAPSHOT COUNTS: the checks on a restored database.
# SNAPSHOT: the prefix of the .readings.before/.persons.before files; COUNTS: "persons audit"
# counted on the live database just before the backup began.
verify_restored() {
  local label=$1 db=$2 snap=$3 counts=$4 readings persons got want out jar last
  readings=$(awk '{ n += $3 - $2 + 1 } END { print n + 0 }' "$snap.readings.before")
  persons=$(lines "$snap.persons.before")

  if [[ "$db" != postgresql://* ]]; then
    expect "$label: PRAGMA integrity_check" ok "$(sql "$db" "PRAGMA integrity_check;" 2>&1)"
  fi
  check "$label: moyakko audit verify" "$MOYAKKO_BIN" audit verify --db "$db"

  out=$( {
    echo "CREATE TEMP TABLE acked (device_id TEXT, seq_from BIGINT, seq_to BIGINT);"
    awk '{ printf "INSERT INTO acked VALUES (\x27%s\x27, %d, %d);\n", $1, $2, $3 }' "$snap.readings.before"
    echo "SELECT COUNT(*) FROM readings r JOIN acked a ON r.device_id = a.device_id AND r.seq BETWEEN a.seq_from AND a.seq_to;"
  } )
  got=$(sql "$db" "$out" 2>&1)
  expect "$label: all $readings readings acknowledged before the backup are there" "$readings" "$got"

  out=$( {
    echo "CREATE TEMP TABLE acked_persons (id BIGINT);"
    awk '{ printf "INSERT INTO acked_persons VALUES (%d);\n", $1 }' "$snap.persons.before"
    echo "SELECT (SELECT COUNT(*) FROM persons WHERE id IN (SELECT id FROM acked_persons)) || ' ' ||"
    echo "  (SELECT COUNT(DISTINCT person_id) FROM audit_events WHERE action = 'person.write' AND person_id IN (SELECT id FROM acked_persons));"
  } )
  got=$(sql "$db" "$out" 2>&1)
  expect "$label: all $persons people registered before the backup are there, each with its audit entry" "$persons $persons" "$got"

  got=$(sql "$db" "SELECT (SELECT COUNT(*) FROM persons) || ' ' || (SELECT COUNT(*) FROM audit_events);" 2>&1)
  want=$counts
  if [[ "$got" =~ ^[0-9]+\ [0-9]+$ ]] && ((${got% *} >= ${want% *} && ${got#* } >= ${want#* })); then
    pass "$label: persons and audit_events rows ($got) at least as many as before the backup ($want)"
  else
    fail "$label: persons and audit_events rows: $got, before the backup: $want"
  fi

  if serve "$db" "$label-server"; then
    pass "$label: a server on the restored database answers /healthz"
    jar=$DEMO_DIR/$label-admin.jar
    expect "$label: admin.seto logs in through the API" 200 "$(login "$SERVER_URL" admin.seto "$jar")"
    expect "$label: GET /api/v1/me with that session" 200 \
      "$(curl -sS -o /dev/null -w '%{http_code}' -b "$jar" "$SERVER_URL/api/v1/me")"
    last=$(tail -n 1 "$snap.persons.before")
    got=$(curl -sS -o "$jar.person" -w '%{http_code}' -b "$jar" "$SERVER_URL/api/v1/persons/$last")
    if [[ "$got" == 200 ]] && grep -q '訓練' "$jar.person"; then
      pass "$label: the last person registered before the backup is served (person $last)"
    else
      fail "$label: GET /api/v1/persons/$last answered $got: $(head -c 200 "$jar.person")"
    fi
    expect "$label: a new person can be registered on it" 201 \
      "$(curl -sS -o /dev/null -w '%{http_code}' -b "$jar" -H "X-CSRF-Token: $(cat "$jar.csrf")" \
        -H 'Content-Type: application/json' --data-binary '{"family_name":"復元後","given_name":"確認"}' \
        "$SERVER_URL/api/v1/persons")"
    stop_pid "$SERVER_PID"
    check "$label: moyakko audit verify with the new entries chained on" "$MOYAKKO_BIN" audit verify --db "$db"
  else
    fail "$label: a server on the restored database answers /healthz"
  fi
}

# writer_report LABEL WHILE: the writers were answered 2xx all along.
writer_report() {
  local errors
  errors=$(cat "$DEMO_DIR/$1"-*.errors 2>/dev/null | head -5)
  if [[ -z "$errors" ]]; then
    pass "$1: every write answered 2xx before, during and after $2 ($(cat "${ACK_READINGS[@]}" | wc -l) sensor batches, $(lines "$ACK_PERSONS") people)"
  else
    fail "$1: writes refused around $2: $errors"
  fi
}

# pg_setup URL: the town on PostgreSQL (see below), as the users in PG_PASSWORD and PG_SECRET.
pg_setup() {
  local url=$1 user
  "$MOYAKKO_BIN" migrate --db "$url" || return 1
  sql "$url" "INSERT INTO tenants (code, name, name_kana, time_zone, created_at)
      VALUES ('seto', '瀬戸市', 'せとし', 'Asia/Tokyo', (extract(epoch FROM now()) * 1000)::bigint);
    INSERT INTO organizations (tenant_id, code, kind, name, phone, address, created_at)
      SELECT id, 'seto-city-kaigo', 'city_department', '瀬戸市 高齢者福祉課', '0561-88-2631',
             '瀬戸市追分町64番地の1', (extract(epoch FROM now()) * 1000)::bigint FROM tenants WHERE code = 'seto';" || return 1
  for user in admin.seto:admin co.hayashi:city_officer; do
    printf '%s' "${PG_PASSWORD[${user%:*}]}" | "$MOYAKKO_BIN" user add --db "$url" --tenant seto --org seto-city-kaigo \
      --username "${user%:*}" --role "${user#*:}" --totp-secret "${PG_SECRET[${user%:*}]}" --password-stdin || return 1
  done
  "$MOYAKKO_BIN" simulate --db "$url" --tenant seto --households 4 --days 2
}

# ---------------------------------------------------------------------------------------------
demo_create restore
trap cleanup EXIT

# PostgreSQL. `moyakko demo` takes half a minute there (a statement per sensor reading), so
# the town is set up as in docs/operations.md, "First installation": migrate, a municipality
# and an organisation in SQL, an administrator and a city officer with `moyakko user add`;
# then a few watched households with history from `moyakko simulate`. That runs in the
# background while the SQLite part does.
declare -A PG_PASSWORD=() PG_SECRET=()
pg_setup_pid=""
if [[ -n "${MOYAKKO_TEST_PG_URL:-}" ]]; then
  command -v psql >/dev/null || abort "needs psql for PostgreSQL"
  pg_dump=$(command -v pg_dump || echo "$PGBIN/pg_dump")
  pg_restore=$(command -v pg_restore || echo "$PGBIN/pg_restore")
  source_db=restore_drill_src_$$ target_db=restore_drill_dst_$$
  pg_databases=("$source_db" "$target_db")
  for db in "${pg_databases[@]}"; do
    sql "$MOYAKKO_TEST_PG_URL" "DROP DATABASE IF EXISTS $db WITH (FORCE); CREATE DATABASE $db;" >/dev/null ||
      abort "cannot create database $db"
  done
  source_url=${MOYAKKO_TEST_PG_URL%/*}/$source_db
  target_url=${MOYAKKO_TEST_PG_URL%/*}/$target_db
  for user in admin.seto co.hayashi; do
    PG_PASSWORD[$user]=drill-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')
    PG_SECRET[$user]=$(python3 -c 'import base64, os; print(base64.b32encode(os.urandom(20)).decode())')
  done
  pg_setup "$source_url" >"$DEMO_DIR/pg-setup.log" 2>&1 &
  pg_setup_pid=$!
fi

# ---------------------------------------------------------------------------------------------
# SQLite
# shellcheck disable=SC2119  # the server needs no flags beyond the ones demo_serve gives it
demo_serve
start_writers "$DEMO_URL" "$DEMO_DB" sqlite
backups=$DEMO_DIR/backups offline=$DEMO_DIR/offline
mkdir -p "$backups" "$offline"
generations=()
for gen in 1 2 3; do
  wait_acked 2 "${ACK_READINGS[@]}" "$ACK_PERSONS" || abort "sqlite: the writers stopped getting answers"
  before_backup "sqlite-gen$gen"
  sql "$DEMO_DB" "SELECT (SELECT COUNT(*) FROM persons) || ' ' || (SELECT COUNT(*) FROM audit_events);" >"$DEMO_DIR/sqlite-gen$gen.counts"
  file=$backups/moyakko-$(date -u +%Y-%m-%dT%H%M%S.%3N).db
  t0=$(date +%s%N) a0=$(acked)
  check "sqlite: generation $gen: moyakko backup while the writers run" timeout 60 "$MOYAKKO_BIN" backup --db "$DEMO_DB" --out "$file"
  echo "  $(basename "$file"): $(stat -c %s "$file") bytes in $((($(date +%s%N) - t0) / 1000000)) ms;" \
    "$(($(acked) - a0)) writes acknowledged meanwhile"
  generations+=("$file")
done
wait_acked 1 "${ACK_READINGS[@]}" "$ACK_PERSONS" || fail "sqlite: the writers kept getting answers after the backups"
stop_writers
writer_report sqlite "the backups"
cp "${generations[2]}" "$offline/"
expect "sqlite: three generations in the backups folder" 3 "$(find "$backups" -name 'moyakko-*.db' | wc -l)"
expect "sqlite: the newest also in the offline folder" 1 "$(find "$offline" -name 'moyakko-*.db' | wc -l)"

oldest=$(find "$backups" -name 'moyakko-*.db' | sort | head -1)
expect "sqlite: the oldest file is the first generation" "${generations[0]}" "$oldest"
for which in oldest newest; do
  if [[ $which == oldest ]]; then from=$oldest gen=1; else from=$offline/$(basename "${generations[2]}") gen=3; fi
  restored=$DEMO_DIR/restored-$which.db
  check "sqlite: restore the $which generation ($(basename "$(dirname "$from")")/$(basename "$from")) into a fresh file" \
    "$MOYAKKO_BIN" restore --db "$restored" --in "$from"
  verify_restored "sqlite $which" "$restored" "$DEMO_DIR/sqlite-gen$gen" "$(cat "$DEMO_DIR/sqlite-gen$gen.counts")"
done
stop_pid "$DEMO_PID"

# ---------------------------------------------------------------------------------------------
# PostgreSQL
if [[ -n "${MOYAKKO_TEST_PG_URL:-}" ]]; then
  wait "$pg_setup_pid" || { cat "$DEMO_DIR/pg-setup.log"; abort "setting up the town on PostgreSQL failed"; }
  pg_setup_pid=""
  for user in "${!PG_PASSWORD[@]}"; do DEMO_PASSWORD[$user]=${PG_PASSWORD[$user]} DEMO_SECRET[$user]=${PG_SECRET[$user]}; done
  serve "$source_url" pg-source || abort "the server on PostgreSQL did not start"
  pg_source_pid=$SERVER_PID
  start_writers "$SERVER_URL" "$source_url" pg
  wait_acked 1 "${ACK_READINGS[@]}" "$ACK_PERSONS" || abort "pg: the writers stopped getting answers"
  before_backup pg-dump
  sql "$source_url" "SELECT (SELECT COUNT(*) FROM persons) || ' ' || (SELECT COUNT(*) FROM audit_events);" >"$DEMO_DIR/pg-dump.counts"
  dump=$DEMO_DIR/backups/moyakko-$(date -u +%Y-%m-%dT%H%M%S).dump
  t0=$(date +%s%N) a0=$(acked)
  check "pg: pg_dump -Fc while the writers run" timeout 60 "$pg_dump" -Fc -d "$source_url" -f "$dump"
  echo "  $(basename "$dump"): $(stat -c %s "$dump") bytes in $((($(date +%s%N) - t0) / 1000000)) ms;" \
    "$(($(acked) - a0)) writes acknowledged meanwhile"
  wait_acked 1 "${ACK_READINGS[@]}" "$ACK_PERSONS" || fail "pg: the writers kept getting answers after the dump"
  stop_writers
  writer_report pg "the dump"
  stop_pid "$pg_source_pid"
  check "pg: pg_restore into a fresh database" "$pg_restore" --no-owner --exit-on-error --single-transaction \
    -d "$target_url" "$dump"
  verify_restored "pg" "$target_url" "$DEMO_DIR/pg-dump" "$(cat "$DEMO_DIR/pg-dump.counts")"
else
  echo "drill.sh: MOYAKKO_TEST_PG_URL not set; PostgreSQL skipped"
fi

echo "drill.sh: $passed passed, $failed failed in $(($(date +%s) - started)) s"
[[ $failed -eq 0 ]]
