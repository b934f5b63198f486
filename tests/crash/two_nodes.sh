#!/usr/bin/env bash
# Two `moyakko serve` nodes on one PostgreSQL, one of them killed with -9 while both work
# through due escalation timers and the notification outbox. Afterwards every alert has
# escalated exactly once (one "escalate" step, level 2), every notification has reached the
# webhook receiver at least once under its one dedup key, and nothing is left undelivered or
# due. Each round starts both nodes, queues the work while they run, kills one at a random
# moment and lets the other finish.
#
#   tests/crash/two_nodes.sh [rounds, default 3]
#
# Environment: MOYAKKO_BIN (default build/moyakko); MOYAKKO_TEST_PG_URL (required:
# scripts/throwaway-postgres.sh). The full run (50) and its last results: tests/crash/README.md.
#
# A delivery the killed node had claimed is retried once its 2-minute lease runs out; the
# test moves those leases back after the kill instead of waiting two minutes.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=${MOYAKKO_BIN:-build/moyakko}
rounds=${1:-3}
alerts=500
messages=200
if [[ -z "${MOYAKKO_TEST_PG_URL:-}" ]]; then
  echo "two_nodes.sh: needs PostgreSQL (MOYAKKO_TEST_PG_URL); skipped" >&2
  exit 0
fi
tmp=$(mktemp -d /tmp/moyakko-nodes.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do
    kill -9 "$pid" 2>/dev/null || true
    { wait "$pid"; } 2>/dev/null || true
  done
  rm -rf "$tmp"
}
trap cleanup EXIT

fail() { echo "two_nodes.sh: $*" >&2; tail -n 20 "$tmp"/node-*.log >&2 2>/dev/null || true; exit 1; }
sql() { PGOPTIONS="-c client_min_messages=warning" psql -qtAX -v ON_ERROR_STOP=1 "$1" -c "$2"; }

name=crash_nodes
sql "$MOYAKKO_TEST_PG_URL" "DROP DATABASE IF EXISTS $name" >/dev/null
sql "$MOYAKKO_TEST_PG_URL" "CREATE DATABASE $name" >/dev/null
db="${MOYAKKO_TEST_PG_URL%/*}/$name"
"$bin" migrate --db "$db" >/dev/null
# One resident living alone with a watch-over household: the alerts hang off it.
sql "$db" "INSERT INTO tenants (code, name, created_at) VALUES ('nodes', '瀬戸市', 0);
  INSERT INTO persons (tenant_id, family_name, given_name, search_key, created_at, updated_at)
    SELECT id, '瀬戸', '花子', 'せとはなこ', 0, 0 FROM tenants;
  INSERT INTO households (tenant_id, person_id, created_at) SELECT tenant_id, id, 0 FROM persons;" >/dev/null

# The webhook receiver, slow enough (20 ms a delivery) that a kill lands in a node's batch.
python3 tests/crash/webhook_sink.py "$tmp/received" "$tmp/sink-port" &
pids+=($!)
for _ in $(seq 50); do [[ -s "$tmp/sink-port" ]] && break; sleep 0.1; done
sink="http://127.0.0.1:$(cat "$tmp/sink-port")/hook"

# start NAME: a node on a free port; sets `node_pid` once it serves.
start() {
  "$bin" serve --db "$db" --listen 127.0.0.1:0 >"$tmp/node-$1.out" 2>"$tmp/node-$1.log" &
  node_pid=$!
  pids+=("$node_pid")
  for _ in $(seq 100); do grep -q "listening on" "$tmp/node-$1.out" && return 0; sleep 0.1; done
  fail "node $1 did not start"
}

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

duplicates=0
for round in $(seq "$rounds"); do
  start a; a=$node_pid
  start b; b=$node_pid
  key="crash:$round"
  now=$(now_ms)
  # Alerts claimed by the call centre, their "no progress" timer due: each must escalate once.
  # Webhook deliveries due at once: each must arrive at least once.
  sql "$db" "BEGIN;
    INSERT INTO alerts (tenant_id, household_id, person_id, kind, urgency, text, evidence, state, level, open_key,
                        opened_at, timer_at, updated_at)
      SELECT h.tenant_id, h.id, h.person_id, 'two_nodes', 2, 'two nodes', '{}', 'claimed', 1, '$key:' || g,
             $now, $now - 1, $now
      FROM generate_series(1, $alerts) g, (SELECT id, tenant_id, person_id FROM households ORDER BY id LIMIT 1) h;
    INSERT INTO outbox (tenant_id, channel, recipient, subject, body, dedup_key, secret, attempts, next_at, created_at)
      SELECT (SELECT id FROM tenants ORDER BY id LIMIT 1), 'webhook', '$sink', '', '{\"n\":' || g || '}',
             '$key:' || g, 'secret', 0, 0, $now
      FROM generate_series(1, $messages) g;
    COMMIT;" >/dev/null
  sleep "$(awk -v seed="$RANDOM" 'BEGIN { srand(seed); printf "%.3f", 0.05 + rand() * 1.5 }')"
  kill -9 "$a"
  { wait "$a"; } 2>/dev/null || true
  delivered_before=$(sql "$db" "SELECT COUNT(*) FROM outbox WHERE dedup_key LIKE '$key:%' AND delivered_at IS NOT NULL")
  escalated_before=$(sql "$db" "SELECT COUNT(*) FROM alerts WHERE open_key LIKE '$key:%' AND level = 2")
  # The killed node's leases, as if two minutes had passed.
  sql "$db" "UPDATE outbox SET next_at = 0 WHERE dedup_key LIKE '$key:%' AND delivered_at IS NULL" >/dev/null
  for _ in $(seq 300); do
    left=$(sql "$db" "SELECT (SELECT COUNT(*) FROM outbox WHERE dedup_key LIKE '$key:%' AND delivered_at IS NULL) +
                             (SELECT COUNT(*) FROM alerts WHERE open_key LIKE '$key:%' AND level = 1)")
    [[ "$left" == 0 ]] && break
    sleep 0.1
  done
  [[ "$left" == 0 ]] || fail "round $round: $left deliveries or escalations still waiting after 30 s"
  kill "$b"
  { wait "$b"; } 2>/dev/null || true

  wrong=$(sql "$db" "SELECT COUNT(*) FROM alerts a WHERE a.open_key LIKE '$key:%' AND (a.level <> 2 OR
                       (SELECT COUNT(*) FROM alert_steps s WHERE s.alert_id = a.id AND s.action = 'escalate') <> 1)")
  [[ "$wrong" == 0 ]] || fail "round $round: $wrong alerts did not escalate exactly once"
  missing=0
  for i in $(seq "$messages"); do grep -qx "$key:$i" "$tmp/received" || missing=$((missing + 1)); done
  [[ "$missing" == 0 ]] || fail "round $round: $missing notifications never reached the receiver"
  received=$(grep -c "^$key:" "$tmp/received")
  duplicates=$((duplicates + received - messages))
  echo "two_nodes.sh: round $round: node A killed with $escalated_before of $alerts alerts escalated and" \
    "$delivered_before of $messages notifications delivered;" \
    "$alerts alerts escalated once each, all $messages notifications arrived ($((received - messages)) twice)"
done
"$bin" audit verify --db "$db" >/dev/null || fail "the audit chain does not verify"
sql "$MOYAKKO_TEST_PG_URL" "DROP DATABASE IF EXISTS $name" >/dev/null
echo "two_nodes.sh: $rounds rounds: every alert escalated exactly once, every notification delivered" \
  "at least once ($duplicates repeats, each under its dedup key), nothing stuck"
