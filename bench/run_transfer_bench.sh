#!/usr/bin/env bash
# Bytes the dashboard's first view transfers, plain and gzip-encoded, on a
# database (default: the demo's simulated one). Starts `vigil serve` on
# 127.0.0.1, makes a viewer token, fetches what the first view fetches, and
# stops the server it started.
#
# usage: bench/run_transfer_bench.sh [DB] [PORT]
set -euo pipefail
cd "$(dirname "$0")/.."
VIGIL=${VIGIL:-build/src/cli/vigil}
DB=${1:-/tmp/vigil-demo/simulated.db}
PORT=${2:-18431}
[ -f "$DB" ] || { echo "no database $DB (run: $VIGIL demo --dir /tmp/vigil-demo --no-serve)"; exit 2; }
"$VIGIL" --db "$DB" user add transfer-bench --role viewer --password-stdin <<< "transfer-bench-pw" >/dev/null 2>&1 || true
TOK=$("$VIGIL" --db "$DB" token create transfer-bench | grep -oE 'vgl_[A-Za-z0-9_-]+' | head -1)
"$VIGIL" --db "$DB" serve --port "$PORT" --web-dir web >/dev/null 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
plain=0; zipped=0
for u in "/" "/app.js" "/i18n.js" "/roads.js" "/warnings.js" "/style.css" "/api/v1/boundaries/admin0" \
         "/api/v1/boundaries/admin1" "/api/v1/stats?by=admin1" "/api/v1/events?limit=2000" "/api/v1/stats?period=week"; do
  a=$(curl -s -o /dev/null -w '%{size_download}' -H "Authorization: Bearer $TOK" "http://127.0.0.1:$PORT$u")
  b=$(curl -s -o /dev/null -w '%{size_download}' -H "Accept-Encoding: gzip" -H "Authorization: Bearer $TOK" \
    "http://127.0.0.1:$PORT$u")
  printf '%-32s %10d %10d\n' "$u" "$a" "$b"
  plain=$((plain + a)); zipped=$((zipped + b))
done
printf '%-32s %10d %10d  (plain, gzip bytes; vendor libraries not counted)\n' "first view" "$plain" "$zipped"
