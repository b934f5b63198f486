#!/usr/bin/env bash
# Soak: mixed load on a throwaway demo server (scripts/throwaway-demo.sh) for SECONDS, with the
# server's memory and every answer checked.
#
#   tests/soak/soak.sh [SECONDS, default 60]      the full soak is tests/soak/soak.sh 1800
#
# Load, all at once for the whole run:
#   - live-update streams: SOAK_STREAMS (50) clients of GET /api/v1/events as a call operator
#     (tests/soak/streams.py), opened before the load starts and held to its end;
#   - ingest bursts: SOAK_DEVICES (20) sensors registered with `moyakko device add` for the
#     demo's watched households of Seto; every SOAK_BURST_SECONDS (5) all upload a batch of
#     SOAK_READINGS (45) readings at once, each on a connection of its own (tests/soak/ingest.py);
#   - API reads: wrk, SOAK_READERS (8) keep-alive connections as the same call operator, each
#     sending a request every SOAK_READ_DELAY_MS (80) ms (about 100 req/s), rotating through
#     the call centre's screens: /api/v1/me, the status list (by kana, by severity, alerts
#     only, a search), the alert worklist (open, all) and households' summaries
#     (tests/soak/reads.lua). Paced, not saturating: the point is stability.
# The server's RSS (/proc/PID/status VmRSS), open streams and answers by class (/metrics) are
# sampled every 5 s into a CSV.
#
# Fails when: the RSS at the end of the load is more than 10% above the RSS after the
# warm-up (the first sample at 20% of the run, and not before two bursts); any upload is
# not answered 200 with every reading accepted; wrk saw any answer other than 2xx or any
# socket error; a stream ended before the end; /metrics counted any 4xx or 5xx; the server
# died; /metrics does not answer at the end; `moyakko audit verify` finds the chain broken.
# Prints a summary either way.
#
# Environment: MOYAKKO_BIN, DEMO_KEEP=1 keeps the temp dir with the CSV, the server's log
# and the drivers' output (scripts/throwaway-demo.sh); the SOAK_ knobs above.
# Needs curl, python3, oathtool, sqlite3 and wrk (scripts/install-deps.sh --test).
set -Eeuo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
# shellcheck source=../../scripts/throwaway-demo.sh
source "$ROOT/scripts/throwaway-demo.sh"

duration="${1:-60}"
[[ "$duration" =~ ^[0-9]+$ && "$duration" -ge 20 ]] || demo_fail "usage: $(basename "$0") [seconds ≥ 20]"
streams="${SOAK_STREAMS:-50}"
devices="${SOAK_DEVICES:-20}"
readings="${SOAK_READINGS:-45}"
burst_every="${SOAK_BURST_SECONDS:-5}"
readers="${SOAK_READERS:-8}"
read_delay="${SOAK_READ_DELAY_MS:-80}"
sample_every=5
max_growth_percent=10
for tool in curl python3 oathtool sqlite3 wrk; do
  command -v "$tool" >/dev/null || demo_fail "needs $tool (scripts/install-deps.sh --test)"
done

# Every process started here, stopped by its PID (and only those) when the script ends.
started_pids=()
soak_stop() {
  local pid
  for pid in "${started_pids[@]}"; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  started_pids=()
}

demo_create soak
trap 'soak_stop; demo_cleanup' EXIT
trap 'echo "$(basename "$0"): stopped by a failing command at line $LINENO" >&2' ERR
out="$DEMO_DIR/soak"
mkdir -p "$out"

# A call operator of Seto, and the sensors, before the server opens the database.
operator=soak.operator
demo_add_user "$operator" call_operator "Soak-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')-password" \
  "$(python3 -c 'import base64, os; print(base64.b32encode(os.urandom(20)).decode())')"
mapfile -t households < <(sqlite3 "$DEMO_DB" \
  "SELECT h.id FROM households h JOIN tenants t ON t.id = h.tenant_id WHERE t.code = 'seto' ORDER BY h.id")
