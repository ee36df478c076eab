#!/usr/bin/env bash
# Scale-out benchmark (issue "for teams and regions"): a compute-bound
# backtest — the Hawkes model refitted at every origin — run by one process
# and by `mpirun -np 2`, one OpenMP thread per rank so the ranks are the only
# parallelism, in the same run; one process with two OpenMP threads beside it
# for reference. Checks that the outputs are the same bytes, and prints the
# per-origin cost and what the ranks send (predictions: 8 bytes x 2 x models
# x units x origins, of which each rank's own share is non-zero).
# usage: bench/run_mpi_bench.sh [ORIGINS]   (from the repository root, after make build)
set -euo pipefail
V=$PWD/build/src/cli/vigil
ORIGINS=${1:-12}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
"$V" -q --db "$T/b.db" init >/dev/null
"$V" simulate --params data/models/sahel_simulation.json --from 2016-01-01 --to 2021-01-01 --seed 9 \
  > "$T/sim.jsonl" 2>/dev/null
"$V" -q --db "$T/b.db" ingest jsonl "$T/sim.jsonl" >/dev/null
events=$(wc -l < "$T/sim.jsonl")
to=$(date -u -d "2019-01-01 + $((ORIGINS * 30)) days" +%F)
ARGS=(-q --db "$T/b.db" backtest --from 2019-01-01 --to "$to" --step 30 --horizon 30 --level admin2
      --window 2y --models hawkes,historical --format json)
run() {  # run LABEL CMD... : wall seconds
  local label=$1 s e; shift
  s=$(date +%s.%N); "$@" > "$T/$label.json"; e=$(date +%s.%N)
  echo "$e - $s" | bc
}
t1=$(OMP_NUM_THREADS=1 run one "$V" "${ARGS[@]}")
t2=$(run two mpirun -np 2 -x OMP_NUM_THREADS=1 "$V" "${ARGS[@]}")
t1t2=$(OMP_NUM_THREADS=2 run threads "$V" "${ARGS[@]}")
cmp -s "$T/one.json" "$T/two.json" || { echo "outputs differ"; exit 1; }
cmp -s "$T/one.json" "$T/threads.json" || { echo "outputs differ (threads)"; exit 1; }
units=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["units"])' "$T/one.json")
bytes=$((8 * 2 * 2 * units * ORIGINS))
printf 'events %d, origins %d, units %d, models 2 (hawkes, historical)\n' "$events" "$ORIGINS" "$units"
printf '| run | wall s | per origin s | speed-up |\n|---|---|---|---|\n'
printf '| 1 process, 1 thread | %.1f | %.2f | 1.00 |\n' "$t1" "$(echo "$t1 / $ORIGINS" | bc -l)"
printf '| mpirun -np 2, 1 thread each | %.1f | %.2f | %.2f |\n' "$t2" "$(echo "$t2 / $ORIGINS" | bc -l)" "$(echo "$t1 / $t2" | bc -l)"
printf '| 1 process, 2 OpenMP threads | %.1f | %.2f | %.2f |\n' "$t1t2" "$(echo "$t1t2 / $ORIGINS" | bc -l)" "$(echo "$t1 / $t1t2" | bc -l)"
printf 'gathered on rank 0: %d bytes per rank (one reduce); outputs identical\n' "$bytes"
