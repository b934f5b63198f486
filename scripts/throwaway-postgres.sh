#!/usr/bin/env bash
# Throwaway PostgreSQL 15 cluster for tests, under /tmp, on a free loopback port.
#   source scripts/throwaway-postgres.sh; pg_start; …; pg_stop
# pg_start exports MOYAKKO_TEST_PG_URL; pg_stop stops only the cluster it started.
PGBIN=/usr/lib/postgresql/15/bin

free_port() { /usr/bin/python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }

pg_start() {
  PG_PORT=$(free_port)
  PG_DIR=$(mktemp -d /tmp/moyakko-pg.XXXXXX)
  chown postgres: "$PG_DIR"
  (cd /tmp && runuser -u postgres -- "$PGBIN/initdb" -D "$PG_DIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null)
  (cd /tmp && runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w -t 30 start -o \
    "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=on -c synchronous_commit=on -c max_connections=200" >/dev/null)
  export MOYAKKO_TEST_PG_URL="postgresql://postgres@127.0.0.1:$PG_PORT/postgres"
  echo "throwaway PostgreSQL on port $PG_PORT ($PG_DIR)"
}

pg_stop() {
  [ -n "${PG_DIR:-}" ] || return 0
  (cd /tmp && runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null) || true
  rm -rf "$PG_DIR"
  PG_DIR=
}
