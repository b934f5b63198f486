#!/usr/bin/env bash
# Sensor ingest over MQTT (api.md 5.11), beside its reference, measured in the same run.
# A mosquitto broker of its own on loopback, `moyakko serve --mqtt-url` on the demo town with
# 1,000 devices (`ingest_bench setup`, as for HTTP), and one gateway per device: a
# `mosquitto_pub -l` (MQTT 5, QoS 1, the token as the user property `authorization`) fed
# batches of 100 readings shaped as those of `ingest_bench http`. Each gateway keeps 16
# batches unanswered (so the round trip through the broker does not set the pace) and
# publishes the next when moyakko's answer comes on its ack topic, for <seconds>; the time
# runs from the first publish to the last answer (moyakko answers after COMMIT). Every answer
# must be {"accepted":100,"duplicates":0}, /metrics must count no refused or failed batch,
# and the database must hold every reading sent, or it fails.
# The reference: the same gateways publish the same batches, as many on their way, with no
# moyakko, to a mosquitto_sub that counts them (the bare broker, pub → broker → one subscriber).
# Prints one line per figure:
#   mqtt <readings/s> <batches/s> | mqtt_broker <readings/s> <batches/s>
#   mqtt_cpu <moyakko % of a core> <mosquitto % of a core>   (during the moyakko run)
#   tests/bench/mqtt_bench.sh [seconds of publishing, default 10] [gateways, default 16]
# Binaries: MOYAKKO_BIN (default build/moyakko), INGEST_BENCH (default
# build/tests/bench/ingest_bench). Needs mosquitto, mosquitto-clients, sqlite3, curl. Loopback only.
set -euo pipefail
cd "$(dirname "$0")/../.."
duration=${1:-10}
gateways=${2:-16}
moyakko=${MOYAKKO_BIN:-build/moyakko}
ingest_bench=${INGEST_BENCH:-build/tests/bench/ingest_bench}
tmp=$(mktemp -d /tmp/moyakko-mqtt-bench.XXXXXX)
pids=()
stop_all() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; pids=(); }
cleanup() { stop_all; rm -rf "$tmp"; }
trap cleanup EXIT
log() { echo "mqtt_bench: $*" >&2; }
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }

# The gateways, in Python around mosquitto_pub and mosquitto_sub:
#   publish moyakko <port> <tokens> <gateways> <seconds> [pid…]   answered by moyakko
#   publish broker <port> <tokens> <gateways> <seconds>            counted by a subscriber
# Prints "<batches> <readings> <seconds>", then for each pid "cpu <its CPU seconds meanwhile>".
publish() {
  python3 - "$@" <<'PY'
import functools, json, os, select, signal, subprocess, sys, threading, time

BATCH, WINDOW, QUIET = 100, 16, 30  # readings a batch; unanswered batches a gateway; seconds
mode, port, tokens, count, *rest = sys.argv[1:]
devices = [line.split() for line in open(tokens)][: int(count)]
client = ["-V", "mqttv5", "-q", "1", "-h", "127.0.0.1", "-p", port]
signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))

def fail(message):
    print(f"mqtt_bench: {message}", file=sys.stderr)
    sys.exit(1)

# What a sensor saw, a reading a second from 90 days ago on: the door opened and closed, the
# room. Each batch of a gateway follows the one before in time, as a real gateway's do (the
# same 100 times in every batch would pile a household's readings onto 100 places of the
# (household, at) index; `ingest_bench http` moves time on too).
first = int(time.time()) - 90 * 86400
readings = []
for i in range(BATCH):
    kind, value = ("temperature", "20.5") if i % 3 == 2 else ("door", '"open"' if i % 3 == 0 else '"close"')
    readings.append('{"seq":%d,"at":"%s","kind":"' + kind + '","value":' + value + "}")

@functools.lru_cache(maxsize=256)
def times(n):  # of the readings of every gateway's n-th batch
    return [time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(first + n * BATCH + i)) for i in range(BATCH)]

