#!/usr/bin/env bash
# Debian's PostgreSQL for CI: role `portal` (password `portal`, CREATEDB) and database `portal`.
#
#   scripts/ci/postgres.sh start    install if needed, start the cluster, create role and db
#   scripts/ci/postgres.sh stop     stop the cluster
#   scripts/ci/postgres.sh status   exit 0 when the cluster accepts connections
#   scripts/ci/postgres.sh url      print the DATABASE_URL
#
# Idempotent: re-running `start` leaves a running cluster, role and database as they are
# (it re-sets the role's password and CREATEDB).
set -euo pipefail
# shellcheck source=scripts/ci/lib.sh
. "$(dirname "$(readlink -f "$0")")/lib.sh"

PG_ROLE=portal
PG_PASSWORD=portal
PG_DATABASE=portal

# Sets PG_VERSION, PG_CLUSTER, PG_PORT from pg_lsclusters (the newest version's "main",
# or the newest cluster), or returns 1 when there is no cluster.
find_cluster() {
    local line
    command -v pg_lsclusters >/dev/null 2>&1 || return 1
    line=$(pg_lsclusters -h 2>/dev/null | awk '$2 == "main"' | sort -V | tail -n 1)
    [ -n "$line" ] || line=$(pg_lsclusters -h 2>/dev/null | sort -V | tail -n 1)
    [ -n "$line" ] || return 1
    read -r PG_VERSION PG_CLUSTER PG_PORT _ <<<"$line"
}

cluster_status() {
    pg_lsclusters -h | awk -v v="$PG_VERSION" -v c="$PG_CLUSTER" '$1 == v && $2 == c {print $4}'
}

psql_admin() {
    as_user postgres psql -X -q -v ON_ERROR_STOP=1 -p "$PG_PORT" "$@"
}

url() {
    printf 'postgres://%s:%s@127.0.0.1:%s/%s\n' "$PG_ROLE" "$PG_PASSWORD" "$PG_PORT" "$PG_DATABASE"
}

cmd_start() {
    apt_ensure postgresql
    if ! find_cluster; then
        local ver
        ver=$(find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' 2>/dev/null \
            | sort -V | tail -n 1)
        [ -n "$ver" ] || die "postgresql is installed but no server version is in /usr/lib/postgresql"
        log "postgres: creating cluster $ver/main"
        as_root pg_createcluster "$ver" main >/dev/null
        find_cluster || die "pg_createcluster $ver main did not create a cluster"
    fi
    log "postgres: cluster $PG_VERSION/$PG_CLUSTER on port $PG_PORT"

    if [ "$(cluster_status)" != "online" ]; then
        log "postgres: starting cluster $PG_VERSION/$PG_CLUSTER"
        as_root pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" start \
            || die "could not start PostgreSQL $PG_VERSION/$PG_CLUSTER; log: $(
                tail -n 20 "/var/log/postgresql/postgresql-$PG_VERSION-$PG_CLUSTER.log" 2>/dev/null)"
    fi
    wait_for "PostgreSQL on 127.0.0.1:$PG_PORT" 60 pg_isready -q -h 127.0.0.1 -p "$PG_PORT" \
        || die "PostgreSQL does not accept connections on 127.0.0.1:$PG_PORT"

    psql_admin -d postgres <<SQL
DO \$\$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$PG_ROLE') THEN
        ALTER ROLE $PG_ROLE WITH LOGIN CREATEDB PASSWORD '$PG_PASSWORD';
    ELSE
        CREATE ROLE $PG_ROLE WITH LOGIN CREATEDB PASSWORD '$PG_PASSWORD';
    END IF;
END
\$\$;
SQL
    if [ "$(psql_admin -d postgres -tA -c \
        "SELECT 1 FROM pg_database WHERE datname = '$PG_DATABASE'")" != "1" ]; then
        log "postgres: creating database $PG_DATABASE"
        psql_admin -d postgres -c "CREATE DATABASE $PG_DATABASE OWNER $PG_ROLE"
    fi
    # Check the way the tests connect: over TCP with the password.
    PGPASSWORD="$PG_PASSWORD" psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U "$PG_ROLE" \
        -d "$PG_DATABASE" -tA -c 'SELECT 1' >/dev/null \
        || die "cannot log in as $PG_ROLE over TCP at 127.0.0.1:$PG_PORT (check pg_hba.conf)"
    log "postgres: ready at $(url | sed 's/:[^:@]*@/:***@/')"
}

cmd_stop() {
    if ! find_cluster; then
        log "postgres: no cluster, nothing to stop"
        return 0
    fi
    if [ "$(cluster_status)" = "online" ]; then
        log "postgres: stopping cluster $PG_VERSION/$PG_CLUSTER"
        as_root pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" stop -m fast
    else
        log "postgres: cluster $PG_VERSION/$PG_CLUSTER is not running"
    fi
}

cmd_status() {
    if find_cluster && [ "$(cluster_status)" = "online" ] \
        && pg_isready -q -h 127.0.0.1 -p "$PG_PORT"; then
        log "postgres: cluster $PG_VERSION/$PG_CLUSTER is running on port $PG_PORT"
        return 0
    fi
    log "postgres: not running"
    return 3
}

case "${1:-start}" in
start) cmd_start ;;
stop) cmd_stop ;;
status) cmd_status ;;
url)
    find_cluster || die "no PostgreSQL cluster (run: $0 start)"
    url
    ;;
*) die "usage: $0 start|stop|status|url" ;;
esac
