#!/usr/bin/env bash
# The whole test suite: unit and integration tests (ctest) on SQLite and on a throwaway
# PostgreSQL 15, a short fuzzing run of the parsers, kill -9 during ledger imports and of one of
# two app nodes during escalations and deliveries, a restore
# drill (backups taken while the server writes, restored, verified and served, on SQLite and on
# PostgreSQL), the security checks (sqlmap against the API, no secrets in the server's log),
# every resource of the FHIR API through the fhir package's validator, a minute of soak (ingest
# bursts, API reads and live streams at once; the server's memory growth and every answer
# checked), then the end-to-end tests in headless Chromium. Exit status is non-zero when
# anything failed. Each part's time is printed after it ("== part: N s"), and the last line
# names the parts that failed.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
started=$SECONDS
failed=()  # the names of the parts that failed
# timed NAME COMMAND…: runs it, prints how long it took, and returns its status.
timed() {
  local name=$1 from=$SECONDS code=0
  shift
  "$@" || code=$?
  echo "== $name: $((SECONDS - from)) s (total $((SECONDS - started)) s)$([ $code -eq 0 ] || echo ", FAILED with status $code")"
  [ $code -eq 0 ] || failed+=("$name")
  return $code
}
timed install-deps scripts/install-deps.sh --test
timed build scripts/build.sh

source scripts/throwaway-postgres.sh
trap pg_stop EXIT
pg_start

status=0
export MOYAKKO_BIN="$root/build/moyakko"
timed ctest bash -c 'cd build && ctest --output-on-failure -j2' || status=1
timed fuzz tests/fuzz/run.sh 15 || status=1
timed crash-ledger tests/crash/ledger_import.sh 5 || status=1
timed crash-two-nodes tests/crash/two_nodes.sh 2 || status=1
timed restore-drill tests/restore/drill.sh || status=1
timed sqlmap tests/security/sqlmap.sh || status=1
timed log-secrets tests/security/log_secrets.sh || status=1
timed fhir-validator tests/fhir/validate.sh || status=1
timed soak tests/soak/soak.sh 60 || status=1
timed e2e tests/e2e/run.sh || status=1

# The CI shows only the end of this output: repeat which ctest tests failed.
if [[ " ${failed[*]} " == *" ctest "* && -s build/Testing/Temporary/LastTestsFailed.log ]]; then
  echo "ctest failed:"; sed 's/^/  /' build/Testing/Temporary/LastTestsFailed.log
fi
if [ $status -eq 0 ]; then echo "moyakko: all test suites passed"; else echo "moyakko: some tests FAILED: ${failed[*]}"; fi
exit $status
