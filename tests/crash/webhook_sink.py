#!/usr/bin/env python3
"""A webhook receiver for crash tests: appends each delivery's X-Moyakko-Dedup-Key to a file,
one per line, answering 204 after 20 ms (slow enough that a kill lands mid-batch).

    webhook_sink.py LOG PORT_FILE    (listens on a free loopback port, written to PORT_FILE)
"""
import http.server
import sys
import time

log = open(sys.argv[1], "a", buffering=1)


class Sink(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        time.sleep(0.02)
        log.write(self.headers.get("X-Moyakko-Dedup-Key", "") + "\n")
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Sink)
with open(sys.argv[2], "w") as port_file:
    port_file.write(str(server.server_address[1]))
server.serve_forever()
