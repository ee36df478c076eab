#!/usr/bin/env bash
# Peer comparison (forecasting issue): vigil's Hawkes fit against R's
# surveillance::twinstim on the same simulated catalogues (about 2,000 and
# 5,000 training events over 6 years, one held-out year), in one run.
# Installs R and the packages it needs (Debian, benchmark only: not part of
# make test). Prints, per catalogue, both fit times and both held-out
# log-likelihoods per event.
# usage: bench/peer_twinstim.sh   (from the repository root, as root)
set -euo pipefail
if ! Rscript -e 'library(surveillance); library(polyclip); library(jsonlite); library(memoise)' >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends r-base-core r-cran-surveillance r-cran-polyclip r-cran-sp \
    r-cran-jsonlite r-cran-memoise >/dev/null
fi
make build >/dev/null
OUT=bench/out/twinstim
for n in 2000 5000; do
  mkdir -p "$OUT/$n"
  v=$(build/bench/bench_heldout "$n" "$OUT/$n" 17)
  r=$(Rscript bench/peer/twinstim_fit.R "$OUT/$n" 2190 2555 2>/dev/null | tail -1)
  python3 - "$n" "$v" "$r" <<'PY'
import json, sys
n, v, r = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3])
print(f"N~{n}: {v['train_events']} training / {v['heldout_events']} held-out events")
for name, x in (("vigil", v), ("twinstim", r)):
    print(f"  {name:9s} fit {x['fit_seconds']:8.3f} s  held-out loglik/event {x['heldout_loglik_per_event']:8.4f}  "
          f"branching {x['branching']:.3f}  half-life {x['half_life_days']:.2f} d  sigma {x['sigma_km']:.2f} km")
print(f"  speed-up {r['fit_seconds'] / v['fit_seconds']:.0f}x, held-out loglik difference "
      f"{v['heldout_loglik_per_event'] - r['heldout_loglik_per_event']:+.4f} per event (positive: vigil better)")
PY
done
