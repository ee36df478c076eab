#!/usr/bin/python3
"""Crash safety of the early-warning loop (docs/BENCHMARKS.md, "Early warning").

  A. kill -9 of `vigil serve` at random moments during a burst of report
     submissions, ROUNDS times. After each restart, every report that got a
     2xx exists exactly once; the client re-sends the unanswered ones with
     the same Idempotency-Key (as a phone app does) and none is doubled.
  B. kill -9 during alert delivery, ROUNDS times: after the restarts every
     outbox message is delivered at least once, always with the same
     idempotency key and body.
  C. a receiver that is down for DOWN seconds (600 by default) gets every
     message after it comes back.
After each phase: PRAGMA integrity_check and `vigil audit verify`.

Usage: bench/alert_crash.py VIGIL_BINARY DATA_DIR [--rounds 20] [--down 600] [--phases ABC]
Everything listens on 127.0.0.1; every process it starts it ends, by pid.
"""
import argparse
import json
import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
RECEIVERS = os.path.join(HERE, "..", "tests", "alert", "receivers.py")
TOWNS = ["Kayes", "Diboli", "Nioro du Sahel", "Sandaré", "Diéma", "Bafoulabé", "Kita", "Yélimané", "Kéniéba",
         "Sadiola", "Ambidédi", "Aourou"]
# Phase C's own places, far from phase A and B's clusters, so its reports
# raise new alerts (not joins to alerts already open).
TOWNS_C = ["Ségou", "Mopti", "Sévaré", "Bandiagara", "Djenné", "Niono"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw).stdout


