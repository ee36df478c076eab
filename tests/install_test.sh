#!/usr/bin/env bash
# `make install` and `make deb` put vigil where a user finds it: installs the
# build tree into a scratch prefix and checks the installed binary reads the
# installed data and dashboard (not the source tree's), geocodes, creates a
# database and serves the dashboard's page and vendor files; then builds
# the .deb with CPack and checks the package holds the same, its binary runs
# from the unpacked tree, and its dependencies name the shared libraries'
# packages.
# usage: install_test.sh BUILD_DIR
set -euo pipefail
BUILD=$(cd "$1" && pwd)
WORK=$(mktemp -d)
PID=""
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }

cmake --install "$BUILD" --prefix "$WORK/prefix" --strip >/dev/null
V="$WORK/prefix/bin/vigil"
[ -x "$V" ] || fail "no installed binary"
cd "$WORK"
info=$(env -u VIGIL_DATA -u VIGIL_WEB "$V" info)
echo "$info"
grep -q "^reference data  $WORK/prefix/share/vigil/data$" <<<"$info" || fail "the installed binary does not read the installed data"
grep -q "^dashboard       $WORK/prefix/share/vigil/web$" <<<"$info" || fail "the installed binary does not serve the installed dashboard"
# Outputs are read whole before grep: with pipefail, a grep -q that stops
# reading early would fail the pipeline on the writer's SIGPIPE.
grep -q "^vigil [0-9]" <<<"$("$V" --version)" || fail "--version"
grep -q "Farabougou" <<<"$(env -u VIGIL_DATA "$V" geocode Farabougou --admin1 Ségou)" || fail "geocode with the installed data"
env -u VIGIL_DATA "$V" --db "$WORK/v.db" -q init >/dev/null || fail "init"
[ -f "$WORK/prefix/share/doc/vigil/NOTICE" ] || fail "NOTICE not installed"

# The dashboard from the installed copy.
env -u VIGIL_WEB "$V" --db "$WORK/v.db" serve --port 0 --public-read --briefs-every 0 >"$WORK/serve.log" 2>&1 &
PID=$!
for _ in $(seq 100); do grep -q "listening on" "$WORK/serve.log" && break; sleep 0.1; done
BASE=$(grep -o 'http://127.0.0.1:[0-9]*' "$WORK/serve.log" | head -1)
[ -n "$BASE" ] || fail "serve did not start: $(cat "$WORK/serve.log")"
grep -q "<title>vigil" <<<"$(curl -sf "$BASE/")" || fail "index.html"
curl -sf -o /dev/null "$BASE/vendor/leaflet/dist/leaflet.js" || fail "Leaflet from the installed dashboard"
curl -sf -o /dev/null "$BASE/app.js" || fail "app.js"
kill "$PID"; wait "$PID" 2>/dev/null || true; PID=""

# The Debian package.
(cd "$BUILD" && cpack -G DEB -B "$WORK/deb" >/dev/null 2>"$WORK/cpack.err") || fail "cpack: $(cat "$WORK/cpack.err")"
DEB=$(ls "$WORK"/deb/vigil_*.deb | head -1)
[ -f "$DEB" ] || fail "no .deb"
files=$(dpkg-deb -c "$DEB")
grep -q "\./usr/bin/vigil$" <<<"$files" || fail "the package has no /usr/bin/vigil"
grep -q "\./usr/share/vigil/data/gazetteer/geonames_ML.csv$" <<<"$files" || fail "the package has no data"
grep -q "\./usr/share/vigil/web/node_modules/leaflet/dist/leaflet.js$" <<<"$files" || fail "no Leaflet"
if grep -q "playwright" <<<"$files"; then fail "the test's browser driver is packaged"; fi
deps=$(dpkg-deb -f "$DEB" Depends)
echo "Depends: $deps"
for lib in libsqlite3 libicu fonts-dejavu-core; do grep -q "$lib" <<<"$deps" || fail "Depends lacks $lib"; done
dpkg-deb -x "$DEB" "$WORK/root"
grep -q "^reference data  $WORK/root/usr/share/vigil/data$" <<<"$(env -u VIGIL_DATA -u VIGIL_WEB "$WORK/root/usr/bin/vigil" info)" \
  || fail "the packaged binary does not read the packaged data"
echo "install_test: ok ($(du -h "$DEB" | cut -f1) package)"
