#!/usr/bin/env bash
# clang-tidy (.clang-tidy: naming, bugprone, performance) on the C++ sources
# changed by the last commit (or by BASE..HEAD). Prints every finding; fails
# when clang-tidy reports an error (a finding promoted by
# WarningsAsErrors in .clang-tidy, or code it cannot parse).
set -uo pipefail
cd "$(dirname "$0")/.."
BASE=${BASE:-HEAD~1}
BUILD=${BUILD:-build}
if ! command -v clang-tidy >/dev/null; then
  echo "tidy: installing clang-tidy"; apt-get install -y -qq --no-install-recommends clang-tidy >/dev/null
fi
files=$(git diff --name-only --diff-filter=AM "$BASE" HEAD -- 'src/*.cpp' 2>/dev/null || true)
if [ -z "$files" ]; then echo "tidy: no changed C++ sources"; exit 0; fi
[ -f "$BUILD/compile_commands.json" ] || cmake -S . -B "$BUILD" -G Ninja >/dev/null
status=0
for f in $files; do
  out=$(clang-tidy -p "$BUILD" --quiet "$f" 2>/dev/null)
  [ -n "$out" ] && echo "$out"
  if echo "$out" | grep -q ' error: '; then status=1; fi
done
echo "tidy: checked $(echo "$files" | wc -w) files"
exit $status
