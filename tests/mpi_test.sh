#!/usr/bin/env bash
# Scale-out on Open MPI (docs/deployment.md): `mpirun -np 2 vigil backtest`
# and `mpirun -np 2 vigil scenario run` give byte for byte what one process
# gives for the same seeds; rank 0 alone reports and saves; an error on the
# ranks ends the run with a non-zero exit instead of a hang.
set -u
VIGIL=$1
ROOT=$2
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
# The test runs as root on CI machines; Open MPI refuses that unless told.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
# One OpenMP thread per rank: the ranks are the parallelism here.
export OMP_NUM_THREADS=1
# Under `make asan`, leak checking is off for the ranks only: Open MPI keeps
# its components' allocations to exit by design (and unloads them, so the
# stacks cannot be named for a suppression). Address errors still stop a
# rank, and single-process vigil — which never starts MPI — keeps leak checks.
MPIRUN=(timeout 300 mpirun -np 2 -x "ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0")
fails=0; passes=0
ok() { passes=$((passes+1)); }
fail() { echo "FAIL $*"; fails=$((fails+1)); }

DB="$T/sim.db"
"$VIGIL" -q --db "$DB" init >/dev/null || { echo "FAIL init"; exit 1; }
"$VIGIL" simulate --params "$ROOT/data/models/sahel_simulation.json" --from 2016-01-01 --to 2018-07-01 --seed 5 \
  > "$T/sim.jsonl" 2>/dev/null || { echo "FAIL simulate"; exit 1; }
"$VIGIL" -q --db "$DB" ingest jsonl "$T/sim.jsonl" >/dev/null || { echo "FAIL ingest"; exit 1; }

# Backtest: origins split between the ranks, predictions summed on rank 0.
BT=(-q --db "$DB" backtest --from 2017-10-01 --to 2018-02-01 --step 30 --horizon 30 --level admin1
    --window 1y --format json)
"$VIGIL" "${BT[@]}" > "$T/bt1.json"; rc1=$?
"${MPIRUN[@]}" "$VIGIL" "${BT[@]}" > "$T/bt2.json"; rc2=$?
[ "$rc1" -eq 0 ] && [ "$rc2" -eq 0 ] && ok || fail "backtest exits $rc1 / $rc2"
grep -q '"origins":5' "$T/bt1.json" && ok || fail "backtest origins: $(head -c 200 "$T/bt1.json")"
cmp -s "$T/bt1.json" "$T/bt2.json" && ok || { fail "backtest: 2 ranks differ from 1 process"; diff <(tr ',' '\n' < "$T/bt1.json") <(tr ',' '\n' < "$T/bt2.json") | head -10; }
[ "$(wc -l < "$T/bt2.json")" -eq 1 ] && ok || fail "backtest: only rank 0 prints ($(wc -l < "$T/bt2.json") lines)"

# Scenario: runs split between the ranks, arms summed on rank 0.
"$VIGIL" -q --db "$DB" fit --as-of 2018-04-01 --window 2y >/dev/null || fail "fit"
cat > "$T/wave.toml" <<'TOML'
title = "wave"
weeks = 6
runs = 120
seed = 3
[[inject]]
day = 2
towns = ["Niono", "Mopti", "Gao"]
class = "battles"
events = 2
[[background]]
region = "Mopti"
factor = 0.5
TOML
"$VIGIL" -q --db "$DB" scenario run "$T/wave.toml" --format json --no-save > "$T/sc1.json"; rc1=$?
"${MPIRUN[@]}" "$VIGIL" -q --db "$DB" scenario run "$T/wave.toml" --format json > "$T/sc2.json"; rc2=$?
[ "$rc1" -eq 0 ] && [ "$rc2" -eq 0 ] && ok || fail "scenario exits $rc1 / $rc2"
# The stored run carries its id; otherwise the two are the same.
same=$(python3 -c 'import json,sys; a,b=(json.load(open(f)) for f in sys.argv[1:]); b.pop("id",None); print(a==b)' \
  "$T/sc1.json" "$T/sc2.json")
[ "$same" = True ] && ok || fail "scenario: 2 ranks differ from 1 process"
grep -q '"injected_events": 6' "$T/sc1.json" && ok || fail "scenario injected: $(grep injected "$T/sc1.json")"
n=$("$VIGIL" -q --db "$DB" scenario list | wc -l)
[ "$n" -eq 1 ] && ok || fail "scenario saved $n times, wanted once (rank 0)"

# A bad file fails on every rank before any collective: a clean non-zero exit.
printf 'title = "x"\n[[inject]]\nday = 1\ntowns = ["Atlantis"]\n' > "$T/bad.toml"
"${MPIRUN[@]}" "$VIGIL" -q --db "$DB" scenario run "$T/bad.toml" > "$T/out" 2> "$T/err"; rc=$?
[ "$rc" -ne 0 ] && [ "$rc" -ne 124 ] && ok || fail "bad scenario under mpirun: exit $rc"
grep -q "Atlantis" "$T/err" && ok || { fail "bad scenario: no message"; head -5 "$T/err"; }

echo "mpi_test: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
