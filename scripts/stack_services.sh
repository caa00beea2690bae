#!/usr/bin/env bash
# Throwaway PostgreSQL 15 and Redis on private ports, for .ci/run and `make stack`.
#
#   scripts/stack_services.sh start    # install if missing, initdb into a temp dir, start both, wait until ready
#   scripts/stack_services.sh env      # print: export DATABASE_URL=... REDIS_URL=...
#   scripts/stack_services.sh status   # say what runs
#   scripts/stack_services.sh stop     # stop both and delete their data
#
# Use it as:  scripts/stack_services.sh start && eval "$(scripts/stack_services.sh env)"
#
# Nothing here touches a system cluster or the redis-server service: the data lives in
# $STACK_DIR, the servers listen on 127.0.0.1 only, on ports of their own:
#   STACK_PG_PORT (55432), STACK_REDIS_PORT (56379), STACK_DIR (/tmp/presidium-stack-<pg port>).
# The cluster is UTF-8 with the C.UTF-8 locale (pg_trgm needs a UTF-8 LC_CTYPE to index Chinese)
# and runs with fsync off: fast, and worthless after a crash, which is the point.
set -euo pipefail

PG_PORT="${STACK_PG_PORT:-55432}"
REDIS_PORT="${STACK_REDIS_PORT:-56379}"
STACK_DIR="${STACK_DIR:-/tmp/presidium-stack-${PG_PORT}}"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
DB_NAME=presidium
DB_USER=presidium
DB_PASSWORD=presidium
READY_TIMEOUT="${STACK_READY_TIMEOUT:-30}"  # seconds, for each server

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PGHOME="$STACK_DIR/pg"  # owned by the postgres user when run as root
PGDATA="$PGHOME/data"
PGSOCK="$PGHOME/sock"
PGLOG="$PGHOME/postgres.log"
REDIS_PID="$STACK_DIR/redis.pid"

log() { echo "[stack] $*" >&2; }

# initdb refuses to run as root: as root the cluster belongs to the postgres user.
as_pg() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

database_url() { echo "postgres://${DB_USER}:${DB_PASSWORD}@127.0.0.1:${PG_PORT}/${DB_NAME}"; }
redis_url() { echo "redis://127.0.0.1:${REDIS_PORT}/0"; }

