#!/usr/bin/env bash
# Builds the server (build/moyakko, warnings as errors) and the web UI (web/dist).
set -euo pipefail
cd "$(dirname "$0")/.."

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMOYAKKO_WERROR=ON >/dev/null
ninja -C build

cd web
# npm ci only when the lock file changed since the last install.
if [ ! -f node_modules/.package-lock.json ] || ! cmp -s package-lock.json node_modules/.moyakko-lock; then
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json node_modules/.moyakko-lock
fi
npm run build --silent
