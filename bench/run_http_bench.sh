#!/usr/bin/env bash
# HTTP load benchmark (issue: HTTP API). On the 1,000,000-row database of
# bench/run_import_bench.sh (built first if missing), with a forecast snapshot:
#   - GET /api/v1/events?bbox=...&limit=100 over 512 different boxes, 32
#     connections, first with the serialised-event cache off, then with the
#     default settings;
#   - GET /api/v1/forecast (admin1, admin2, cell) from the snapshot.
# wrk (Debian) runs on the same 2-core machine, bounded by -d; the server
# listens on 127.0.0.1 only and is stopped at the end.
# usage: bench/run_http_bench.sh [SECONDS]   (from the repository root, after make build)
set -euo pipefail
SECS=${1:-20}
B=build
OUT=bench/out
DB="$OUT/bench.db"
mkdir -p "$OUT"
if [ ! -f "$DB" ] || [ "$(sqlite3 "$DB" 'select count(*) from events' 2>/dev/null || echo 0)" -lt 900000 ]; then
  bench/run_import_bench.sh
fi
"$B/src/cli/vigil" --db "$DB" init -q > /dev/null
if [ "$(sqlite3 "$DB" "select count(*) from model_snapshots where model='hawkes'")" -eq 0 ]; then
  "$B/src/cli/vigil" --db "$DB" fit --as-of 2024-01-01 --window 180d --format json > /dev/null
fi
echo "database: $(sqlite3 "$DB" 'select count(*) from events') events, $(du -m "$DB" | cut -f1) MB; $(nproc) cores"
report() {  # report NAME < wrk output
  python3 -c '
import json, sys
name = sys.argv[1]
lines = sys.stdin.read().splitlines()
j = json.loads([l for l in lines if l.startswith("JSON ")][-1][5:])
rps = j["requests"] / j["seconds"]
print("%s: %s req/s, p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.1f ms, %d requests, %d socket errors, %d non-2xx"
      % (name, format(round(rps), ","), j["p50_ms"], j["p90_ms"], j["p99_ms"], j["max_ms"], j["requests"],
         j["errors"], j["non2xx"]))
' "$1"
}
PID=
trap '[ -n "$PID" ] && kill $PID 2>/dev/null; wait 2>/dev/null || true' EXIT
start_server() {  # start_server EXTRA_FLAGS...
  "$B/src/cli/vigil" --db "$DB" serve --port 0 --public-read --no-dashboard --rate-limit 0 "$@" \
    > "$OUT/serve.out" 2>&1 &
  PID=$!
  for _ in $(seq 100); do grep -q "listening on" "$OUT/serve.out" && break; sleep 0.1; done
  URL=$(grep -o 'http://127.0.0.1:[0-9]*' "$OUT/serve.out" | head -1)
  [ -n "$URL" ] || { cat "$OUT/serve.out"; exit 1; }
}
stop_server() { kill "$PID"; wait "$PID" 2>/dev/null || true; PID=; }

# 1. Without the serialised-event cache: every request reads its rows.
start_server --cache-mb 0
curl -s -o /dev/null -w "events response: %{size_download} bytes (100 features)\n" "$URL/api/v1/events?bbox=-5,13,-2,16&limit=100"
wrk -t2 -c32 -d3s -s bench/http/bbox.lua "$URL" > /dev/null  # warm-up (page cache, connections)
wrk -t2 -c32 -d"${SECS}s" --timeout 5s -s bench/http/bbox.lua "$URL" |
  report "GET /api/v1/events?bbox&limit=100, cache off, 32 connections, ${SECS} s"
stop_server

# 2. Default settings (256 MiB cache of serialised events).
start_server
wrk -t2 -c32 -d3s -s bench/http/bbox.lua "$URL" > /dev/null
wrk -t2 -c32 -d"${SECS}s" --timeout 5s -s bench/http/bbox.lua "$URL" |
  report "GET /api/v1/events?bbox&limit=100, default cache, 32 connections, ${SECS} s"
curl -s -o /dev/null -w "forecast response: %{size_download} bytes (cell level), first call %{time_total} s\n" \
  "$URL/api/v1/forecast?level=cell&horizon=30"
curl -s -o /dev/null "$URL/api/v1/forecast?level=admin1&horizon=30"
curl -s -o /dev/null "$URL/api/v1/forecast?level=admin2&horizon=30"
wrk -t2 -c32 -d"${SECS}s" --timeout 5s -s bench/http/forecast.lua "$URL" |
  report "GET /api/v1/forecast (3 levels), 32 connections, ${SECS} s"
curl -s "$URL/metrics" | grep -E '^vigil_db_size_bytes'
stop_server