[[ ${#households[@]} -gt 0 ]] || demo_fail "no watched households of Seto in the demo town"
: >"$out/tokens"
for ((i = 0; i < devices; i++)); do
  "$MOYAKKO_BIN" device add --db "$DEMO_DB" --household "${households[i % ${#households[@]}]}" >>"$out/tokens" 2>/dev/null
done
[[ "$(grep -c '"token"' "$out/tokens")" == "$devices" ]] || demo_fail "moyakko device add did not register $devices devices"
mapfile -t summary_persons < <(sqlite3 "$DEMO_DB" \
  "SELECT h.person_id FROM households h JOIN tenants t ON t.id = h.tenant_id WHERE t.code = 'seto' ORDER BY h.id LIMIT 3")

# shellcheck disable=SC2119  # no extra serve flags
demo_serve

# Log in (password and TOTP, as the web UI does) and keep the session cookie.
login_body="$(python3 -c 'import json, sys; print(json.dumps({"username": sys.argv[1], "password": sys.argv[2], "otp": sys.argv[3]}))' \
  "$operator" "${DEMO_PASSWORD[$operator]}" "$(oathtool --totp -b "${DEMO_SECRET[$operator]}")")"
login_status="$(curl -sS -o "$out/login.json" -w '%{http_code}' -c "$out/cookies" -H 'Content-Type: application/json' \
  --data-binary "$login_body" "$DEMO_URL/api/v1/auth/login")"
[[ "$login_status" == 200 ]] || demo_fail "login of $operator answered $login_status: $(head -c 300 "$out/login.json")"
cookie="moyakko_session=$(awk '$6 == "moyakko_session" { print $7 }' "$out/cookies")"
[[ "$cookie" != "moyakko_session=" ]] || demo_fail "no session cookie after login"

# The call centre's screens; each must answer 200 before the load starts.
read_paths=(/api/v1/me /api/v1/watch/status "/api/v1/watch/status?sort=severity" "/api/v1/watch/status?state=alert"
  "/api/v1/watch/status?q=%E3%81%95" /api/v1/watch/alerts "/api/v1/watch/alerts?state=all&limit=50")
for person in "${summary_persons[@]}"; do read_paths+=("/api/v1/watch/persons/$person/summary"); done
for path in "${read_paths[@]}"; do
  status="$(curl -sS -o "$out/check.json" -w '%{http_code}' -H "Cookie: $cookie" "$DEMO_URL$path")"
  [[ "$status" == 200 ]] || demo_fail "GET $path as $operator answered $status: $(head -c 300 "$out/check.json")"
done

# metric NAME [LABELS]: its value from a /metrics text on stdin (0 when absent).
metric() {
  local name="$1"
  [[ -z "${2:-}" ]] || name+="{$2}"
  awk -v name="$name" '$1 == name { v = $2 } END { print v + 0 }'
}
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$DEMO_PID/status" 2>/dev/null || echo 0; }
# VmRSS and its parts (heap and other anonymous memory; file-backed; shared memory such as
# SQLite's WAL index) as "rss,anon,file,shmem".
rss_parts() {
  awk '/^(VmRSS|RssAnon|RssFile|RssShmem):/ { v[$1] = $2 } END { printf "%d,%d,%d,%d", v["VmRSS:"], v["RssAnon:"], v["RssFile:"], v["RssShmem:"] }' \
    "/proc/$DEMO_PID/status" 2>/dev/null || :
}

echo "soak: ${duration}s against $DEMO_URL — $streams streams, $devices sensors × $readings readings every ${burst_every}s, $readers readers every ${read_delay} ms"
python3 "$HERE/streams.py" "$DEMO_URL" "$cookie" "$streams" "$out/streams.status" --max-seconds $((duration + 600)) \
  >"$out/streams.json" 2>"$out/streams.err" &
streams_pid=$!
started_pids+=("$streams_pid")
for _ in $(seq 400); do [[ -s "$out/streams.status" ]] && break; sleep 0.1; done
[[ "$(cat "$out/streams.status" 2>/dev/null)" == "open $streams" ]] ||
  demo_fail "streams: $(cat "$out/streams.status" 2>/dev/null || echo 'no answer in 40 s') $(cat "$out/streams.err")"

rss_start="$(rss_kb)"
echo "seconds,rss_kb,rss_anon_kb,rss_file_kb,rss_shmem_kb,live_streams,open_connections,http_2xx,http_4xx,http_5xx" >"$out/rss.csv"
t0=$(date +%s)
python3 "$HERE/ingest.py" "$DEMO_URL" "$out/tokens" "$duration" --interval "$burst_every" --readings "$readings" \
  >"$out/ingest.json" 2>"$out/ingest.err" &
ingest_pid=$!
started_pids+=("$ingest_pid")
wrk -t"$readers" -c"$readers" -d"${duration}s" --timeout 10s -H "Cookie: $cookie" -s "$HERE/reads.lua" "$DEMO_URL" \
  -- "$read_delay" "${read_paths[@]}" >"$out/wrk.txt" 2>&1 &
wrk_pid=$!
started_pids+=("$wrk_pid")

# Samples until the load's time is up; the last one is taken as it ends.
server_died=""
while :; do
  elapsed=$(($(date +%s) - t0))
  if ! kill -0 "$DEMO_PID" 2>/dev/null; then server_died="after ${elapsed}s"; break; fi
  metrics="$(curl -s --max-time 5 "$DEMO_URL/metrics" || true)"
  echo "$elapsed,$(rss_parts),$(metric moyakko_live_streams <<<"$metrics"),$(metric moyakko_http_open_connections <<<"$metrics"),$(metric moyakko_http_requests_total 'class="2xx"' <<<"$metrics"),$(metric moyakko_http_requests_total 'class="4xx"' <<<"$metrics"),$(metric moyakko_http_requests_total 'class="5xx"' <<<"$metrics")" >>"$out/rss.csv"
  ((elapsed >= duration)) && break
  sleep $((sample_every - (($(date +%s) - t0) % sample_every)))
done

failures=()
fail() { failures+=("$*"); }
[[ -z "$server_died" ]] || fail "the server died $server_died (log: $(tail -n 5 "$DEMO_LOG" | tr '\n' ' '))"

# The drivers end by themselves at the end of the run (ingest finishes its last burst).
ingest_status=0
wait "$ingest_pid" || ingest_status=$?
wrk_status=0
wait "$wrk_pid" || wrk_status=$?
streams_at_end="$(curl -s --max-time 5 "$DEMO_URL/metrics" | metric moyakko_live_streams || true)"
kill -TERM "$streams_pid" 2>/dev/null || true
wait "$streams_pid" || true
started_pids=()

# Ingest.
ingest_json="$(cat "$out/ingest.json")"
ingest() { python3 -c 'import json, sys; v = json.loads(sys.argv[1]).get(sys.argv[2], 0); print("\n".join(v) if isinstance(v, list) else v)' "$ingest_json" "$1" 2>/dev/null || echo "?"; }
if [[ -z "$ingest_json" ]]; then
  fail "ingest driver gave no summary (exit $ingest_status): $(head -c 500 "$out/ingest.err")"
else
  [[ "$(ingest errors)" == 0 && "$ingest_status" == 0 ]] || fail "ingest: $(ingest errors) uploads failed; first: $(ingest first_errors | sed -n 1,3p | tr '\n' ' ')"
fi

# wrk.
wrk_responses="$(awk '$1 == "soak-reads" && $2 == "responses" { print $3 }' "$out/wrk.txt")"
wrk_non2xx="$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$out/wrk.txt")"
wrk_lua_errors="$(awk '$1 == "soak-reads" && $2 == "error" { n += $NF } END { print n + 0 }' "$out/wrk.txt")"
wrk_socket="$(sed -n 's/^ *Socket errors: *//p' "$out/wrk.txt")"
wrk_rate="$(awk '/^Requests\/sec:/ { print $2 }' "$out/wrk.txt")"
[[ "$wrk_status" == 0 && -n "$wrk_responses" ]] || fail "wrk exited $wrk_status: $(head -c 500 "$out/wrk.txt")"
[[ "${wrk_non2xx:-0}" == 0 && "$wrk_lua_errors" == 0 ]] ||
  fail "API reads: ${wrk_non2xx:-0} non-2xx answers ($(awk '$1 == "soak-reads" && $2 == "error" { printf "%s %s ×%s; ", $3, $4, $5 }' "$out/wrk.txt"))"
[[ -z "$wrk_socket" ]] || fail "API reads: socket errors: $wrk_socket"

# Streams.
streams_json="$(cat "$out/streams.json")"
stream() {
  python3 -c 'import json, sys
v = json.loads(sys.argv[1])[sys.argv[2]]
print(", ".join(f"{k} {n}" for k, n in v.items()) if isinstance(v, dict) else v)' "$streams_json" "$1" 2>/dev/null || echo "?"
}
if [[ -z "$streams_json" ]]; then
  fail "streams client gave no summary: $(head -c 500 "$out/streams.err")"
else
  [[ "$(stream open_at_stop)" == "$streams" ]] || fail "streams: only $(stream open_at_stop) of $streams open at the end; ended early: $(stream ended_early)"
fi
[[ "${streams_at_end:-0}" == "$streams" ]] || fail "/metrics counted ${streams_at_end:-?} open streams at the end of the load, not $streams"

# Memory. Warm-up: the first sample at 20% of the run and after two bursts.
warm_at=$(((duration + 4) / 5))
((warm_at >= 2 * burst_every + 1)) || warm_at=$((2 * burst_every + 1))
read -r rss_warm_t rss_warm rss_end_t rss_end rss_max anon_warm anon_end file_warm file_end < <(awk -F, -v w="$warm_at" 'NR > 1 {
    if (!wt && $1 >= w) { wt = $1; wv = $2; wa = $3; wf = $4 + $5 }
    et = $1; ev = $2; ea = $3; ef = $4 + $5; if ($2 > mx) mx = $2
  } END { print wt + 0, wv + 0, et + 0, ev + 0, mx + 0, wa + 0, ea + 0, wf + 0, ef + 0 }' "$out/rss.csv")
growth="$(awk -v a="$rss_warm" -v b="$rss_end" 'BEGIN { if (a > 0) printf "%.1f", (b - a) * 100 / a; else print "?" }')"
if [[ "$growth" == "?" ]]; then
  fail "memory: no RSS sample after the warm-up (${warm_at}s)"
elif awk -v g="$growth" -v m="$max_growth_percent" 'BEGIN { exit !(g > m) }'; then
  fail "memory: RSS grew ${growth}% from ${rss_warm} kB at ${rss_warm_t}s to ${rss_end} kB at ${rss_end_t}s (more than ${max_growth_percent}%)"
fi

# What the server itself counted, /metrics answering, the audit chain.
if kill -0 "$DEMO_PID" 2>/dev/null && metrics="$(curl -fsS --max-time 10 "$DEMO_URL/metrics")" &&
  grep -q '^moyakko_http_requests_total' <<<"$metrics"; then
  http_2xx="$(metric moyakko_http_requests_total 'class="2xx"' <<<"$metrics")"
  http_4xx="$(metric moyakko_http_requests_total 'class="4xx"' <<<"$metrics")"
  http_5xx="$(metric moyakko_http_requests_total 'class="5xx"' <<<"$metrics")"
  [[ "$http_4xx" == 0 && "$http_5xx" == 0 ]] || fail "/metrics counted $http_4xx 4xx and $http_5xx 5xx answers"
else
  http_2xx="?" http_4xx="?" http_5xx="?"
  fail "/metrics did not answer at the end"
fi
audit_status=0
"$MOYAKKO_BIN" audit verify --db "$DEMO_DB" >"$out/audit.txt" 2>&1 || audit_status=$?
audit_out="$(grep -v ' info ' "$out/audit.txt" | tr '\n' ' ' | sed 's/ *$//')"
[[ "$audit_status" == 0 ]] || fail "audit verify exited $audit_status: $audit_out"
log_warnings="$(awk '$2 == "warn" || $2 == "warning" || $2 == "error" || $2 == "critical"' "$DEMO_LOG" | wc -l)"

mb() { awk -v k="$1" 'BEGIN { printf "%.1f MiB", k / 1024 }'; }
cat <<EOF
soak summary ($(date -u +%Y-%m-%dT%H:%MZ), ${duration}s, $(nproc) cores)
  ingest      $(ingest bursts) bursts, $(ingest uploads) uploads from $(ingest devices) sensors, $(ingest readings_accepted) readings accepted, $(ingest errors) errors
              burst took mean $(ingest burst_seconds_mean) s, max $(ingest burst_seconds_max) s; upload p50 $(ingest upload_ms_p50) ms, p99 $(ingest upload_ms_p99) ms, max $(ingest upload_ms_max) ms; late bursts $(ingest overruns)
  API reads   ${wrk_responses:-?} answers (${wrk_rate:-?} req/s) over ${#read_paths[@]} paths, ${wrk_non2xx:-0} non-2xx, socket errors: ${wrk_socket:-none}
  streams     $(stream open_at_stop) of $streams open at the end (/metrics: ${streams_at_end:-?}), events: $(stream events); fewest on one stream $(stream min_events_per_stream)
  server      /metrics 2xx $http_2xx, 4xx $http_4xx, 5xx $http_5xx; audit: ${audit_out:-?}; warnings/errors in its log: $log_warnings
  RSS         start $(mb "$rss_start"), warm $(mb "$rss_warm") (${rss_warm_t}s), end $(mb "$rss_end") (${rss_end_t}s), max $(mb "$rss_max"); growth ${growth}% (limit ${max_growth_percent}%)
              of which anonymous $(mb "$anon_warm") → $(mb "$anon_end"), file-backed and shared $(mb "$file_warm") → $(mb "$file_end")
EOF
if [[ "${DEMO_KEEP:-}" == 1 ]]; then echo "  samples     $out/rss.csv"; fi
if ((${#failures[@]})); then
  printf 'soak FAILED:\n' >&2
  printf '  - %s\n' "${failures[@]}" >&2
  exit 1
fi
echo "soak passed"
