#!/usr/bin/env bash
# End-to-end checks of the vigil binary: exit codes, formats, bad input.
set -u
VIGIL=$1
ROOT=$2
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0; passes=0
check() {  # check NAME EXPECTED_RC CMD...
  local name=$1 want=$2; shift 2
  "$@" >"$T/out" 2>"$T/err"; local rc=$?
  if [ "$rc" -ne "$want" ]; then
    echo "FAIL $name: exit $rc, wanted $want"; cat "$T/err"; fails=$((fails+1))
  else passes=$((passes+1)); fi
}
expect_out() {  # expect_out NAME PATTERN
  if grep -q -- "$2" "$T/out"; then passes=$((passes+1)); else echo "FAIL $1: output lacks '$2'"; head -5 "$T/out"; fails=$((fails+1)); fi
}
expect_err() {
  if grep -q -- "$2" "$T/err"; then passes=$((passes+1)); else echo "FAIL $1: stderr lacks '$2'"; cat "$T/err"; fails=$((fails+1)); fi
}
DB="$T/v.db"
check init 0 "$VIGIL" --db "$DB" init
check init-again 0 "$VIGIL" init --db "$DB" --format json
expect_out init-again '"reference_loaded":false'
check ingest 0 "$VIGIL" --db "$DB" ingest jsonl "$ROOT/data/events/seed_events.jsonl"
check events-kayes 0 "$VIGIL" --db "$DB" events --admin1 kayes --format json
expect_out events-kayes '"count":13'
check events-segou-accents 0 "$VIGIL" --db "$DB" events --admin1 SEGOU --format csv
[ "$(wc -l < "$T/out")" -eq 6 ] && passes=$((passes+1)) || { echo "FAIL csv rows"; fails=$((fails+1)); }
check events-geojson 0 "$VIGIL" --db "$DB" events --bbox -12,13,-10,15 --format geojson
expect_out events-geojson '"type":"FeatureCollection"'
expect_out events-geojson '"coordinates":\[-1[01]\.'
check events-hxl 0 "$VIGIL" --db "$DB" events --format hxl --limit 1
expect_out events-hxl '#date+occurred'
check events-near 0 "$VIGIL" --db "$DB" events --near 14.45,-11.44 --radius-km 5 --format jsonl
[ "$(wc -l < "$T/out")" -eq 3 ] && passes=$((passes+1)) || { echo "FAIL near count $(wc -l < "$T/out")"; fails=$((fails+1)); }
check stats 0 "$VIGIL" --db "$DB" stats --format json
expect_out stats '"admin1":"Kayes"'
check geocode 0 "$VIGIL" --data-dir "$ROOT/data" geocode Farabougou --admin1 "Ségou" --format json
expect_out geocode '"admin1":"Ségou"'
check geocode-unknown 3 "$VIGIL" geocode Xqzvbnm
expect_err geocode-unknown "no place matches"
check bad-bbox 2 "$VIGIL" --db "$DB" events --bbox 10,10,5,5
expect_err bad-bbox "not a valid box"
check bad-date 2 "$VIGIL" --db "$DB" events --from 2025-02-30
expect_err bad-date "impossible date"
check bad-type 2 "$VIGIL" --db "$DB" events --type Fights
check unknown-admin1 3 "$VIGIL" --db "$DB" events --admin1 Narnia
check bad-format 2 "$VIGIL" --db "$DB" events --format xml
check no-db 3 "$VIGIL" --db "$T/none.db" events
expect_err no-db "vigil init"
printf 'not,an,acled,file\n1,2,3,4\n' > "$T/x.csv"
check wrong-header 4 "$VIGIL" --db "$DB" ingest acled "$T/x.csv"
expect_err wrong-header "missing column"
check no-file 3 "$VIGIL" --db "$DB" ingest acled "$T/missing.csv"
check demo 0 "$VIGIL" demo --dir "$T/demo"
expect_out demo "Events by region"
echo "cli_test: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
