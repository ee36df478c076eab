#!/usr/bin/env bash
# make fuzz: builds the libFuzzer targets with clang (ASan + UBSan) in
# build-fuzz/ and runs each for FUZZ_SECONDS (default 60). The corpus of each
# target grows in build-fuzz/corpus/<target> (seeded from fuzz/corpus/);
# crashes, leaks and timeouts land in build-fuzz/crashes/<target>/ and make
# the run fail. A summary line per target gives executions, corpus size and
# coverage (docs/security.md records the long runs).
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${FUZZ_SECONDS:-60}
TARGETS=${FUZZ_TARGETS:-"fuzz_csv fuzz_jsonl fuzz_extract fuzz_http fuzz_query fuzz_cap fuzz_sms fuzz_config fuzz_sites"}
if ! command -v clang++ >/dev/null; then
  echo "fuzz: installing clang"; apt-get install -y -qq --no-install-recommends clang >/dev/null
fi
if [ ! -f build-fuzz/build.ninja ]; then
  CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DVIGIL_FUZZ=ON \
    -DVIGIL_BUILD_TESTS=OFF -DVIGIL_BUILD_BENCH=OFF >/dev/null
fi
# shellcheck disable=SC2086
cmake --build build-fuzz -j "$(nproc)" --target $TARGETS
declare -A DICT=([fuzz_csv]=csv [fuzz_jsonl]=json [fuzz_http]=http [fuzz_query]=query [fuzz_cap]=xml [fuzz_sms]=query [fuzz_sites]=json)
failed=0
for t in $TARGETS; do
  corpus=build-fuzz/corpus/$t crashes=build-fuzz/crashes/$t
  mkdir -p "$corpus" "$crashes"
  cp -n fuzz/corpus/"$t"/* "$corpus"/ 2>/dev/null || true
  dict=()
  [ -n "${DICT[$t]:-}" ] && dict=(-dict="fuzz/dict/${DICT[$t]}.dict")
  log=build-fuzz/$t.log
  set +e
  build-fuzz/fuzz/"$t" "$corpus" "${dict[@]}" -max_total_time="$SECONDS_EACH" -max_len=65536 -timeout=10 \
    -rss_limit_mb=2048 -artifact_prefix="$crashes/" -print_final_stats=1 >"$log" 2>&1
  rc=$?
  set -e
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | awk '{s+=$2} END {print s+0}')
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | awk '{print $2}')
  n=$(find "$corpus" -type f | wc -l)
  found=$(find "$crashes" -type f | wc -l)
  echo "$t: ${SECONDS_EACH}s, $runs executions, corpus $n files, coverage ${cov:-?} edges, $found crash files (exit $rc)"
  if [ "$rc" -ne 0 ] || [ "$found" -ne 0 ]; then failed=1; tail -30 "$log"; fi
done
exit $failed
