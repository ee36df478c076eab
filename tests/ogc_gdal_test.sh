#!/usr/bin/env bash
# GDAL's OAPIF driver (a standard OGC API - Features client) reads vigil's
# /ogc: the layer, its feature count, a spatial filter and an attribute filter.
set -u
VIGIL=$1
ROOT=$2
T=$(mktemp -d)
PID=
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
fail() { echo "FAIL $*"; exit 1; }
"$VIGIL" --db "$T/v.db" -q init >/dev/null || fail init
"$VIGIL" --db "$T/v.db" -q ingest jsonl "$ROOT/data/events/seed_events.jsonl" >/dev/null || fail ingest
printf 'name,type,lat,lon,radius_km\nDiamou plant,plant,14.08,-11.28,15\nBamako office,office,12.64,-8.0,5\n' >"$T/sites.csv"
"$VIGIL" --db "$T/v.db" -q site import "$T/sites.csv" >/dev/null || fail "site import"
"$VIGIL" --db "$T/v.db" serve --port 0 --public-read --no-dashboard >"$T/serve.out" 2>&1 &
PID=$!
for _ in $(seq 600); do grep -q "listening on" "$T/serve.out" && break; sleep 0.1; done  # slow under sanitizers
URL=$(grep -o 'http://127.0.0.1:[0-9]*' "$T/serve.out" | head -1)
[ -n "$URL" ] || fail "server did not start: $(cat "$T/serve.out")"
TOTAL=$(curl -sf "$URL/api/v1/stats" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"]["events"])')
export GDAL_HTTP_TIMEOUT=20 CPL_CURL_VERBOSE=NO
ogrinfo -ro -so "OAPIF:$URL/ogc" events >"$T/so" 2>&1 || fail "ogrinfo -so: $(cat "$T/so")"
grep -q "Geometry: Point" "$T/so" || fail "no Point geometry: $(cat "$T/so")"
N=$(ogrinfo -ro "OAPIF:$URL/ogc" events 2>/dev/null | grep -c '^OGRFeature')
[ "$N" -eq "$TOTAL" ] || fail "ogrinfo read $N features, the store has $TOTAL"
# Spatial filter (sent as bbox) around the Kayes region.
NK=$(ogrinfo -ro "OAPIF:$URL/ogc" events -spat -12.5 12.5 -9 15.5 2>/dev/null | grep -c '^OGRFeature')
WANT=$(curl -sf "$URL/ogc/collections/events/items?bbox=-12.5,12.5,-9,15.5&limit=10000" | python3 -c 'import json,sys; print(json.load(sys.stdin)["numberReturned"])')
[ "$NK" -eq "$WANT" ] && [ "$NK" -gt 0 ] && [ "$NK" -lt "$N" ] || fail "spatial filter: $NK features, expected $WANT (< $N)"
NB=$(ogrinfo -ro "OAPIF:$URL/ogc" events -where "event_type = 'Battles'" 2>/dev/null | grep -c '^OGRFeature')
[ "$NB" -gt 0 ] && [ "$NB" -lt "$N" ] || fail "attribute filter gave $NB of $N"
# GeoJSON export through GDAL, as a GIS user would.
ogr2ogr -f GeoJSON "$T/out.geojson" "OAPIF:$URL/ogc" events 2>"$T/ogr.err" || fail "ogr2ogr: $(cat "$T/ogr.err")"
python3 -c "import json,sys; d=json.load(open('$T/out.geojson')); assert len(d['features'])==$N, len(d['features'])" || fail "ogr2ogr output"
# The road hops and the sites, as layers of the same service.
ogrinfo -ro -so "OAPIF:$URL/ogc" roads >"$T/roads" 2>&1 || fail "ogrinfo roads: $(cat "$T/roads")"
grep -q "Geometry: Line String" "$T/roads" || fail "roads are not lines: $(cat "$T/roads")"
NR=$(ogrinfo -ro "OAPIF:$URL/ogc" roads 2>/dev/null | grep -c '^OGRFeature')
WANTR=$("$VIGIL" roads list --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["edges"])')
[ "$NR" -eq "$WANTR" ] || fail "ogrinfo read $NR road hops, the network has $WANTR"
NRK=$(ogrinfo -ro "OAPIF:$URL/ogc" roads -spat -12.5 12.5 -9 15.5 2>/dev/null | grep -c '^OGRFeature')
[ "$NRK" -gt 0 ] && [ "$NRK" -lt "$NR" ] || fail "roads spatial filter gave $NRK of $NR"
ogrinfo -ro "OAPIF:$URL/ogc" sites >"$T/sites" 2>&1 || fail "ogrinfo sites: $(cat "$T/sites")"
[ "$(grep -c '^OGRFeature' "$T/sites")" -eq 2 ] || fail "sites: $(cat "$T/sites")"
grep -q "Diamou plant" "$T/sites" && grep -q "POINT (-11.28 14.08)" "$T/sites" || fail "site attributes: $(cat "$T/sites")"
echo "ok: ogrinfo read $N features; bbox $NK; Battles $NB; ogr2ogr GeoJSON; $NR road hops (bbox $NRK); 2 sites"
