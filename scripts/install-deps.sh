#!/usr/bin/env bash
# Installs what moyakko needs on Debian 12, only when something is missing.
# Usage: scripts/install-deps.sh [--test]   (--test adds what the test suite needs)
set -euo pipefail

packages=(g++ cmake ninja-build ccache pkg-config libboost-dev nlohmann-json3-dev libsqlite3-dev
  libpq-dev libsodium-dev liboath-dev libqrencode-dev libicu-dev libspdlog-dev libfmt-dev libcli11-dev
  libhowardhinnant-date-dev libgtest-dev libgmock-dev libcurl4-openssl-dev libmosquitto-dev libjemalloc-dev libexif-dev libcsv-dev tzdata ca-certificates curl
  python3)
if [ "${1:-}" = "--test" ]; then
  packages+=(postgresql-15 oathtool chromium fonts-ipafont-gothic fonts-liberation wrk libbenchmark-dev sqlite3
    python3-aiosmtpd mosquitto mosquitto-clients clang-14 libclang-rt-14-dev sqlmap)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js ≥ 18 builds the web UI (the tools are pinned to releases that support 18).
if ! command -v node >/dev/null || [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 18 ]; then
  missing+=(nodejs npm)
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
