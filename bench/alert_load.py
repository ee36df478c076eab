#!/usr/bin/python3
"""Report intake under load (docs/BENCHMARKS.md, "Early warning").

Sends community reports to `vigil serve` at a fixed rate (open loop: the
latency of each is counted from when it was due, so a stall is not hidden)
for DURATION seconds, while another client queries the events API, and
measures: reports accepted per second, latency percentiles, errors; every
accepted report is checked in the database afterwards. Before the load, the
raw rate of durable single-row SQLite inserts (WAL, synchronous=FULL) on
the same disk is measured as the reference. During the load, alerts with a
10-second acknowledgement deadline are raised and the time from each
deadline to its escalation is recorded.

Usage: bench/alert_load.py VIGIL_BINARY DATA_DIR [--rate 500] [--duration 120]
"""
import argparse
import http.client
import json
import os
import queue
import random
import sqlite3
import subprocess
import tempfile
import threading
import time
import uuid

from benchlib import free_port, start_server

TOWNS = ["Kayes", "Diboli", "Nioro du Sahel", "Sandaré", "Diéma", "Bafoulabé", "Kita", "Yélimané", "Kéniéba",
         "Sadiola", "Ambidédi", "Aourou", "Ségou", "Mopti", "Sévaré", "Bandiagara", "Djenné", "Niono"]


