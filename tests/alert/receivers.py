#!/usr/bin/python3
"""Local receivers for the early-warning tests, all on 127.0.0.1:

  - a webhook receiver (POST /hook) and an SMS gateway's outbound endpoint
    (POST /send) on one HTTP port;
  - an SMTP sink (aiosmtpd, from Debian) on another port.

Every message received is appended as one JSON line to --log:
  {"kind": "webhook"|"sms"|"email", "path": ..., "headers": {...}, "body": "..."}
Prints "http PORT smtp PORT" on stdout once listening. With --fail-first N
the HTTP endpoints answer 503 to the first N requests (a receiver that is
down), then 200. Stops by itself after --lifetime seconds.
"""
import argparse
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller

lock = threading.Lock()


def record(log, entry):
    with lock, open(log, "a", encoding="utf-8") as f:
        f.write(json.dumps(entry) + "\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--log", required=True)
    ap.add_argument("--fail-first", type=int, default=0)
    ap.add_argument("--lifetime", type=float, default=600)
    ap.add_argument("--port", type=int, default=0, help="HTTP port (0: any free one)")
    ap.add_argument("--down-for", type=float, default=0,
                    help="seconds before the HTTP port starts listening (a receiver that is down)")
    args = ap.parse_args()
    state = {"failures_left": args.fail_first}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            n = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(n).decode("utf-8", "replace")
            with lock:
                fail = state["failures_left"] > 0
                if fail:
                    state["failures_left"] -= 1
            if fail:
                self.send_response(503)
                self.end_headers()
                return
            kind = "sms" if self.path.startswith("/send") else "webhook"
            record(args.log, {"kind": kind, "path": self.path, "headers": dict(self.headers), "body": body})
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b'{"ok":true}')

        def log_message(self, *a):
            pass

    if args.down_for > 0:
        time.sleep(args.down_for)
    http = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    threading.Thread(target=http.serve_forever, daemon=True).start()

    class Sink:
        async def handle_DATA(self, server, session, envelope):
            record(args.log, {"kind": "email", "path": "", "headers": {"from": envelope.mail_from,
                              "to": ",".join(envelope.rcpt_tos)},
                              "body": envelope.content.decode("utf-8", "replace")})
            return "250 OK"

    # aiosmtpd cannot start on port 0: take a free port from the kernel first.
    import socket
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    smtp = Controller(Sink(), hostname="127.0.0.1", port=port)
    smtp.start()
    print(f"http {http.server_address[1]} smtp {port}", flush=True)
    deadline = time.time() + args.lifetime
    try:
        while time.time() < deadline:
            if sys.stdin.readable() and sys.stdin.closed:
                break
            time.sleep(0.2)
    finally:
        smtp.stop()
        http.shutdown()


if __name__ == "__main__":
    main()
