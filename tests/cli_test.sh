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
# The state database must be SQLite: a PostgreSQL one is refused before
# anything is created.
check init-pg-state 2 "$VIGIL" --db "$T/other.db" --state-db postgresql://u@127.0.0.1:1/x init
expect_err init-pg-state "state-db sqlite:///"
if [ -e "$T/other.db" ]; then echo "FAIL init-pg-state: created $T/other.db"; fails=$((fails+1)); else passes=$((passes+1)); fi
check ingest 0 "$VIGIL" --db "$DB" ingest jsonl "$ROOT/data/events/seed_events.jsonl"
check events-kayes 0 "$VIGIL" --db "$DB" events --admin1 kayes --format json
expect_out events-kayes '"count":14'
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
# Tables in French: columns, event types, notes and decimal commas.
check events-fr 0 "$VIGIL" --db "$DB" events --lang fr --limit 5
expect_out events-fr 'sous-type'
expect_out events-fr 'événements)'
check stats-fr 0 "$VIGIL" --db "$DB" stats --lang fr
expect_out stats-fr 'total par région'
expect_out stats-fr 'un bilan inconnu'
check bad-lang 2 "$VIGIL" --db "$DB" events --lang de
check geocode 0 "$VIGIL" --data-dir "$ROOT/data" geocode Farabougou --admin1 "Ségou" --format json
expect_out geocode '"admin1":"Ségou"'
# A place GeoNames leaves without a cercle gets the one its point falls in;
# a place's note (an approximate position) is shown.
expect_out geocode '"admin2":"Niono"'
check geocode-note 0 "$VIGIL" --data-dir "$ROOT/data" geocode Boulkessi
expect_out geocode-note 'note: '
check geocode-unknown 3 "$VIGIL" geocode Xqzvbnm
expect_err geocode-unknown "no place matches"
check bad-bbox 2 "$VIGIL" --db "$DB" events --bbox 10,10,5,5
expect_err bad-bbox "not a valid box"
# A box typed S,W,N,E: refused with the right order, not answered with nothing.
check swapped-bbox 2 "$VIGIL" --db "$DB" events --bbox 13,-12,15,-10
expect_err swapped-bbox "W,S,E,N (longitudes first), e.g. --bbox -12,13,-10,15"
# Mistyped commands and options name the closest ones.
check typo-command 2 "$VIGIL" --db "$DB" evnets
expect_err typo-command "did you mean 'events'"
check typo-option 2 "$VIGIL" --db "$DB" events --admin Kayes
expect_err typo-option "did you mean '--admin1' or '--admin2'"
check typo-subcommand 2 "$VIGIL" --db "$DB" roads shwo RN22
expect_err typo-subcommand "did you mean 'show'"
check typo-none 2 "$VIGIL" --db "$DB" xyzzy
expect_err typo-none "expected one of: init, ingest, events"
# Help shows real defaults, never the sentinels behind "not given".
for c in events forecast "site add" demo; do
  check "help-$c" 0 "$VIGIL" $c --help
  if grep -qE '=(-1|1000)( |$)' "$T/out"; then echo "FAIL help-$c shows a sentinel default"; grep -E '=(-1|1000)( |$)' "$T/out"; fails=$((fails+1)); else passes=$((passes+1)); fi
done
# An actor alias finds the name the data uses.
check actor-army 0 "$VIGIL" --db "$DB" events --actor "Military Forces of Mali" --format jsonl
army=$(wc -l < "$T/out")
check actor-fama 0 "$VIGIL" --db "$DB" events --actor FAMa --format jsonl
[ "$army" -gt 0 ] && [ "$(wc -l < "$T/out")" -eq "$army" ] && passes=$((passes+1)) || { echo "FAIL actor alias: FAMa $(wc -l < "$T/out"), army $army"; fails=$((fails+1)); }
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
check demo 0 "$VIGIL" demo --dir "$T/demo" --no-serve
expect_out demo "Events by region"
expect_out demo "alert A-1 (Severe)"
# The simulated database says so; the real one does not.
check stats-simulated 0 "$VIGIL" --db "$T/demo/simulated.db" stats
expect_out stats-simulated "SIMULATED DATA"
check stats-real 0 "$VIGIL" --db "$T/demo/vigil.db" stats
if grep -q "SIMULATED" "$T/out"; then echo "FAIL stats-real says SIMULATED"; fails=$((fails+1)); else passes=$((passes+1)); fi
# The demo's dashboard: up, answering, then stopped by itself.
"$VIGIL" demo --dir "$T/demo2" --port 0 --serve-seconds 4 < /dev/null > "$T/demo2.out" 2>&1 &
DEMO_PID=$!
URL=  # waits up to 2 minutes: the sanitizer build prepares the demo slowly
for _ in $(seq 1200); do URL=$(grep -o 'http://127.0.0.1:[0-9]*' "$T/demo2.out" | head -1); [ -n "$URL" ] && break; sleep 0.1; done
if [ -n "$URL" ] && curl -sf "$URL/healthz" | grep -q '"status":"ok"' && grep -q "sign in as demo / " "$T/demo2.out"; then
  passes=$((passes+1)); else echo "FAIL demo dashboard: $(cat "$T/demo2.out" | tail -5)"; fails=$((fails+1)); fi
