#!/usr/bin/env bash
# Situation reports (docs/sitrep.md) on a simulated history with a fitted
# model: one brief as PDF, HTML and Markdown (target < 2 s), and every
# region's weekly briefs in both languages as the server writes them (target
# < 30 s), whole process (reference data loaded each time), beside `vigil
# stats` on the same database as the reference.
# Usage: bench/run_sitrep_bench.sh [BUILD_DIR]   (from the repository root)
set -euo pipefail
BUILD=${1:-build}
V=$BUILD/src/cli/vigil
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
"$V" simulate --params data/models/sahel_simulation.json --from 2016-01-01 --to 2024-01-01 > "$T/sim.jsonl" 2>/dev/null
"$V" --db "$T/b.db" init -q > /dev/null
"$V" --db "$T/b.db" ingest jsonl "$T/sim.jsonl" -q > /dev/null
"$V" --db "$T/b.db" fit --as-of 2024-01-01 --window 3y -q > /dev/null
echo "events: $(wc -l < "$T/sim.jsonl"); model fitted as of 2024-01-01"
run() {
  local label=$1; shift
  local best=999
  for _ in 1 2 3; do
    local s e
    s=$(date +%s.%N); "$@" > /dev/null; e=$(date +%s.%N)
    best=$(echo "$e - $s" | bc -l | awk -v b="$best" '{ print ($1 < b) ? $1 : b }')
  done
  printf '%-52s best of 3: %.2f s\n' "$label" "$best"
}
brief() { "$V" --db "$T/b.db" sitrep --area Mopti --from 2023-10-01 --to 2023-12-31 --generated 2024-01-02 -q "$@"; }
run "stats (reference)" "$V" --db "$T/b.db" stats --format json
run "one brief, Mopti, a quarter, PDF" brief --out "$T/m.pdf"
run "one brief, Mopti, a quarter, HTML" brief --out "$T/m.html"
run "one brief, Mopti, a quarter, Markdown" brief --out "$T/m.md"
best=999
for _ in 1 2 3; do
  rm -f "$T/w.db"*
  sqlite3 "$T/b.db" ".backup '$T/w.db'"  # a fresh copy each time: briefs kept are not written again
  s=$(date +%s.%N); out=$("$V" --db "$T/w.db" sitrep --weekly --generated 2024-01-03); e=$(date +%s.%N)
  best=$(echo "$e - $s" | bc -l | awk -v b="$best" '{ print ($1 < b) ? $1 : b }')
done
printf '%-52s best of 3: %.2f s (%s)\n' "weekly briefs, every region, en + fr, 3 formats" "$best" "$out"
ls -l "$T/m.pdf" "$T/m.html" "$T/m.md" | awk '{ print $5, $9 }'
