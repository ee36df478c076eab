#!/usr/bin/env bash
# Signals (docs/signals.md) on a simulated history: `vigil signals all` for one
# year, all regions and one region, whole process (reference data loaded each
# time), beside `vigil stats` on the same database as the reference.
# Usage: bench/run_signals_bench.sh [BUILD_DIR]   (from the repository root)
set -euo pipefail
BUILD=${1:-build}
V=$BUILD/src/cli/vigil
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
"$V" simulate --params data/models/sahel_simulation.json --from 2016-01-01 --to 2024-01-01 > "$T/sim.jsonl" 2>/dev/null
"$V" --db "$T/b.db" init -q > /dev/null
"$V" --db "$T/b.db" ingest jsonl "$T/sim.jsonl" -q > /dev/null
echo "events: $(wc -l < "$T/sim.jsonl")"
run() {
  local label=$1; shift
  local best=999
  for _ in 1 2 3; do
    local s e
    s=$(date +%s.%N); "$V" --db "$T/b.db" "$@" > /dev/null; e=$(date +%s.%N)
    best=$(echo "$e - $s" | bc -l | awk -v b="$best" '{ print ($1 < b) ? $1 : b }')
  done
  printf '%-44s best of 3: %.2f s\n' "$label" "$best"
}
run "stats (reference)" stats --format json
run "signals all, 2023, all regions" signals all --from 2023-01-01 --to 2023-12-31 --format json
run "signals all, 2023, Mopti" signals all --area Mopti --from 2023-01-01 --to 2023-12-31 --format json
run "signals waves, 2016-2023, all regions" signals waves --from 2016-01-01 --to 2023-12-31 --format json
