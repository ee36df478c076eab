#!/usr/bin/env bash
# Import benchmark (issue: foundation). Generates a 1,000,000-row ACLED-format
# CSV with a fixed seed, then measures in one run:
#   - cat FILE > /dev/null (the I/O reference),
#   - parsing alone (bench_parse: CSV reader + ACLED adapter),
#   - end-to-end import into a fresh database (rows/s, peak RSS),
#   - vigil events --bbox --from --to --limit 100 on the 1M-event database.
# usage: bench/run_import_bench.sh [ROWS]   (from the repository root, after make build)
set -euo pipefail
ROWS=${1:-1000000}
B=build
OUT=bench/out
mkdir -p "$OUT"
CSV="$OUT/acled_${ROWS}.csv"
DB="$OUT/bench.db"
ms() { date +%s%N; }
[ -f "$CSV" ] || "$B/bench/gen_acled" "$ROWS" "$CSV" 42
SIZE=$(stat -c %s "$CSV")
echo "file: $CSV, $ROWS rows, $((SIZE / 1000000)) MB"
t0=$(ms); cat "$CSV" > /dev/null; t1=$(ms)
echo "cat > /dev/null: $(( (t1 - t0) / 1000000 )) ms ($(awk -v b="$SIZE" -v t=$((t1 - t0)) 'BEGIN{printf "%.0f", b/1e6/(t/1e9)}') MB/s)"
"$B/bench/bench_parse" "$CSV"
rm -f "$DB" "$DB-wal" "$DB-shm"
"$B/src/cli/vigil" --db "$DB" init -q > /dev/null
VIGIL_TIMINGS=1 /usr/bin/time -f "peak RSS %M KB, wall %e s" "$B/src/cli/vigil" --db "$DB" -q ingest acled "$CSV" --format json \
  > "$OUT/ingest.json" 2> "$OUT/ingest.time" || true
python3 - "$OUT/ingest.json" "$ROWS" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["files"][0]
print(f"import: {r['rows_read']} rows ({r['new']} events, {r['merged']} merged rows, {r['rejected']} rejected) "
      f"in {r['seconds']:.2f} s = {r['rows_read']/r['seconds']:.0f} rows/s")
PY
cat "$OUT/ingest.time"
Q=( "$B/src/cli/vigil" --db "$DB" events --bbox -12,13.5,-10.5,15 --from 2023-01-01 --to 2023-12-31 --limit 100 --format csv )
"${Q[@]}" > /dev/null
times=()
for i in $(seq 1 15); do t0=$(ms); "${Q[@]}" > /dev/null; t1=$(ms); times+=($(( (t1 - t0) / 1000 ))); done
sorted=$(printf '%s\n' "${times[@]}" | sort -n)
echo "query (events --bbox -12,13.5,-10.5,15 --from 2023-01-01 --to 2023-12-31 --limit 100), whole process, 15 runs:" \
     "median $(echo "$sorted" | sed -n 8p) us, max $(echo "$sorted" | tail -1) us"