if wait "$DEMO_PID"; then passes=$((passes+1)); else echo "FAIL demo did not stop cleanly"; fails=$((fails+1)); fi
# The server's schedule: at start, last week's brief of every region with
# events, in English and French, kept in the database.
"$VIGIL" --db "$T/demo/vigil.db" serve --port 0 --no-dashboard --briefs-every 3600 > "$T/serve.out" 2> "$T/serve.err" &
SERVE_PID=$!
for _ in $(seq 1200); do grep -q "weekly brief" "$T/serve.err" && break; sleep 0.1; done
kill "$SERVE_PID"; wait "$SERVE_PID" 2>/dev/null
NBRIEFS=$(sqlite3 "$T/demo/vigil.db" "SELECT count(*) FROM sitreps")
if [ "${NBRIEFS:-0}" -gt 0 ] && [ $((NBRIEFS % 2)) -eq 0 ] && grep -q "wrote $NBRIEFS weekly brief" "$T/serve.err"; then
  passes=$((passes+1)); else echo "FAIL server weekly briefs: $NBRIEFS kept; $(tail -3 "$T/serve.err")"; fails=$((fails+1)); fi
# Forecasting commands on a small simulated catalogue.
MDB="$T/m.db"
check m-init 0 "$VIGIL" --db "$MDB" init -q
check simulate 0 "$VIGIL" simulate --params "$ROOT/data/models/sahel_simulation.json" --from 2019-01-01 --to 2021-01-01 --seed 3 --output "$T/sim.jsonl"
check sim-ingest 0 "$VIGIL" --db "$MDB" -q ingest jsonl "$T/sim.jsonl"
check fit 0 "$VIGIL" --db "$MDB" fit --as-of 2020-12-01 --window 18m --format json
expect_out fit '"branching_ratio"'
expect_out fit '"half_life_days"'
check forecast-csv 0 "$VIGIL" --db "$MDB" forecast --as-of 2020-12-01 --window 18m --horizon 30 --level cell --format csv
[ "$(head -1 "$T/out")" = "gid,lat,lon,expected_count,p_any,admin1,admin2" ] && passes=$((passes+1)) || { echo "FAIL forecast csv header: $(head -1 "$T/out")"; fails=$((fails+1)); }
# Highest first in every format.
tail -n +2 "$T/out" | cut -d, -f4 | sort -g -r -c && passes=$((passes+1)) || { echo "FAIL forecast csv not sorted"; fails=$((fails+1)); }
[ "$(wc -l < "$T/out")" -eq 498 ] && passes=$((passes+1)) || { echo "FAIL forecast rows $(wc -l < "$T/out")"; fails=$((fails+1)); }
check forecast-fr 0 "$VIGIL" --db "$MDB" forecast --as-of 2020-12-01 --window 18m --horizon 30 --level admin1 --lang fr
expect_out forecast-fr 'prévision hawkes, 30 jours'
grep -Eq '^[^ ].* [0-9]+,[0-9]{3} +[0-9]+,[0-9]{3}$' "$T/out" && passes=$((passes+1)) || { echo "FAIL forecast-fr: no decimal commas"; fails=$((fails+1)); }
check forecast-point 0 "$VIGIL" --db "$MDB" forecast --as-of 2020-12-01 --window 18m --level point --lat 14.49 --lon -4.19 --radius-km 30 --format json
expect_out forecast-point '"p_any"'
check forecast-geojson 0 "$VIGIL" --db "$MDB" forecast --as-of 2020-12-01 --window 18m --level admin1 --model historical --format geojson
expect_out forecast-geojson 'FeatureCollection'
check backtest 0 "$VIGIL" --db "$MDB" backtest --from 2020-09-01 --to 2020-12-01 --step 30 --horizon 30 --window 18m --report "$T/bt.md" --format json
expect_out backtest '"brier_skill_vs_persistence"'
grep -q "Reliability" "$T/bt.md" && passes=$((passes+1)) || { echo "FAIL backtest report"; fails=$((fails+1)); }
check bad-model 2 "$VIGIL" --db "$MDB" forecast --as-of 2020-12-01 --model magic
check bad-window 2 "$VIGIL" --db "$MDB" fit --as-of 2020-12-01 --window 5x
check bad-level 2 "$VIGIL" --db "$MDB" forecast --as-of 2020-12-01 --level planet
check too-few 2 "$VIGIL" --db "$MDB" fit --as-of 2010-01-01 --window 90d
expect_err too-few "too few events"
echo '{"mu": 1, "kappa": 1.5}' > "$T/bad.json"
check explosive 2 "$VIGIL" simulate --params "$T/bad.json" --from 2020-01-01 --to 2020-02-01
expect_err explosive "branching ratio"
# Roads (docs/corridors.md).
check roads-list 0 "$VIGIL" roads list
expect_out roads-list 'BKO-DKR'
check roads-show-geojson 0 "$VIGIL" roads show RN1 --format geojson
expect_out roads-show-geojson '"LineString"'
check roads-unknown 3 "$VIGIL" roads show RN99
check corridors-before 0 "$VIGIL" --db "$DB" corridors --as-of 2024-09-01 --format json
if grep -q '"status":"blockaded"\|"status":"disrupted"' "$T/out"; then echo "FAIL corridors open before 2024-09"; fails=$((fails+1)); else passes=$((passes+1)); fi
check corridors-july 0 "$VIGIL" --db "$DB" corridors --as-of 2025-07-20 --lang fr
expect_out corridors-july 'RN22 *bloqué'
check route-no-snapshot 3 "$VIGIL" --db "$DB" route Bamako Kayes
expect_err route-no-snapshot 'vigil fit'
check route 0 "$VIGIL" --db "$MDB" route Bamako Mopti --alternatives 2 --format json
expect_out route '"p_any"'
[ "$(grep -o '"rank"' "$T/out" | wc -l)" -eq 3 ] && passes=$((passes+1)) || { echo "FAIL route alternatives"; fails=$((fails+1)); }
check route-avoid 0 "$VIGIL" --db "$MDB" route Bamako Sévaré --avoid Fana-Konobougou --alternatives 0 --format geojson
if grep -q '"Konobougou"' "$T/out"; then echo "FAIL route-avoid crosses the avoided hop"; fails=$((fails+1)); else passes=$((passes+1)); fi
expect_out route-avoid '"Koutiala"'
check route-avoid-all 3 "$VIGIL" --db "$MDB" route Bamako Sévaré --avoid RN6
expect_err route-avoid-all 'without the roads to avoid'
check route-latlon 0 "$VIGIL" --db "$MDB" route 12.66,-7.99 Sikasso --alternatives 0
check route-nowhere 3 "$VIGIL" --db "$MDB" route Atlantis Kayes
check route-bad-avoid 3 "$VIGIL" --db "$MDB" route Bamako Kayes --avoid Nowhere-Road
check roads-risk 0 "$VIGIL" --db "$MDB" roads risk --horizon 30 --format json
expect_out roads-risk '"per_100km"'
cat > "$T/lines.geojson" <<'GJ'
{"type":"FeatureCollection","features":[
 {"type":"Feature","properties":{"ref":"N1"},"geometry":{"type":"LineString","coordinates":[[-8.0,12.65],[-8.5,13.0],[-9.0,13.5]]}},
 {"type":"Feature","properties":{"ref":"N2"},"geometry":{"type":"LineString","coordinates":[[-8.5,13.0],[-8.2,13.6],[-9.0,13.5]]}}]}