def raw_sqlite_rate(path, seconds=5):
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=FULL")
    con.execute("CREATE TABLE t(x TEXT)")
    n, t0 = 0, time.time()
    while time.time() - t0 < seconds:
        con.execute("BEGIN")
        con.execute("INSERT INTO t VALUES (?)", ("x" * 200,))
        con.execute("COMMIT")
        n += 1
    con.close()
    return n / (time.time() - t0)


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(p / 100 * len(xs)))] if xs else float("nan")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("vigil")
    ap.add_argument("data")
    ap.add_argument("--rate", type=float, default=500)
    ap.add_argument("--duration", type=float, default=120)
    ap.add_argument("--workers", type=int, default=16)
    args = ap.parse_args()
    d = tempfile.mkdtemp(prefix="vigil-load-")
    db = os.path.join(d, "load.db")
    v = lambda *a: subprocess.run([args.vigil, "--db", db, "--data-dir", args.data, *a], check=True,
                                  capture_output=True, text=True).stdout
    v("init")
    v("ingest", "jsonl", os.path.join(args.data, "events", "seed_events.jsonl"))
    subprocess.run([args.vigil, "keys", "init", "--dir", os.path.join(d, "keys")], check=True, capture_output=True)
    v("user", "add", "fp", "--role", "reporter")
    v("user", "add", "ana", "--role", "analyst")
    token = v("token", "create", "fp").strip()
    reader = v("token", "create", "ana").strip()
    with open(os.path.join(d, "alerts.toml"), "w") as f:
        f.write(f"""keys_dir = "keys"
[deadlines]
Extreme = "10s"
[delivery]
webhook_secret = "load-bench-secret"
[[areas]]
id = "sahel"
fallback = true
  [[areas.tiers]]
  name = "one"
  contacts = [{{ kind = "webhook", to = "http://127.0.0.1:{free_port()}/down" }}]
  [[areas.tiers]]
  name = "two"
  contacts = [{{ kind = "webhook", to = "http://127.0.0.1:{free_port()}/down" }}]
[[rules]]
id = "cluster"
kind = "report_cluster"
min_reporters = 3
severity = "Extreme"
""")
    raw = raw_sqlite_rate(os.path.join(d, "raw.db"))
    server, port = start_server(args.vigil, db, args.data, d, "--alerts", os.path.join(d, "alerts.toml"))
    try:
        jobs = queue.Queue()
        lat, errors, accepted = [], [], []
        lock = threading.Lock()

        def worker():
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            while True:
                job = jobs.get()
                if job is None:
                    return
                due, body, key = job
                try:
                    conn.request("POST", "/api/v1/reports", body=body,
                                 headers={"Authorization": "Bearer " + token, "Content-Type": "application/json",
                                          "Idempotency-Key": key})
                    r = conn.getresponse()
                    answer = r.read()
                    ok = r.status == 201
                except (OSError, http.client.HTTPException) as e:
                    ok, answer = False, str(e).encode()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                done = time.perf_counter()
                with lock:
                    lat.append(done - due)
                    (accepted if ok else errors).append(json.loads(answer)["reference"] if ok else answer[:200])

        threads = [threading.Thread(target=worker) for _ in range(args.workers)]
        for t in threads:
            t.start()
        reads = {"n": 0, "lat": []}
        stop_reads = threading.Event()

        def read_events():
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            while not stop_reads.is_set():
                t0 = time.perf_counter()
                conn.request("GET", "/api/v1/events?limit=50&admin1=Kayes",
                             headers={"Authorization": "Bearer " + reader})
                conn.getresponse().read()
                reads["lat"].append(time.perf_counter() - t0)
                reads["n"] += 1
                time.sleep(0.02)

        rt = threading.Thread(target=read_events)
        rt.start()
        # Escalation lateness: poll open alerts; when one moves to tier 2,
        # compare with the deadline it had.
        deadlines, lateness = {}, []
        stop_watch = threading.Event()

        def watch():
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            while not stop_watch.is_set():
                conn.request("GET", "/api/v1/alerts?limit=1000", headers={"Authorization": "Bearer " + reader})
                now = time.time()
                for a in json.loads(conn.getresponse().read())["alerts"]:
                    ref = a["reference"]
                    if a["tier"] == 1 and a["next_escalation"]:
                        deadlines[ref] = time.mktime(time.strptime(a["next_escalation"], "%Y-%m-%dT%H:%M:%SZ")) - time.timezone
                    elif a["tier"] == 2 and ref in deadlines:
                        lateness.append(now - deadlines.pop(ref))
                time.sleep(0.1)

        wt = threading.Thread(target=watch)
        wt.start()
        t_start = time.perf_counter()
        interval = 1.0 / args.rate
        n = int(args.rate * args.duration)
        for i in range(n):
            due = t_start + i * interval
            delay = due - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            town = random.choice(TOWNS)
            body = json.dumps({"text": f"hommes armés près de {town}, rapport {i}", "place": town,
                               "contact": f"+2236{random.randrange(10**7):07d}"})
            jobs.put((due, body, str(uuid.uuid4())))
        for _ in threads:
            jobs.put(None)
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - t_start
        with open(f"/proc/{server.pid}/stat") as st:
            fields = st.read().split(")")[1].split()
            server_cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        client_cpu = sum(os.times()[:2])
        time.sleep(12)  # let the last alerts reach their deadline
        stop_reads.set()
        stop_watch.set()
        rt.join()
        wt.join()
    finally:
        server.terminate()
        server.wait()
    con = sqlite3.connect(db)
    stored = {f"R-{i}" for (i,) in con.execute("SELECT id FROM reports")}
    alerts = con.execute("SELECT count(*) FROM alerts").fetchone()[0]
    con.close()
    lost = [r for r in accepted if r not in stored]
    print(json.dumps({
        "raw_durable_sqlite_inserts_per_s": round(raw),
        "offered_rate": args.rate, "duration_s": args.duration,
        "accepted": len(accepted), "errors": len(errors), "first_errors": [str(e) for e in errors[:3]],
        "accepted_per_s": round(len(accepted) / elapsed, 1),
        "latency_ms": {"p50": round(1000 * pct(lat, 50), 1), "p90": round(1000 * pct(lat, 90), 1),
                       "p99": round(1000 * pct(lat, 99), 1), "max": round(1000 * max(lat), 1)},
        "lost_after_2xx": len(lost),
        "server_cpu_s": round(server_cpu, 1), "client_cpu_s": round(client_cpu, 1),
        "events_api": {"requests": reads["n"], "p99_ms": round(1000 * pct(reads["lat"], 99), 1)},
        "alerts": alerts,
        "escalations_measured": len(lateness),
        "escalation_lateness_s": {"p50": round(pct(lateness, 50), 2), "max": round(max(lateness), 2) if lateness else None},
    }, indent=2))


if __name__ == "__main__":
    main()
