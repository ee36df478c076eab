#!/usr/bin/python3
"""Slowloris against `vigil serve` (docs/BENCHMARKS.md, "Slow clients").

One attacker address (127.0.0.1) keeps CONNS connections open to the
server: half trickle header lines (one every 5 s, never ending the
headers), half announce a body to the unauthenticated session endpoint and
send one byte of it every 10 s. Whatever the server closes (deadline,
per-address cap) is reopened 0.2 s later, for the whole attack. Meanwhile
another client, from 127.0.0.2, asks for `/healthz` and for an
authenticated `GET /api/v1/events` at a fixed rate (open loop: latency is
counted from when each request was due) and records the latencies.

The same measuring client runs first without the attack, in the same run,
as the reference. Bounded: BASELINE + ATTACK seconds, then everything
stops; the server listens on 127.0.0.1 only.

Usage: bench/slowloris.py VIGIL_BINARY DATA_DIR [--conns 500] [--attack 60] [--baseline 20] [--rate 20]
"""
import argparse
import errno
import http.client
import os
import selectors
import socket
import subprocess
import tempfile
import threading
import time

from benchlib import start_server

ATTACKER, MEASURER = "127.0.0.1", "127.0.0.2"


class SourceConnection(http.client.HTTPConnection):
    """An HTTP connection from a chosen loopback address."""

    def connect(self):
        self.sock = socket.create_connection((self.host, self.port), self.timeout, source_address=(MEASURER, 0))


class Attacker(threading.Thread):
    """CONNS slow connections from one address, reopened when closed."""

    def __init__(self, port, conns, stop):
        super().__init__(daemon=True)
        self.port, self.conns, self.stop = port, conns, stop
        self.sel = selectors.DefaultSelector()
        self.opened = self.closed_by_server = self.refused = 0
        self.open_now = 0
        self.max_open = 0

    def open_one(self, i):
        s = socket.socket()
        s.setblocking(False)
        s.bind((ATTACKER, 0))
        try:
            s.connect(("127.0.0.1", self.port))
        except BlockingIOError:
            pass
        except OSError:
            s.close()
            self.refused += 1
            return None
        head = b"GET /api/v1/events HTTP/1.1\r\nHost: x\r\n" if i % 2 == 0 else (
            b"POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: 100000\r\n\r\n{")
        state = {"i": i, "sock": s, "head": head, "sent_head": False, "next": time.monotonic()}
        self.sel.register(s, selectors.EVENT_READ | selectors.EVENT_WRITE, state)
        self.opened += 1
        self.open_now += 1
        self.max_open = max(self.max_open, self.open_now)
        return state

    def drop(self, state, by_server):
        try:
            self.sel.unregister(state["sock"])
        except (KeyError, ValueError):
            pass
        state["sock"].close()
        self.open_now -= 1
        if by_server:
            self.closed_by_server += 1
        self.reopen.append((time.monotonic() + 0.2, state["i"]))

    def run(self):
        self.reopen = []
        for i in range(self.conns):
            self.open_one(i)
        while not self.stop.is_set():
            now = time.monotonic()
            for due, i in [r for r in self.reopen if r[0] <= now]:
                self.reopen.remove((due, i))
                if self.open_one(i) is None:
                    self.reopen.append((now + 0.2, i))
            for key, ev in self.sel.select(timeout=0.1):
                st = key.data
                if ev & selectors.EVENT_READ:
                    try:
                        data = st["sock"].recv(4096)
                    except OSError:
                        data = b""
                    if not data:
                        self.drop(st, True)
                        continue
                    # A 503 (over the per-address cap) or 408: the server will close.
                    continue
                if ev & selectors.EVENT_WRITE and not st["sent_head"]:
                    try:
                        st["sock"].send(st["head"])
                    except OSError:
                        self.drop(st, True)
                        continue
                    st["sent_head"] = True
                    st["next"] = now + (5 if st["i"] % 2 == 0 else 10)
                    self.sel.modify(st["sock"], selectors.EVENT_READ, st)
            now = time.monotonic()
            for key in list(self.sel.get_map().values()):
                st = key.data
                if st["sent_head"] and now >= st["next"]:
                    trickle = b"X-Slow: %d\r\n" % int(now) if st["i"] % 2 == 0 else b" "
                    try:
                        st["sock"].send(trickle)
                    except OSError as e:
                        if e.errno not in (errno.EAGAIN, errno.EWOULDBLOCK):
                            self.drop(st, True)
                        continue
                    st["next"] = now + (5 if st["i"] % 2 == 0 else 10)
        for key in list(self.sel.get_map().values()):
            key.data["sock"].close()