def batch(device, n):  # the device's n-th batch, one line
    at = times(n)
    return ('{"device":"%s","readings":[%s]}\n' % (device, ",".join(r % (n * BATCH + i, at[i]) for i, r in enumerate(readings)))).encode()

def empty(device):
    return ('{"device":"%s","readings":[]}\n' % device).encode()

class Subscriber:  # mosquitto_sub, its lines as they come
    def __init__(self, topic, form):
        self.process = subprocess.Popen(["mosquitto_sub", *client, "-t", topic, "-F", form], stdout=subprocess.PIPE)
        self.rest = b""
    def lines(self, timeout):
        if not select.select([self.process.stdout], [], [], timeout)[0]:
            return []
        chunk = os.read(self.process.stdout.fileno(), 1 << 16)
        if not chunk:
            fail("mosquitto_sub ended")
        *lines, self.rest = (self.rest + chunk).split(b"\n")
        return lines

def cpu(pid):  # user + system seconds
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

publishers, subscriber = [], None
try:
    for device, token in devices:
        publishers.append(subprocess.Popen(
            ["mosquitto_pub", *client, "--nodelay", "-t", f"moyakko/seto/{device}/readings",
             "-D", "publish", "user-property", "authorization", f"Bearer {token}", "-l"], stdin=subprocess.PIPE))
    def send(g, line):
        publishers[g].stdin.write(line)
        publishers[g].stdin.flush()
    if mode == "moyakko":
        subscriber = Subscriber("moyakko/seto/+/ack", "%t %p")
        probe_answer = lambda line: line.split(b" ", 1)[1] == b'{"accepted":0,"duplicates":0}'
    else:
        subscriber = Subscriber("moyakko/seto/+/readings", "%l")
        probe_answer = lambda line: int(line) < 200
    # Until moyakko and the subscriber have subscribed, the broker drops what is published: an
    # empty batch, sent until it comes through, finds the moment and stores nothing.
    deadline = time.monotonic() + QUIET
    while not any(probe_answer(line) for line in subscriber.lines(0.2)):
        if time.monotonic() > deadline:
            fail("nothing comes through the broker")
        send(0, empty(devices[0][0]))
    settle = time.monotonic() + 0.5
    while time.monotonic() < settle:
        subscriber.lines(0.1)
    watched = [int(p) for p in rest[1:]]
    cpu_before = [cpu(p) for p in watched]
    done = 0
    start = last = time.monotonic()
    stop = start + float(rest[0])
    if mode == "moyakko":
        gateway = {device: g for g, (device, _) in enumerate(devices)}
        sent = [WINDOW] * len(devices)
        for g, (device, _) in enumerate(devices):
            for n in range(WINDOW):
                send(g, batch(device, n))
        while done < sum(sent):
            lines = subscriber.lines(QUIET)
            if not lines and time.monotonic() - last > QUIET:
                fail(f"no answer for {QUIET} s, {sum(sent) - done} batches unanswered")
            for line in lines:
                topic, answer = line.decode().split(" ", 1)
                if probe_answer(line):
                    continue  # a late answer to an empty batch
                if json.loads(answer) != {"accepted": BATCH, "duplicates": 0}:
                    fail(f"answer on {topic}: {answer}")
                done += 1
                last = time.monotonic()
                g = gateway[topic.split("/")[2]]
                if last < stop:
                    send(g, batch(devices[g][0], sent[g]))
                    sent[g] += 1
    else:
        # As many batches on their way as above. The broker does not look inside: each gateway
        # sends the same 10 batches over and over.
        lines = [[batch(device, n) for n in range(10)] for device, _ in devices]
        written = [0] * len(devices)
        on_their_way = threading.Semaphore(WINDOW * len(devices))
        def publish(g):
            while time.monotonic() < stop:
                on_their_way.acquire()
                send(g, lines[g][written[g] % 10])
                written[g] += 1
        writers = [threading.Thread(target=publish, args=(g,)) for g in range(len(devices))]
        for writer in writers:
            writer.start()
        while any(writer.is_alive() for writer in writers) or done < sum(written):
            received = [line for line in subscriber.lines(1) if not probe_answer(line)]
            if not received and time.monotonic() - last > QUIET:
                fail(f"the subscriber got {done} of {sum(written)} batches")
            for _ in received:
                on_their_way.release()
            if received:
                done += len(received)
                last = time.monotonic()
    print(done, done * BATCH, f"{last - start:.3f}")
    for p, before in zip(watched, cpu_before):
        print("cpu", f"{cpu(p) - before:.2f}")
