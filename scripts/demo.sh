#!/usr/bin/env bash
# Quick start: installs what is missing, builds, creates the demo town in an SQLite file
# (first run only) and serves it. Stop with Ctrl-C.
#   MOYAKKO_DB     database file (default ./moyakko.db)
#   MOYAKKO_LISTEN host:port     (default 127.0.0.1:8080)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh

db=${MOYAKKO_DB:-./moyakko.db}
listen=${MOYAKKO_LISTEN:-127.0.0.1:8080}
if [ -f "$db" ]; then
  echo "using the existing database $db (delete it for a fresh demo town)"
else
  build/moyakko demo --db "$db"
fi
echo
echo "Open http://$listen/ — on this machine the login page lists the demo logins with"
echo "their current one-time codes. Plain http is for local demos only; see docs/operations.md."
echo
exec build/moyakko serve --db "$db" --listen "$listen"
