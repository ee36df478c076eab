#!/usr/bin/env bash
# Installs what vigil needs to build, test and run on Debian 12.
# Idempotent and non-interactive: packages already present are skipped, so a
# second run costs one dpkg query. Must run as root (or with sudo available).
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config
  libsqlite3-dev sqlite3
  libicu-dev
  libcli11-dev nlohmann-json3-dev libfmt-dev
  libre2-dev
  libxgboost-dev
  libboost1.81-dev libcpp-httplib-dev libsodium-dev libzstd-dev zlib1g-dev libjemalloc-dev libxxhash-dev
  chromium fonts-dejavu-core gdal-bin wrk curl
  libcairo2-dev libpango1.0-dev poppler-utils
  libtomlplusplus-dev libxml2-dev libxml2-utils libcurl4-openssl-dev python3 python3-aiosmtpd clang clang-tidy
  libgtest-dev libgmock-dev libbenchmark-dev
  libopenmpi-dev openmpi-bin
  postgresql-15 postgresql-15-postgis-3 libpq-dev
)

# Node.js and npm for the dashboard's packages and browser tests: the
# machine's own when present (any Node >= 18), else Debian's.
if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
  PACKAGES+=(nodejs npm)
fi

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "install-deps: missing packages (${missing[*]}) and not root; run as root" >&2
    exit 1
  fi
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
