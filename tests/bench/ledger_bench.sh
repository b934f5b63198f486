#!/usr/bin/env bash
# Ledger import of 100,000 records: the sample's valid records repeated under new resident
# numbers, in CP932 as municipalities send them. Prints one line per figure:
#   dry_run <s> | import <s> | reimport <s> | sqlite_import <s>
# The reference is the sqlite3 CLI's bare .import of the same file (as UTF-8) into a table
# of text columns: no validation, no person register, no index.
#   tests/bench/ledger_bench.sh [records, default 100000]
set -euo pipefail
cd "$(dirname "$0")/../.."
records=${1:-100000}
tmp=$(mktemp -d /tmp/moyakko-ledger-bench.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
/usr/bin/python3 - "$records" "$tmp" <<'PY'
import csv, io, sys
records, tmp = int(sys.argv[1]), sys.argv[2]
rows = list(csv.reader(io.StringIO(open('tests/data/ledger_seto_sample_cp932.csv', 'rb').read().decode('cp932'))))
header, data = rows[0], rows[1:]
defective = {29, 36, 79, 120, 155, 163}  # record numbers, see docs/operations.md
valid = [r for i, r in enumerate(data, 1) if i not in defective]
out = io.StringIO()
w = csv.writer(out, lineterminator='\r\n')
w.writerow(header)
for n in range(records):
    r = list(valid[n % len(valid)])
    r[0] = str(33204000000 + n)
    w.writerow(r)
open(f'{tmp}/ledger.csv', 'wb').write(out.getvalue().encode('cp932'))
open(f'{tmp}/ledger_utf8.csv', 'wb').write(out.getvalue().encode('utf-8'))
PY
seconds() { local start end; start=$(date +%s.%N); "$@" >/dev/null; end=$(date +%s.%N); /usr/bin/python3 -c "print(f'{$end-$start:.2f}')"; }
build/moyakko migrate --db "$tmp/l.db" >/dev/null
sqlite3 "$tmp/l.db" "INSERT INTO tenants (code, name, created_at) VALUES ('bench', 'bench', 0)"
echo "dry_run $(seconds build/moyakko import ledger --db "$tmp/l.db" --tenant bench "$tmp/ledger.csv" --dry-run)"
echo "import $(seconds build/moyakko import ledger --db "$tmp/l.db" --tenant bench "$tmp/ledger.csv")"
echo "reimport $(seconds build/moyakko import ledger --db "$tmp/l.db" --tenant bench "$tmp/ledger.csv")"
echo "sqlite_import $(seconds sqlite3 "$tmp/ref.db" ".import --csv $tmp/ledger_utf8.csv ledger")"
