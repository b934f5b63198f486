#!/usr/bin/env bash
# The whole test suite: unit and integration tests (ctest) on SQLite and on a throwaway
# PostgreSQL 15, a short fuzzing run of the parsers, kill -9 during ledger imports, a restore
# drill (backups taken while the server writes, restored, verified and served, on SQLite and on
# PostgreSQL), the security checks (sqlmap against the API, no secrets in the server's log),
# every resource of the FHIR API through the fhir package's validator, a minute of soak (ingest
# bursts, API reads and live streams at once; the server's memory growth and every answer
# checked), then the end-to-end tests in headless Chromium. Exit status is non-zero when
# anything failed.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
scripts/install-deps.sh --test
scripts/build.sh

source scripts/throwaway-postgres.sh
trap pg_stop EXIT
pg_start

status=0
(cd build && ctest --output-on-failure -j2) || status=1
tests/fuzz/run.sh 15 || status=1
MOYAKKO_BIN="$root/build/moyakko" tests/crash/ledger_import.sh 5 || status=1
MOYAKKO_BIN="$root/build/moyakko" tests/restore/drill.sh || status=1
tests/security/sqlmap.sh || status=1
tests/security/log_secrets.sh || status=1
MOYAKKO_BIN="$root/build/moyakko" tests/fhir/validate.sh || status=1
MOYAKKO_BIN="$root/build/moyakko" tests/soak/soak.sh 60 || status=1
MOYAKKO_BIN="$root/build/moyakko" tests/e2e/run.sh || status=1

if [ $status -eq 0 ]; then echo "moyakko: all test suites passed"; else echo "moyakko: some tests FAILED"; fi
exit $status
