#!/usr/bin/env bash
# Model benchmark (forecasting issue): Hawkes fit time and peak memory for
# N = 10k, 100k, 1M simulated events (each in its own process, both cores),
# then a 36-origin monthly backtest on 50k events.
# usage: bench/run_model_bench.sh   (from the repository root, after make build)
set -euo pipefail
B=build/bench
for n in 10000 100000 1000000; do "$B/bench_fit" "$n"; done
"$B/bench_backtest" 50000
