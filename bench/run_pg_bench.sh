#!/usr/bin/env bash
# PostgreSQL benchmark (issue: PostgreSQL/PostGIS). In one run, against a
# throwaway PostgreSQL server started here (initdb + pg_ctl on a free port of
# 127.0.0.1, default durability settings, removed at the end):
#   - the reference: COPY of the 1M-row file's rows into a bare table
#     (31 text columns, no index, no constraint) with psql's \copy;
#   - `vigil ingest acled` of the same file into a fresh vigil database
#     (parse, validate, geocode, COPY, indexes, commit);
#   - box-query latency at 1M events (bench_box: 2,000 random boxes, the
#     newest 100 events, half with a one-year range), on PostgreSQL and on
#     the SQLite database of the same file.
# usage: bench/run_pg_bench.sh [ROWS]   (from the repository root, after make build)
set -euo pipefail
ROWS=${1:-1000000}
B=build
OUT=bench/out
mkdir -p "$OUT"
CSV="$OUT/acled_${ROWS}.csv"
[ -f "$CSV" ] || "$B/bench/gen_acled" "$ROWS" "$CSV" 42
CSV=$(readlink -f "$CSV")
BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
PGDIR=$(mktemp -d /tmp/vigil-pgbench-XXXXXX)
AS=()
if [ "$(id -u)" -eq 0 ]; then chown postgres "$PGDIR"; chmod a+r "$CSV"; AS=(runuser -u postgres --); fi
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cleanup() {
  "${AS[@]}" "$BIN/pg_ctl" -D "$PGDIR/data" -m fast -w stop > /dev/null 2>&1 || true
  rm -rf "$PGDIR"
}
trap cleanup EXIT
"${AS[@]}" "$BIN/initdb" -D "$PGDIR/data" -A trust -U vigil -E UTF8 --locale=C.UTF-8 > /dev/null
"${AS[@]}" "$BIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/log" -w \
  -o "-p $PORT -k $PGDIR -c listen_addresses=127.0.0.1 -c shared_buffers=1GB -c maintenance_work_mem=512MB -c max_wal_size=4GB" \
  start > /dev/null
URL="postgresql://vigil@127.0.0.1:$PORT"
ms() { date +%s%N; }
echo "file: $CSV, $ROWS rows, $(( $(stat -c %s "$CSV") / 1000000 )) MB; PostgreSQL $("$BIN/postgres" --version | awk '{print $3}')"

psql -q "$URL/postgres" -c "CREATE DATABASE bare" -c "CREATE DATABASE vigil"
COLS=$(head -1 "$CSV" | tr ',' '\n' | sed 's/.*/"&" text/' | paste -sd, -)
psql -q "$URL/bare" -c "CREATE TABLE bare ($COLS)"
t0=$(ms)
psql -q "$URL/bare" -c "\\copy bare FROM '$CSV' WITH (FORMAT csv, HEADER true)"
t1=$(ms)
COPY_MS=$(( (t1 - t0) / 1000000 ))
echo "reference: \\copy of the rows into a bare table: $COPY_MS ms"

"$B/src/cli/vigil" --db "$URL/vigil" init -q > /dev/null
t0=$(ms)
/usr/bin/time -f "peak RSS %M KB" "$B/src/cli/vigil" --db "$URL/vigil" -q ingest acled "$CSV" --format json \
  > "$OUT/pg_ingest.json" 2> "$OUT/pg_ingest.time"
t1=$(ms)
IMPORT_MS=$(( (t1 - t0) / 1000000 ))
python3 - "$OUT/pg_ingest.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["files"][0]
print(f"vigil ingest into PostgreSQL: {r['rows_read']} rows ({r['new']} events) in {r['seconds']:.2f} s "
      f"= {r['rows_read']/r['seconds']:.0f} rows/s")
PY
cat "$OUT/pg_ingest.time"
echo "whole process: $IMPORT_MS ms = $(awk -v a=$IMPORT_MS -v b=$COPY_MS 'BEGIN{printf "%.2f", a/b}') x the bare COPY"

echo "PostgreSQL, box queries at $(psql -tA "$URL/vigil" -c 'SELECT count(*) FROM events') events:"
"$B/bench/bench_box" "$URL/vigil" 2000 100
SQLITE="$OUT/bench.db"
if [ ! -f "$SQLITE" ]; then
  "$B/src/cli/vigil" --db "$SQLITE" init -q > /dev/null
  "$B/src/cli/vigil" --db "$SQLITE" -q ingest acled "$CSV" > /dev/null
fi
echo "SQLite, the same queries on the same file's database:"
"$B/bench/bench_box" "$SQLITE" 2000 100
