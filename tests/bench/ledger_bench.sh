#!/usr/bin/env bash
# Ledger import of 100,000 records: the sample's valid records repeated under new resident
# numbers, in CP932 as municipalities send them. Then the disaster map's API: 10,000 of them
# on the ledger, a drill declared, a city officer asking for everyone with their status
# (one client, wrk). Prints one line per figure:
#   dry_run <s> | import <s> | reimport <s> | sqlite_import <s> | storage_floor <s> |
#   map <req/s> <p50 ms> <p99 ms> <bytes>
# The references: the sqlite3 CLI's bare .import of the same file (as UTF-8) into a table of
# text columns (no validation, no person register, no index); and the storage floor, the rows
# the import wrote copied by the sqlite3 CLI into an empty register of the same schema
# (its indexes, the trigram index, foreign keys on as the server has them): what the
# database itself needs, before any file is read.
#   tests/bench/ledger_bench.sh [records, default 100000] [seconds of wrk, default 10]
set -euo pipefail
cd "$(dirname "$0")/../.."
records=${1:-100000}
duration=${2:-10}
tmp=$(mktemp -d /tmp/moyakko-ledger-bench.XXXXXX)
server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$tmp"' EXIT
tests/data/make_ledger.py "$records" "$tmp/ledger.csv"
tests/data/make_ledger.py "$records" "$tmp/ledger_utf8.csv" --encoding utf-8
tests/data/make_ledger.py 10000 "$tmp/map.csv"
seconds() { local start end; start=$(date +%s.%N); "$@" >/dev/null; end=$(date +%s.%N); /usr/bin/python3 -c "print(f'{$end-$start:.2f}')"; }
build/moyakko migrate --db "$tmp/l.db" >/dev/null
sqlite3 "$tmp/l.db" "INSERT INTO tenants (code, name, created_at) VALUES ('bench', 'bench', 0)"
echo "dry_run $(seconds build/moyakko import ledger --db "$tmp/l.db" --tenant bench "$tmp/ledger.csv" --dry-run)"
echo "import $(seconds build/moyakko import ledger --db "$tmp/l.db" --tenant bench "$tmp/ledger.csv")"
echo "reimport $(seconds build/moyakko import ledger --db "$tmp/l.db" --tenant bench "$tmp/ledger.csv")"
echo "sqlite_import $(seconds sqlite3 "$tmp/ref.db" ".import --csv $tmp/ledger_utf8.csv ledger")"
build/moyakko migrate --db "$tmp/floor.db" >/dev/null
sqlite3 "$tmp/floor.db" "INSERT INTO tenants (code, name, created_at) VALUES ('bench', 'bench', 0)"
# "WHERE … > 0" keeps SQLite from copying the tables page by page (its transfer optimisation).
echo "storage_floor $(seconds sqlite3 "$tmp/floor.db" "PRAGMA foreign_keys=ON; ATTACH '$tmp/l.db' AS src; BEGIN;
  INSERT INTO persons SELECT * FROM src.persons WHERE id > 0;
  INSERT INTO persons_fts (rowid, search_key) SELECT id, search_key FROM persons;
  INSERT INTO ledger_entries SELECT * FROM src.ledger_entries WHERE person_id > 0; COMMIT;")"

# The map: 10,000 people of the ledger with their status, as a city officer sees them.
db="$tmp/map.db"
build/moyakko migrate --db "$db" >/dev/null
sqlite3 "$db" "INSERT INTO tenants (code, name, created_at) VALUES ('bench', 'bench', 0)"
build/moyakko import ledger --db "$db" --tenant bench "$tmp/map.csv" >/dev/null
printf 'bench-password-1' | build/moyakko user add --db "$db" --tenant bench --username city --role city_officer \
  --totp-secret JBSWY3DPEHPK3PXP --password-stdin >/dev/null
port=$(/usr/bin/python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
build/moyakko serve --db "$db" --listen "127.0.0.1:$port" --log-level warn >/dev/null 2>&1 &
server=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
login=$(curl -fs -c "$tmp/cookies" -H 'Content-Type: application/json' \
  -d "{\"username\":\"city\",\"password\":\"bench-password-1\",\"otp\":\"$(oathtool --totp -b JBSWY3DPEHPK3PXP)\"}" \
  "http://127.0.0.1:$port/api/v1/auth/login")
csrf=$(echo "$login" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf_token"])')
cookie="moyakko_session=$(awk '$6 == "moyakko_session" {print $7}' "$tmp/cookies")"
event=$(curl -fs -H "Cookie: $cookie" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
  -d '{"kind":"earthquake","title":"bench","drill":true}' "http://127.0.0.1:$port/api/v1/disaster/events" |
  /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
url="http://127.0.0.1:$port/api/v1/disaster/events/$event/people"
bytes=$(curl -fs -H "Cookie: $cookie" "$url" | wc -c)
wrk -t1 -c1 -d3s -H "Cookie: $cookie" "$url" >/dev/null  # every I/O thread's allocator warmed, pages cached
wrk -t1 -c1 -d"${duration}s" --latency -H "Cookie: $cookie" "$url" |
  awk -v bytes="$bytes" 'function ms(v) { if (v ~ /us$/) { sub(/us/, "", v); return v / 1000 } if (v ~ /ms$/) { sub(/ms/, "", v); return v } sub(/s/, "", v); return v * 1000 }
       /Requests\/sec/ {rps = $2} /^ *50%/ {p50 = ms($2)} /^ *99%/ {p99 = ms($2)}
       END {printf "map %d %.1f %.1f %d\n", rps, p50, p99, bytes}'
