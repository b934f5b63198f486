#!/usr/bin/env bash
# Throwaway demo server for tests: the demo town in a temp dir, served on a free loopback port.
#   source scripts/throwaway-demo.sh
#   demo_create [NAME]          temp dir (/tmp/moyakko-NAME.*) and demo database; sets the EXIT
#                               trap that stops the servers demo_serve started (those PIDs only)
#                               and removes the dir
#   demo_add_user USER ROLE PASSWORD SECRET [ORG]   a user of Seto, enrolled with that TOTP secret
#   demo_serve [serve flags…]   starts the server on DEMO_DB and waits until /healthz answers;
#                               called again (DEMO_DB and DEMO_LOG pointed elsewhere) it starts
#                               another: DEMO_URL and DEMO_PID name the last, the EXIT trap stops all
# Sets DEMO_DIR, DEMO_DB, DEMO_URL, DEMO_PID, DEMO_LOG (the server's stdout and stderr), and
# DEMO_PASSWORD[user], DEMO_SECRET[user] for the demo's users and those added.
# Environment: MOYAKKO_BIN (default <repo>/build/moyakko), DEMO_LOG_LEVEL (the server's
# --log-level, default info), DEMO_KEEP=1 to keep the temp dir for a look afterwards.
# shellcheck disable=SC2034  # the DEMO_ variables are for the scripts that source this
MOYAKKO_BIN="${MOYAKKO_BIN:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/build/moyakko}"
DEMO_PID=""
DEMO_PIDS=()
declare -A DEMO_PASSWORD=() DEMO_SECRET=()

demo_fail() { echo "$(basename "$0"): $*" >&2; exit 1; }

demo_cleanup() {
  local pid
  for pid in "${DEMO_PIDS[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    fi
  done
  if [[ -n "${DEMO_DIR:-}" ]]; then
    if [[ "${DEMO_KEEP:-}" == 1 ]]; then echo "kept $DEMO_DIR" >&2; else rm -rf "$DEMO_DIR"; fi
  fi
}

demo_create() {
  [[ -x "$MOYAKKO_BIN" ]] || { echo "$(basename "$0"): no server binary at $MOYAKKO_BIN (build it first or set MOYAKKO_BIN)" >&2; exit 2; }
  DEMO_DIR="$(mktemp -d "${TMPDIR:-/tmp}/moyakko-${1:-demo}.XXXXXX")"
  trap demo_cleanup EXIT
  DEMO_DB="$DEMO_DIR/demo.db"
  DEMO_LOG="$DEMO_DIR/server.log"
  "$MOYAKKO_BIN" demo --db "$DEMO_DB" >"$DEMO_DIR/demo.log" 2>&1 || { cat "$DEMO_DIR/demo.log" >&2; demo_fail "moyakko demo failed"; }
  # The demo prints its logins: "  dr.kato   password demo-…  role doctor   TOTP secret 5LCF…".
  local user password secret
  while read -r user password secret; do
    DEMO_PASSWORD[$user]=$password
    DEMO_SECRET[$user]=$secret
  done < <(sed -nE 's/^ +([a-z0-9._-]+) +password +([^ ]+) +role +[a-z_]+ +TOTP secret +([A-Z2-7]+) *$/\1 \2 \3/p' "$DEMO_DIR/demo.log")
  [[ ${#DEMO_PASSWORD[@]} -gt 0 ]] || demo_fail "no demo logins in the output of moyakko demo"
}

demo_add_user() {
  local org_args=()
  [[ -n "${5:-}" ]] && org_args=(--org "$5")
  printf '%s' "$3" | "$MOYAKKO_BIN" user add --db "$DEMO_DB" --tenant seto --username "$1" --role "$2" \
    "${org_args[@]}" --totp-secret "$4" --password-stdin >/dev/null
  DEMO_PASSWORD[$1]=$3
  DEMO_SECRET[$1]=$4
}

demo_serve() {
  local port
  port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  DEMO_URL="http://127.0.0.1:$port"
  "$MOYAKKO_BIN" --log-level "${DEMO_LOG_LEVEL:-info}" serve --db "$DEMO_DB" --listen "127.0.0.1:$port" "$@" >"$DEMO_LOG" 2>&1 &
  DEMO_PID=$!
  DEMO_PIDS+=("$DEMO_PID")
  for _ in $(seq 150); do
    curl -fsS "$DEMO_URL/healthz" >/dev/null 2>&1 && return 0
    kill -0 "$DEMO_PID" 2>/dev/null || { cat "$DEMO_LOG" >&2; demo_fail "server exited during start-up"; }
    sleep 0.1
  done
  cat "$DEMO_LOG" >&2
  demo_fail "server did not answer /healthz within 15 s"
}