class Bench:
    def __init__(self, vigil, data, rounds, down):
        self.vigil, self.data, self.rounds, self.down = vigil, data, rounds, down
        self.dir = tempfile.mkdtemp(prefix="vigil-crash-")
        self.db = os.path.join(self.dir, "crash.db")
        self.server = None
        self.port = free_port()
        self.hook_port = free_port()
        self.receiver = None
        self.log = os.path.join(self.dir, "received.jsonl")

    def v(self, *args, stdin=None):
        return run([self.vigil, "--db", self.db, "--data-dir", self.data, *args], input=stdin)

    def setup(self):
        self.v("init")
        run([self.vigil, "keys", "init", "--dir", os.path.join(self.dir, "keys")])
        self.v("user", "add", "fp", "--role", "reporter")
        self.token = self.v("token", "create", "fp").strip()
        hook = f"http://127.0.0.1:{self.hook_port}"
        with open(os.path.join(self.dir, "alerts.toml"), "w") as f:
            f.write(f"""keys_dir = "keys"
[delivery]
webhook_secret = "crash-bench-secret"
backoff_base = "1s"
backoff_max = "60s"
max_attempts = 1000
[[areas]]
id = "kayes"
admin1 = ["Kayes"]
fallback = true
  [[areas.tiers]]
  name = "field"
  contacts = [{{ kind = "webhook", to = "{hook}/a" }}, {{ kind = "webhook", to = "{hook}/b" }},
              {{ kind = "webhook", to = "{hook}/c" }}]
[[rules]]
id = "cluster"
kind = "report_cluster"
min_reporters = 2
radius_km = 15
window = "48h"
severity = "Severe"
""")

    # ----------------------------------------------------------- processes
    def start_server(self):
        env = dict(os.environ)
        self.server = subprocess.Popen(
            [self.vigil, "--db", self.db, "--data-dir", self.data, "serve", "--port", str(self.port), "--no-dashboard",
             "--rate-limit", "0", "--alerts", os.path.join(self.dir, "alerts.toml")],
            stdout=subprocess.DEVNULL, stderr=open(os.path.join(self.dir, "server.log"), "a"), env=env)
        for _ in range(300):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=1)
                return
            except Exception:
                time.sleep(0.05)
        raise SystemExit("server did not start")

    def kill_server(self):
        os.kill(self.server.pid, signal.SIGKILL)
        self.server.wait()

    def stop_server(self):
        self.server.terminate()
        self.server.wait()

    def start_receiver(self, down=0):
        self.receiver = subprocess.Popen(
            ["/usr/bin/python3", RECEIVERS, "--log", self.log, "--port", str(self.hook_port), "--down-for", str(down),
             "--lifetime", str(down + 3600)], stdout=subprocess.DEVNULL)

    def stop_receiver(self):
        self.receiver.terminate()
        self.receiver.wait()

    # --------------------------------------------------------------- client
    def post(self, body, key):
        req = urllib.request.Request(f"http://127.0.0.1:{self.port}/api/v1/reports", data=json.dumps(body).encode(),
                                     method="POST", headers={"Authorization": "Bearer " + self.token,
                                                             "Content-Type": "application/json",
                                                             "Idempotency-Key": key})
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                return r.status, json.loads(r.read())
        except urllib.error.HTTPError as e:
            return e.code, None
        except Exception:
            return 0, None

    def burst(self, sent, acked, stop):
        while not stop.is_set():
            key = str(uuid.uuid4())
            town = random.choice(TOWNS)
            body = {"text": f"hommes armés près de {town}", "place": town, "contact": f"+2236{random.randrange(10**7):07d}"}
            sent[key] = body
            status, answer = self.post(body, key)
            if 200 <= status < 300:
                acked[key] = answer["reference"]

    def check(self, label):
        con = sqlite3.connect(self.db)
        ok = con.execute("PRAGMA integrity_check").fetchone()[0]
        con.close()
        audit = subprocess.run([self.vigil, "--db", self.db, "--data-dir", self.data, "audit", "verify"],
                               capture_output=True, text=True)
        if ok != "ok" or audit.returncode != 0:
            raise SystemExit(f"{label}: integrity {ok}, audit: {audit.stdout}{audit.stderr}")

    # --------------------------------------------------------------- phases
    def phase_a(self):
        sent, acked = {}, {}
        kills = 0
        for _ in range(self.rounds):
            self.start_server()
            stop = threading.Event()
            threads = [threading.Thread(target=self.burst, args=(sent, acked, stop)) for _ in range(4)]
            for t in threads:
                t.start()
            time.sleep(random.uniform(0.3, 1.5))
            self.kill_server()
            kills += 1
            stop.set()
            for t in threads:
                t.join()
        self.start_server()
        answered = len(acked)
        # The app re-sends what was never answered, with the same keys.
        for key, body in list(sent.items()):
            if key not in acked:
                status, answer = self.post(body, key)
                if not 200 <= status < 300:
                    raise SystemExit(f"re-send of {key} failed: {status}")
                acked[key] = answer["reference"]
        self.stop_server()
        con = sqlite3.connect(self.db)
        refs = {f"R-{i}" for (i,) in con.execute("SELECT id FROM reports")}
        n_reports = con.execute("SELECT count(*) FROM reports").fetchone()[0]
        keys = con.execute("SELECT count(*) FROM idempotency WHERE scope = 'user:fp'").fetchone()[0]
        con.close()
        missing = [k for k, r in acked.items() if r not in refs]
        if missing:
            raise SystemExit(f"A: {len(missing)} acknowledged reports missing")
        if n_reports != len(set(acked.values())) or keys != len(acked):
            raise SystemExit(f"A: {n_reports} reports for {len(acked)} keys ({keys} stored): duplicates or losses")
        self.check("A")
        return {"kills": kills, "submitted": len(sent), "answered_before_resend": answered, "reports": n_reports}

    def outbox(self):
        con = sqlite3.connect(self.db)
        rows = con.execute("SELECT idempotency_key, body, state FROM outbox WHERE kind = 'webhook'").fetchall()
        con.close()
        return rows

    def received(self):
        got = {}
        if os.path.exists(self.log):
            with open(self.log) as f:
                for line in f:
                    m = json.loads(line)
                    got.setdefault(m["headers"].get("Idempotency-Key"), []).append(m["body"])
        return got

    def wait_delivered(self, timeout):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if all(state == "sent" for _, _, state in self.outbox()):
                return True
            time.sleep(0.5)
        return False

    def phase_b(self):
        self.start_receiver()
        kills = 0
        for i in range(self.rounds):
            self.start_server()
            # Two phones per town raise an alert each round: three webhooks each.
            for town in random.sample(TOWNS, 4):
                for phone in range(2):
                    self.post({"text": f"hommes armés près de {town} (tour {i})", "place": town,
                               "contact": f"+22377{i:03d}{phone}{random.randrange(100):02d}"}, str(uuid.uuid4()))
            time.sleep(random.uniform(0.05, 0.6))
            self.kill_server()
            kills += 1
        self.start_server()
        if not self.wait_delivered(300):
            raise SystemExit("B: messages still pending after 300 s")
        self.stop_server()
        got = self.received()
        rows = self.outbox()
        for key, body, _ in rows:
            if key not in got:
                raise SystemExit(f"B: {key} never delivered")
            if any(b != body for b in got[key]):
                raise SystemExit(f"B: {key} delivered with a different body")
        self.stop_receiver()
        self.check("B")
        dupes = sum(len(v) - 1 for k, v in got.items() if k)
        return {"kills": kills, "messages": len(rows), "redelivered": dupes}

    def phase_c(self):
        before = {k for k, _, _ in self.outbox()}
        self.start_receiver(down=self.down)
        self.start_server()
        for town in random.sample(TOWNS_C, 3):
            for phone in range(2):
                self.post({"text": f"hommes armés près de {town} (panne)", "place": town,
                           "contact": f"+22378{phone}{random.randrange(10**5):05d}"}, str(uuid.uuid4()))
        t0 = time.time()
        ok = self.wait_delivered(self.down + 300)
        waited = time.time() - t0
        self.stop_server()
        got = self.received()
        new = [(k, b) for k, b, _ in self.outbox() if k not in before]
        self.stop_receiver()
        if not new:
            raise SystemExit("C: no message was produced while the receiver was down; the phase proves nothing")
        if not ok or any(k not in got for k, _ in new):
            raise SystemExit("C: messages lost while the receiver was down")
        self.check("C")
        return {"down_s": self.down, "messages": len(new), "all_delivered_after_s": round(waited, 1)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("vigil")
    ap.add_argument("data")
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--down", type=float, default=600)
    ap.add_argument("--phases", default="ABC", help="which phases to run (default ABC)")
    args = ap.parse_args()
    b = Bench(args.vigil, args.data, args.rounds, args.down)
    b.setup()
    phases = {"A": ("A_reports_under_kill9", b.phase_a), "B": ("B_delivery_under_kill9", b.phase_b),
              "C": ("C_receiver_down", b.phase_c)}
    out = {}
    try:
        for p in args.phases:
            name, run = phases[p]
            out[name] = run()
    finally:
        for p in (b.server, b.receiver):
            if p and p.poll() is None:
                p.kill()
                p.wait()
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