pg_running() { [ -f "$PGDATA/postmaster.pid" ] && as_pg "$PG_BIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; }
redis_running() { [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null || true)" = PONG ]; }

# Poll until "$@" succeeds, at most READY_TIMEOUT seconds (a bounded loop, not a guess).
wait_for() {
    local what="$1"; shift
    local deadline=$((SECONDS + READY_TIMEOUT))
    until "$@" >/dev/null 2>&1; do
        if [ "$SECONDS" -ge "$deadline" ]; then
            log "$what not ready after ${READY_TIMEOUT}s"
            return 1
        fi
        sleep 0.1
    done
}

port_in_use() {
    # bash's /dev/tcp: a successful connect means somebody already listens there.
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

start_postgres() {
    if pg_running; then
        log "PostgreSQL already running on port $PG_PORT"
        return 0
    fi
    if port_in_use "$PG_PORT"; then
        log "port $PG_PORT is taken by another program; set STACK_PG_PORT"
        return 1
    fi
    rm -rf "$PGHOME"
    mkdir -p "$PGDATA" "$PGSOCK"
    if [ "$(id -u)" -eq 0 ]; then
        chown -R postgres:postgres "$PGHOME"
    fi
    chmod 0700 "$PGDATA"
    as_pg "$PG_BIN/initdb" -D "$PGDATA" -E UTF8 --locale=C.UTF-8 -U postgres \
        --auth-local=trust --auth-host=scram-sha-256 --no-sync >"$STACK_DIR/initdb.log" 2>&1 \
        || { cat "$STACK_DIR/initdb.log" >&2; return 1; }
    as_pg tee -a "$PGDATA/postgresql.conf" >/dev/null <<EOF

# --- throwaway cluster for tests (scripts/stack_services.sh) ---
port = $PG_PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$PGSOCK'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 100
# A cluster that lives for minutes needs no autovacuum, and an autovacuum worker on a freshly copied
# test database is a process the test role may not end: DROP DATABASE ... WITH (FORCE) then fails.
autovacuum = off
EOF
    as_pg "$PG_BIN/pg_ctl" -D "$PGDATA" -l "$PGLOG" -w -t "$READY_TIMEOUT" start >/dev/null \
        || { tail -n 30 "$PGLOG" >&2; return 1; }
    wait_for "PostgreSQL" "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"
    # CREATEDB: Django's test runner creates and drops test_presidium itself. pg_signal_backend: the
    # browser tests restore the demo snapshot with DROP DATABASE ... WITH (FORCE), which must be able to
    # end any session still on the database, whoever owns it.
    "$PG_BIN/psql" -q -h "$PGSOCK" -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 \
        -c "CREATE ROLE ${DB_USER} LOGIN CREATEDB PASSWORD '${DB_PASSWORD}'" \
        -c "GRANT pg_signal_backend TO ${DB_USER}" \
        -c "CREATE DATABASE ${DB_NAME} OWNER ${DB_USER}" >/dev/null
    log "PostgreSQL 15 ready on 127.0.0.1:$PG_PORT (data in $PGDATA)"
}

start_redis() {
    if redis_running; then
        log "Redis already running on port $REDIS_PORT"
        return 0
    fi
    if port_in_use "$REDIS_PORT"; then
        log "port $REDIS_PORT is taken by another program; set STACK_REDIS_PORT"
        return 1
    fi
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no \
        --daemonize yes --pidfile "$REDIS_PID" --logfile "$STACK_DIR/redis.log" --dir "$STACK_DIR"
    wait_for "Redis" redis_running || { tail -n 30 "$STACK_DIR/redis.log" >&2; return 1; }
    log "Redis ready on 127.0.0.1:$REDIS_PORT"
}

cmd_start() {
    bash "$HERE/system_packages.sh" stack
    mkdir -p "$STACK_DIR"
    chmod 0755 "$STACK_DIR"
    start_postgres
    start_redis
}

process_alive() { [ -n "$1" ] && kill -0 "$1" 2>/dev/null; }

cmd_stop() {
    if [ -f "$PGDATA/postmaster.pid" ]; then
        if as_pg "$PG_BIN/pg_ctl" -D "$PGDATA" -m fast -w -t "$READY_TIMEOUT" stop >/dev/null; then
            log "PostgreSQL stopped"
        else
            log "PostgreSQL did not stop cleanly"
        fi
    fi
    if [ -f "$REDIS_PID" ]; then
        local pid
        pid="$(cat "$REDIS_PID" 2>/dev/null || true)"
        if process_alive "$pid"; then
            kill "$pid"
            wait_for "Redis shutdown" bash -c "! kill -0 $pid" || kill -9 "$pid" 2>/dev/null || true
        fi
        log "Redis stopped"
    fi
    case "$STACK_DIR" in
        /tmp/*|"${TMPDIR:-/tmp}"/*) rm -rf "$STACK_DIR" ;;
        *) log "left $STACK_DIR in place (not under /tmp)" ;;
    esac
}

cmd_env() {
    echo "export DATABASE_URL=$(database_url) REDIS_URL=$(redis_url)"
}

cmd_status() {
    local rc=0
    if pg_running; then echo "postgresql: running on 127.0.0.1:$PG_PORT"; else echo "postgresql: stopped"; rc=1; fi
    if redis_running; then echo "redis: running on 127.0.0.1:$REDIS_PORT"; else echo "redis: stopped"; rc=1; fi
    return $rc
}

case "${1:-}" in
    start) cmd_start ;;
    stop) cmd_stop ;;
    env) cmd_env ;;
    status) cmd_status ;;
    *) echo "usage: $0 start|stop|env|status" >&2; exit 2 ;;
esac
