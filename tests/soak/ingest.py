#!/usr/bin/env python3
"""Sensor upload bursts for the soak test: every INTERVAL seconds all devices upload at once.

    ingest.py URL TOKENS_FILE SECONDS [--interval 5] [--readings 45]

TOKENS_FILE has one `moyakko device add` answer ({"device","token"}) per line. Each burst,
every device sends one batch to POST /api/v1/ingest on a connection of its own (a gateway
connects, uploads and disconnects), all concurrently as at 08:00: READINGS readings with
per-device seq strictly increasing across the run, stamped over the interval just past
(Asia/Tokyo offset): door openings and closings, the room's temperature and humidity, and
the battery once a batch. Every answer must be 200 with {"accepted": READINGS,
"duplicates": 0}; anything else (another status, another count, a failed connection) is
an error. Prints a JSON summary to stdout; exit status 1 when there were errors.
Python standard library only.
"""
import argparse
import concurrent.futures
import datetime
import http.client
import json
import math
import random
import sys
import time
import urllib.parse

JST = datetime.timezone(datetime.timedelta(hours=9))


class Device:
    def __init__(self, device_id, token, rng):
        self.id = device_id
        self.token = token
        self.rng = rng
        self.next_seq = 1
        self.door_open = False
        self.base_temperature = rng.uniform(16.0, 22.0)
        self.base_humidity = rng.uniform(40.0, 60.0)
        self.battery = rng.uniform(70.0, 100.0)

    def batch(self, readings, interval):
        now = time.time()
        items = []
        for i in range(readings):
            at = now - interval + (i + 1) * interval / readings
            stamp = datetime.datetime.fromtimestamp(at, JST).isoformat(timespec="milliseconds")
            if i == readings - 1:
                self.battery = max(20.0, self.battery - 0.01)
                kind, value = "battery", round(self.battery, 1)
            elif i % 5 == 4:
                # The room: a slow daily swing plus sensor noise.
                swing = math.sin(at / 86400 * 2 * math.pi)
                if (i // 5) % 2 == 0:
                    kind, value = "temperature", round(self.base_temperature + 3 * swing + self.rng.uniform(-0.3, 0.3), 1)
                else:
                    kind, value = "humidity", round(min(100.0, max(0.0, self.base_humidity - 5 * swing + self.rng.uniform(-1, 1))), 1)
            else:
                self.door_open = not self.door_open
                kind, value = "door", "open" if self.door_open else "close"
            items.append({"seq": self.next_seq, "at": stamp, "kind": kind, "value": value})
            self.next_seq += 1
        return json.dumps({"device": self.id, "readings": items}, separators=(",", ":"))


def upload(host, port, device, body, expected):
    """One upload on a fresh connection: (seconds, None) or (seconds, error text)."""
    started = time.monotonic()
    conn = http.client.HTTPConnection(host, port, timeout=30)
    try:
        conn.request("POST", "/api/v1/ingest", body=body,
                     headers={"Authorization": f"Bearer {device.token}", "Content-Type": "application/json"})
        response = conn.getresponse()
        text = response.read()
        elapsed = time.monotonic() - started
        if response.status != 200:
            return elapsed, f"{device.id}: {response.status} {text[:300]!r}"
        answer = json.loads(text)
        if answer != {"accepted": expected, "duplicates": 0}:
            return elapsed, f"{device.id}: 200 but {answer}"
        return elapsed, None
    except Exception as e:  # noqa: BLE001 — a refused or broken connection is an error too
        return time.monotonic() - started, f"{device.id}: {type(e).__name__}: {e}"
    finally:
        conn.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("tokens")
    parser.add_argument("seconds", type=float)
    parser.add_argument("--interval", type=float, default=5.0)
    parser.add_argument("--readings", type=int, default=45)
    args = parser.parse_args()
    target = urllib.parse.urlsplit(args.url)
    rng = random.Random(20261126)
    devices = []
    with open(args.tokens) as f:
        for line in f:
            if line.strip():
                d = json.loads(line)
                devices.append(Device(d["device"], d["token"], rng))
    if not devices:
        sys.exit("ingest.py: no devices")

    started = time.monotonic()
    end = started + args.seconds
    bursts = uploads = readings = 0
    errors = []
    burst_seconds = []
    latencies = []
    overruns = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=len(devices)) as pool:
        tick = started
        while tick < end:
            bodies = [(d, d.batch(args.readings, args.interval)) for d in devices]
            burst_start = time.monotonic()
            futures = [pool.submit(upload, target.hostname, target.port, d, body, args.readings) for d, body in bodies]
            for fut in futures:
                elapsed, error = fut.result()
                latencies.append(elapsed)
                uploads += 1
                if error:
                    errors.append(f"burst {bursts + 1} at {burst_start - started:.1f}s: {error}")
                else:
                    readings += args.readings
            burst_seconds.append(time.monotonic() - burst_start)
            bursts += 1
            tick += args.interval
            now = time.monotonic()
            if now > tick:
                overruns += 1
                tick = now
            elif tick < end:
                time.sleep(tick - now)

    latencies.sort()

    def pct(p):
        return round(latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000, 1) if latencies else 0

    summary = {
        "devices": len(devices),
        "bursts": bursts,
        "uploads": uploads,
        "readings_accepted": readings,
        "errors": len(errors),
        "first_errors": errors[:10],
        "burst_seconds_max": round(max(burst_seconds, default=0), 3),
        "burst_seconds_mean": round(sum(burst_seconds) / len(burst_seconds), 3) if burst_seconds else 0,
        "upload_ms_p50": pct(0.50),
        "upload_ms_p99": pct(0.99),
        "upload_ms_max": round(latencies[-1] * 1000, 1) if latencies else 0,
        "overruns": overruns,
    }
    json.dump(summary, sys.stdout)
    sys.stdout.write("\n")
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
