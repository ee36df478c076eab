#!/usr/bin/env bash
# Extraction speed (reports issue, target: >= 2 MB of text per second per
# core). Builds a 10 MB corpus by repeating the five seed articles from
# ../shared/seeds (read at run time, never copied into the repository) and
# times `vigil extract` on it, whole process, one core.
# usage: bench/run_extract_bench.sh   (from the repository root, after make build)
set -euo pipefail
mkdir -p bench/out
CORPUS=bench/out/extract_corpus.txt
python3 - "$CORPUS" <<'PY'
import glob, sys
text = "\n\n".join(open(f, encoding="utf-8").read() for f in sorted(glob.glob("../shared/seeds/*.txt")))
with open(sys.argv[1], "w", encoding="utf-8") as out:
    while out.tell() < 10_000_000:
        out.write(text + "\n\n")
PY
SIZE=$(stat -c %s "$CORPUS")
start=$(date +%s%N)
taskset -c 0 build/src/cli/vigil extract "$CORPUS" > bench/out/extract.jsonl
end=$(date +%s%N)
python3 -c "import sys; b=$SIZE; t=($end-$start)/1e9; print(f'extract: {b/1e6:.1f} MB in {t:.2f} s on one core = {b/1e6/t:.1f} MB/s (whole process, start-up included); {sum(1 for _ in open(\"bench/out/extract.jsonl\"))} events')"