def measure(port, token, seconds, rate):
    """Open loop: /healthz and an authenticated events page, alternately."""
    lat = {"healthz": [], "events": []}
    errors = {"healthz": 0, "events": 0}
    lock = threading.Lock()
    start = time.perf_counter()
    n = int(seconds * rate)

    def one(k):
        due = start + k / rate
        delay = due - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        what = "healthz" if k % 2 == 0 else "events"
        path = "/healthz" if what == "healthz" else "/api/v1/events?limit=50"
        headers = {} if what == "healthz" else {"Authorization": "Bearer " + token}
        try:
            c = SourceConnection("127.0.0.1", port, timeout=10)
            c.request("GET", path, headers=headers)
            r = c.getresponse()
            r.read()
            ok = r.status == 200
            c.close()
        except (OSError, http.client.HTTPException):
            ok = False
        took = time.perf_counter() - due
        with lock:
            if ok:
                lat[what].append(took)
            else:
                errors[what] += 1

    threads = []
    for k in range(n):
        t = threading.Thread(target=one, args=(k,), daemon=True)
        t.start()
        threads.append(t)
        # Keep the number of live measuring threads small.
        while sum(t.is_alive() for t in threads[-64:]) >= 64:
            time.sleep(0.005)
    for t in threads:
        t.join(15)
    return lat, errors


def pct(xs, p):
    if not xs:
        return float("nan")
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(p / 100 * len(xs)))] * 1000


def report(title, lat, errors):
    print(f"{title}:")
    for what in ("healthz", "events"):
        xs = lat[what]
        print(f"  {what:8s} n={len(xs):5d} errors={errors[what]:3d}  p50={pct(xs, 50):7.1f} ms  "
              f"p99={pct(xs, 99):7.1f} ms  max={pct(xs, 100):7.1f} ms")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("vigil")
    ap.add_argument("data")
    ap.add_argument("--conns", type=int, default=500)
    ap.add_argument("--attack", type=float, default=60)
    ap.add_argument("--baseline", type=float, default=20)
    ap.add_argument("--rate", type=float, default=20, help="measuring requests per second")
    args = ap.parse_args()
    d = tempfile.mkdtemp(prefix="vigil-slowloris-")
    db = os.path.join(d, "s.db")
    v = lambda *a: subprocess.run([args.vigil, "--db", db, "--data-dir", args.data, *a], check=True,
                                  capture_output=True, text=True).stdout
    v("init")
    v("ingest", "jsonl", os.path.join(args.data, "events", "seed_events.jsonl"))
    v("user", "add", "vera", "--role", "viewer")
    token = v("token", "create", "vera").strip()
    server, port = start_server(args.vigil, db, args.data, d)
    try:
        lat0, err0 = measure(port, token, args.baseline, args.rate)
        stop = threading.Event()
        attacker = Attacker(port, args.conns, stop)
        attacker.start()
        time.sleep(3)  # let the attack take hold
        lat1, err1 = measure(port, token, args.attack, args.rate)
        stop.set()
        attacker.join(10)
        print(f"slowloris: {args.conns} connections from {ATTACKER}, {args.attack:.0f} s; "
              f"measuring {args.rate:.0f} req/s from {MEASURER}")
        report("without attack (reference, same run)", lat0, err0)
        report("under attack", lat1, err1)
        print(f"attacker: {attacker.opened} connections opened, {attacker.closed_by_server} closed by the server, "
              f"{attacker.refused} refused at connect, at most {attacker.max_open} open at once")
        worst = max(pct(lat1["healthz"], 99), pct(lat1["events"], 99))
        ok = worst < 200 and err1["healthz"] == 0 and err1["events"] == 0
        print(f"p99 under attack {worst:.1f} ms (target < 200 ms, no errors): {'PASS' if ok else 'FAIL'}")
        alive = server.poll() is None
        print(f"server still running: {alive}")
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main()