finally:
    for p in publishers:
        p.stdin.close()
    for p in publishers:
        try:
            p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            p.kill()
    if subscriber:
        subscriber.process.terminate()
        subscriber.process.wait()
PY
}
# figures <name> <output of publish>: "<name> <readings/s> <batches/s>"
figures() { echo "$2" | awk -v name="$1" 'NR == 1 {printf "%s %d %d\n", name, $2 / $3, $1 / $3}'; }

bport=$(free_port)
printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\nlog_dest stderr\nlog_type error\n%s\n' \
  "$bport" 'max_queued_messages 0' >"$tmp/mosquitto.conf"  # the reference's subscriber may fall behind
/usr/sbin/mosquitto -c "$tmp/mosquitto.conf" 2>"$tmp/mosquitto.log" &
broker=$!; pids+=($broker)
for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$bport") 2>/dev/null && break; sleep 0.1; done
(exec 3<>"/dev/tcp/127.0.0.1/$bport") 2>/dev/null || { log "mosquitto did not start"; cat "$tmp/mosquitto.log" >&2; exit 1; }

log "moyakko: ${gateways} gateways, batches of 100, ${duration}s"
db="$tmp/ingest.db"
"$moyakko" demo --db "$db" >/dev/null
"$ingest_bench" setup "$db" 1000 "$tmp/tokens"
port=$(free_port)
"$moyakko" serve --db "$db" --listen "127.0.0.1:$port" --mqtt-url "mqtt://127.0.0.1:$bport" --log-level warn \
  >/dev/null 2>"$tmp/server.log" &
server=$!; pids+=($server)
run=$(publish moyakko "$bport" "$tmp/tokens" "$gateways" "$duration" "$server" "$broker") ||
  { cat "$tmp/server.log" "$tmp/mosquitto.log" >&2; exit 1; }
read -r batches sent _ <<<"$run"
metrics=$(curl -fs "http://127.0.0.1:$port/metrics" | grep '^moyakko_mqtt_batches_total')
outcome() { echo "$metrics" | awk -v o="outcome=\"$1\"" 'index($0, o) {print $2}'; }
devices=$(head -n "$gateways" "$tmp/tokens" | awk '{printf "%s\x27%s\x27", (NR > 1 ? "," : ""), $1}')
stored=$(sqlite3 "$db" "SELECT COUNT(*) FROM readings WHERE device_id IN ($devices)")
if [[ $(outcome refused) != 0 || $(outcome failed) != 0 || $(outcome accepted) -lt $batches || $stored != "$sent" ]]; then
  log "not every batch was stored: $sent readings sent in $batches batches, $stored stored;" $metrics
  exit 1
fi
figures mqtt "$run"
echo "$run" | awk '$1 == "cpu" {cpu[++n] = $2} NR == 1 {s = $3} END {printf "mqtt_cpu %d %d\n", 100 * cpu[1] / s, 100 * cpu[2] / s}'
kill "$server"; wait "$server" 2>/dev/null || true  # it must not take the reference's batches
pids=("$broker")

log "reference: the bare broker, the same gateways to one subscriber, ${duration}s"
figures mqtt_broker "$(publish broker "$bport" "$tmp/tokens" "$gateways" "$duration")"