GJ
check roads-import 0 "$VIGIL" --db "$MDB" roads import "$T/lines.geojson" --format json
expect_out roads-import '"edges":3'
check roads-imported-list 0 "$VIGIL" --db "$MDB" roads list --format json
expect_out roads-imported-list '"route":"N2"'
check route-imported 0 "$VIGIL" --db "$MDB" route 12.65,-8.0 13.5,-9.0 --alternatives 1 --format json
[ "$(grep -o '"rank"' "$T/out" | wc -l)" -eq 2 ] && passes=$((passes+1)) || { echo "FAIL imported route alternatives"; fails=$((fails+1)); }
echo '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[0,1]}}]}' > "$T/points.geojson"
check roads-import-points 2 "$VIGIL" --db "$MDB" roads import "$T/points.geojson"
expect_err roads-import-points 'no LineString'
check roads-bundled 0 "$VIGIL" --db "$MDB" roads use-bundled
check roads-bundled-list 0 "$VIGIL" --db "$MDB" roads list
expect_out roads-bundled-list 'BKO-DKR'
# Sites (docs/sites.md).
check site-list-empty 0 "$VIGIL" --db "$MDB" site list
expect_out site-list-empty 'no sites yet'
check site-add 0 "$VIGIL" --db "$MDB" site add "Sévaré depot" --at 14.53,-4.10 --type warehouse --radius-km 20
check site-add-dup 8 "$VIGIL" --db "$MDB" site add "sevare DEPOT" --at 14.5,-4.1
expect_err site-add-dup 'exists already'
check site-add-badtype 2 "$VIGIL" --db "$MDB" site add Depot2 --at 14.5,-4.1 --type bakery
check site-add-nowhere 2 "$VIGIL" --db "$MDB" site add Depot3
expect_err site-add-nowhere '--at LAT,LON'
printf 'name,type,lat,lon,radius_km\nKoutiala office,office,12.39,-5.46,10\nBroken,mine,north,-5,10\n' > "$T/sites.csv"
check site-import-bad 2 "$VIGIL" --db "$MDB" site import "$T/sites.csv"
expect_err site-import-bad 'line 3'
check site-list-after-bad 0 "$VIGIL" --db "$MDB" site list --format json
if grep -q 'Koutiala office' "$T/out"; then echo "FAIL site import kept half a file"; fails=$((fails+1)); else passes=$((passes+1)); fi
printf 'name,type,lat,lon\nKoutiala office,office,12.39,-5.46\n' > "$T/sites.csv"
check site-import 0 "$VIGIL" --db "$MDB" site import "$T/sites.csv"
check site-show 0 "$VIGIL" --db "$MDB" site show "Sévaré depot" --format json
expect_out site-show '"forecast":\[{"horizon_days":7'
expect_out site-show '"trend"'
check site-show-fr 0 "$VIGIL" --db "$MDB" site show 1 --lang fr
expect_out site-show-fr 'Corridors qui desservent le site'
check site-exposure 0 "$VIGIL" --db "$MDB" site list --exposure --format geojson
expect_out site-exposure '"Point"'
check site-show-missing 3 "$VIGIL" --db "$MDB" site show Atlantis
check site-remove 0 "$VIGIL" --db "$MDB" site remove "Koutiala office"
check site-remove-again 3 "$VIGIL" --db "$MDB" site remove "Koutiala office"
# Reports.
check extract 0 "$VIGIL" extract "$ROOT/../shared/seeds/001_195fcfe3db870911.txt"
expect_out extract '"location":"Diboli"'
check extract-stdin 0 bash -c "echo 'On 3 March 2025, gunmen attacked a military post in Niono.' | '$VIGIL' extract - --doc t"
expect_out extract-stdin '"date":"2025-03-03"'
printf '\x00\x01binary' > "$T/bin.txt"
check extract-binary 4 "$VIGIL" extract "$T/bin.txt"
check eval-extract 0 "$VIGIL" eval extract --gold "$ROOT/../shared/gold/seeds_gold.jsonl" --docs "$ROOT/../shared/seeds" --format json
expect_out eval-extract '"f1"'
DEV="$ROOT/../shared/devset"
check eval-devset 0 "$VIGIL" eval extract --gold "$DEV/gold/dev_gold.jsonl" --docs "$DEV/texts" --places "$DEV/gold/places.csv" --verbose
expect_out eval-devset 'documents 30, gold events 51'
expect_out eval-devset 'dev_30.txt:'
check eval-devset-odd 0 "$VIGIL" eval extract --gold "$DEV/gold/dev_gold.jsonl" --docs "$DEV/texts" --half odd
expect_out eval-devset-odd 'documents 15 (odd half)'
check eval-bad-half 2 "$VIGIL" eval extract --gold "$DEV/gold/dev_gold.jsonl" --docs "$DEV/texts" --half third
check ingest-reports 0 "$VIGIL" --db "$DB" ingest reports "$ROOT/../shared/seeds" --format json
expect_out ingest-reports '"corroborating"'
echo "cli_test: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
