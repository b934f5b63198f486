#!/usr/bin/env python3
"""Live-update streams for the soak test: N clients of GET /api/v1/events with one session.

    streams.py URL COOKIE COUNT STATUS_FILE

Writes "open COUNT" to STATUS_FILE once every stream answered 200 and its first event (the
opening ping) arrived, or "failed: …" when one did not. Then holds the streams until SIGTERM
and prints a JSON summary to stdout: per stream whether it is still open, the events it got
by name, and how and when a stream that ended early ended. A stream that is silent for 60 s
(the server pings every 15 s) counts as ended. Stops by itself after --max-seconds (a safety
net should the script that started it be killed). Python standard library only.
"""
import argparse
import http.client
import json
import signal
import sys
import threading
import time
import urllib.parse

STALL_SECONDS = 60


class Stream:
    def __init__(self, index):
        self.index = index
        self.status = None
        self.events = {}
        self.bytes = 0
        self.opened = threading.Event()
        self.ended_at = None  # seconds since start, when the stream ended before the stop
        self.end_reason = None


def run_stream(stream, host, port, cookie, started, stopping, lock):
    conn = http.client.HTTPConnection(host, port, timeout=STALL_SECONDS)
    try:
        conn.request("GET", "/api/v1/events", headers={"Cookie": cookie, "Accept": "text/event-stream"})
        response = conn.getresponse()
        stream.status = response.status
        if response.status != 200:
            raise RuntimeError(f"answered {response.status}: {response.read(300)!r}")
        name = None
        while True:
            line = response.readline()
            if not line:
                raise RuntimeError("closed by the server")
            with lock:
                stream.bytes += len(line)
            line = line.rstrip(b"\r\n")
            if line.startswith(b"event:"):
                name = line[6:].strip().decode()
            elif line == b"" and name is not None:
                with lock:
                    stream.events[name] = stream.events.get(name, 0) + 1
                name = None
                stream.opened.set()
    except Exception as e:  # noqa: BLE001 — every way of ending is reported
        if not stopping.is_set():
            with lock:
                stream.ended_at = round(time.monotonic() - started, 1)
                stream.end_reason = f"{type(e).__name__}: {e}"
        stream.opened.set()
    finally:
        conn.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("cookie")
    parser.add_argument("count", type=int)
    parser.add_argument("status_file")
    parser.add_argument("--max-seconds", type=float, default=4 * 3600)
    args = parser.parse_args()
    target = urllib.parse.urlsplit(args.url)

    started = time.monotonic()
    stopping = threading.Event()
    lock = threading.Lock()
    streams = [Stream(i) for i in range(args.count)]
    for s in streams:
        threading.Thread(target=run_stream, args=(s, target.hostname, target.port, args.cookie, started, stopping, lock),
                         daemon=True).start()

    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    signal.signal(signal.SIGINT, lambda *_: stopping.set())

    deadline = time.monotonic() + 30
    for s in streams:
        s.opened.wait(max(0.0, deadline - time.monotonic()))
    not_open = [s for s in streams if s.ended_at is not None or not s.events]
    with open(args.status_file, "w") as f:
        if not_open:
            s = not_open[0]
            f.write(f"failed: {len(not_open)} of {args.count} streams did not open "
                    f"(stream {s.index}: {s.end_reason or 'no event within 30 s'})\n")
        else:
            f.write(f"open {args.count}\n")

    stopping.wait(args.max_seconds)
    stopping.set()
    with lock:
        summary = {
            "streams": args.count,
            "open_at_stop": sum(1 for s in streams if s.ended_at is None and s.events),
            "seconds": round(time.monotonic() - started, 1),
            "events": {},
            "bytes": sum(s.bytes for s in streams),
            "ended_early": [{"stream": s.index, "status": s.status, "after_s": s.ended_at, "reason": s.end_reason}
                            for s in streams if s.ended_at is not None],
            "min_events_per_stream": min((sum(s.events.values()) for s in streams), default=0),
        }
        for s in streams:
            for name, n in s.events.items():
                summary["events"][name] = summary["events"].get(name, 0) + n
    json.dump(summary, sys.stdout)
    sys.stdout.write("\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
