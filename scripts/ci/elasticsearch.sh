#!/usr/bin/env bash
# A single-node Elasticsearch for CI on 127.0.0.1:9200 (security off, small heap).
#
#   scripts/ci/elasticsearch.sh install   fetch (Maven) and unpack the node into the cache
#   scripts/ci/elasticsearch.sh start     install if needed, start, wait until it answers
#   scripts/ci/elasticsearch.sh stop      stop the node (waits until it has exited)
#   scripts/ci/elasticsearch.sh restart   stop, then start
#   scripts/ci/elasticsearch.sh status    exit 0 when the node answers, 3 when it does not
#   scripts/ci/elasticsearch.sh wipe      stop, and delete the node's data and logs
#   scripts/ci/elasticsearch.sh url       print the ELASTICSEARCH_URL
#
# The node is the integ-test-zip distribution from Maven Central: no bundled JDK (it runs on
# the machine's Java 17 or 21) and only a few modules (no analysis-common: that is expected).
# Elasticsearch refuses to run as root, so as root the node runs as the system user $ES_USER,
# from a copy of the cached node under $ES_RUN_DIR that the user owns.
#
# Settings (environment): ES_VERSION (8.19.21), ES_PORT (9200), ES_HEAP (512m),
# ES_USER (elastic), ES_RUN_DIR (/var/tmp/bosettingsportalen-es), ES_START_TIMEOUT (120),
# ES_JAVA_HOME (detected).
set -euo pipefail
# shellcheck source=scripts/ci/lib.sh
. "$(dirname "$(readlink -f "$0")")/lib.sh"

ES_VERSION="${ES_VERSION:-8.19.21}"
ES_PORT="${ES_PORT:-9200}"
ES_HEAP="${ES_HEAP:-512m}"
ES_USER="${ES_USER:-elastic}"
ES_START_TIMEOUT="${ES_START_TIMEOUT:-120}"
ES_RUN_DIR="${ES_RUN_DIR:-/var/tmp/bosettingsportalen-es}"
ES_ARTIFACT="org.elasticsearch.distribution.integ-test-zip:elasticsearch:${ES_VERSION}:zip"
ES_URL="http://127.0.0.1:${ES_PORT}"

ZIP="$CI_CACHE_DIR/downloads/elasticsearch-${ES_VERSION}.zip"
CACHED_NODE="$CI_CACHE_DIR/elasticsearch-${ES_VERSION}"
NODE="$ES_RUN_DIR/elasticsearch-${ES_VERSION}"
DATA="$ES_RUN_DIR/data"
LOGS="$ES_RUN_DIR/logs"
PIDFILE="$ES_RUN_DIR/elasticsearch.pid"
CLUSTER_NAME=bosettingsportalen-ci

# Which user runs the node: ourselves, unless we are root.
run_user() {
    if is_root; then echo "$ES_USER"; else id -un; fi
}

find_java_home() {
    if [ -n "${ES_JAVA_HOME:-}" ]; then
        [ -x "$ES_JAVA_HOME/bin/java" ] || die "ES_JAVA_HOME=$ES_JAVA_HOME has no bin/java"
        echo "$ES_JAVA_HOME"
        return
    fi
    local arch dir
    arch=$(dpkg --print-architecture 2>/dev/null || echo amd64)
    # Prefer Debian's OpenJDK 17 or 21, then any other JDK 17/21 (Temurin, ...).
    for dir in "/usr/lib/jvm/java-17-openjdk-$arch" "/usr/lib/jvm/java-21-openjdk-$arch" \
        /usr/lib/jvm/*-17-* /usr/lib/jvm/*-17 /usr/lib/jvm/*-21-* /usr/lib/jvm/*-21; do
        if [ -x "$dir/bin/java" ]; then
            readlink -f "$dir"
            return
        fi
    done
    return 1
}

ensure_java() {
    JAVA_HOME_FOR_ES=$(find_java_home) || {
        apt_ensure openjdk-17-jre-headless
        JAVA_HOME_FOR_ES=$(find_java_home) || die "no Java 17 or 21 found in /usr/lib/jvm"
    }
}

cmd_install() {
    ensure_java
    if is_cached "$CACHED_NODE"; then
        log "elasticsearch: $ES_VERSION is cached in $CACHED_NODE"
        return 0
    fi
    apt_ensure maven unzip curl
    mkdir -p "$CI_CACHE_DIR/downloads"
    if [ ! -s "$ZIP" ]; then
        local out
        out=$(cache_tmpdir mvn)
        # Run from the empty temp dir, so that no pom.xml is picked up.
        JAVA_HOME="$JAVA_HOME_FOR_ES" maven_fetch "$ES_ARTIFACT" "$out" \
            dependency:copy -Dartifact="$ES_ARTIFACT" -DoutputDirectory="$out"
        [ -s "$out/elasticsearch-${ES_VERSION}.zip" ] \
            || die "Maven did not fetch $ES_ARTIFACT into $out"
        mv "$out/elasticsearch-${ES_VERSION}.zip" "$ZIP"
        rm -rf "$out"
        # Keep Maven's plugins cached, but not a second copy of the 100 MB zip.
        rm -rf "$CI_CACHE_DIR/m2/org/elasticsearch/distribution/integ-test-zip/elasticsearch/$ES_VERSION"
    fi
    log "elasticsearch: unpacking $(basename "$ZIP")"
    local tmp
    tmp=$(cache_tmpdir unpack)
    unzip -q "$ZIP" -d "$tmp" || {
        rm -rf "$tmp" "$ZIP"
        die "could not unpack $ZIP (deleted it; re-run to fetch it again)"
    }
    [ -x "$tmp/elasticsearch-${ES_VERSION}/bin/elasticsearch" ] \
        || die "unexpected zip layout: no elasticsearch-${ES_VERSION}/bin/elasticsearch in $ZIP"
    cache_put "$tmp/elasticsearch-${ES_VERSION}" "$CACHED_NODE"
    rm -rf "$tmp"
}

ensure_user() {
    is_root || return 0
    if ! getent passwd "$ES_USER" >/dev/null; then
        log "elasticsearch: creating system user $ES_USER"
        useradd --system --user-group --no-create-home --home-dir /nonexistent \
            --shell /usr/sbin/nologin "$ES_USER"
    fi
    [ "$(id -u "$ES_USER")" -ne 0 ] || die "ES_USER=$ES_USER is root; Elasticsearch refuses to run as root"
}

# Copy the cached node to $NODE (owned by the user who runs it) and write its config.
prepare_node() {
    local user
    user=$(run_user)
    mkdir -p "$ES_RUN_DIR" "$DATA" "$LOGS"
    if [ ! -f "$NODE/.complete" ]; then
        log "elasticsearch: copying the node to $NODE"
        rm -rf "$NODE" "$NODE.tmp"
        cp -a "$CACHED_NODE" "$NODE.tmp"
        mv "$NODE.tmp" "$NODE"
    fi
    cat >"$NODE/config/elasticsearch.yml" <<YAML
# Written by scripts/ci/elasticsearch.sh; rewritten on every start.
cluster.name: $CLUSTER_NAME
node.name: ci-node
discovery.type: single-node
network.host: 127.0.0.1
http.port: $ES_PORT
path.data: $DATA
path.logs: $LOGS
xpack.security.enabled: false
cluster.routing.allocation.disk.threshold_enabled: false
action.destructive_requires_name: false
YAML
    if is_root; then
        chown -R "$user:" "$ES_RUN_DIR"
        chmod 755 "$ES_RUN_DIR"
    fi
}

# True when the pidfile names a live Elasticsearch process (not a recycled pid).
pid_alive() {
    local pid
    [ -s "$PIDFILE" ] || return 1
    pid=$(cat "$PIDFILE")
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
    [[ "$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" == *org.elasticsearch* ]]
}

answers() {
    local body
    body=$(curl -fsS --max-time 5 "$ES_URL/_cluster/health" 2>/dev/null) || return 1
    [[ "$body" == *'"status"'* ]]
}

log_tail() {
    local f
    for f in "$LOGS/$CLUSTER_NAME.log" "$LOGS/console.log"; do
        if [ -s "$f" ]; then
            echo "----- last lines of $f -----" >&2
            tail -n 60 "$f" >&2
        fi
    done
}

cmd_start() {
    if pid_alive && answers; then
        log "elasticsearch: already running (pid $(cat "$PIDFILE")) at $ES_URL"
        return 0
    fi
    if answers; then
        die "something else already answers at $ES_URL (not the node in $ES_RUN_DIR); stop it first"
    fi
    if pid_alive; then
        log "elasticsearch: pid $(cat "$PIDFILE") is alive but does not answer; restarting it"
        cmd_stop
    fi
    rm -f "$PIDFILE"
    apt_ensure curl
    cmd_install
    ensure_user
    prepare_node
    local user
    user=$(run_user)
    log "elasticsearch: starting $ES_VERSION as $user on $ES_URL (Java: $JAVA_HOME_FOR_ES, heap $ES_HEAP)"
    local start
    start=$(date +%s)
    # The JVM's gc.log is relative to the working directory: start from the logs directory.
    # stdin from /dev/null: the node must never wait for a keystore password.
    if ! (cd "$LOGS" && as_user "$user" env \
        ES_JAVA_HOME="$JAVA_HOME_FOR_ES" \
        ES_JAVA_OPTS="-Xms$ES_HEAP -Xmx$ES_HEAP" \
        ES_PATH_CONF="$NODE/config" \
        "$NODE/bin/elasticsearch" -d -p "$PIDFILE" </dev/null >>"$LOGS/console.log" 2>&1); then
        log_tail
        die "elasticsearch failed to start (logs in $LOGS)"
    fi
    until answers; do
        # -d returns once the node has started, but allow the pidfile a moment to appear.
        if ! pid_alive && [ $(($(date +%s) - start)) -gt 15 ]; then
            log_tail
            die "elasticsearch exited during start-up (logs in $LOGS)"
        fi
        if [ $(($(date +%s) - start)) -ge "$ES_START_TIMEOUT" ]; then
            log_tail
            die "elasticsearch did not answer at $ES_URL within ${ES_START_TIMEOUT}s (logs in $LOGS)"
        fi
        sleep 1
    done
    log "elasticsearch: up after $(($(date +%s) - start))s: $(curl -fsS "$ES_URL/_cluster/health")"
}

cmd_stop() {
    if ! pid_alive; then
        rm -f "$PIDFILE"
        log "elasticsearch: not running"
        return 0
    fi
    stop_pid elasticsearch "$(cat "$PIDFILE")" 60
    rm -f "$PIDFILE"
    log "elasticsearch: stopped"
}

cmd_status() {
    if answers; then
        if pid_alive; then
            log "elasticsearch: running (pid $(cat "$PIDFILE")) at $ES_URL"
        else
            log "elasticsearch: something answers at $ES_URL, but not the node in $ES_RUN_DIR"
        fi
        return 0
    fi
    if pid_alive; then
        log "elasticsearch: pid $(cat "$PIDFILE") is alive but $ES_URL does not answer"
    else
        log "elasticsearch: not running"
    fi
    return 3
}

cmd_wipe() {
    cmd_stop
    log "elasticsearch: deleting $DATA and $LOGS"
    rm -rf "$DATA" "$LOGS"
}

case "${1:-start}" in
install) cmd_install ;;
start) cmd_start ;;
stop) cmd_stop ;;
restart)
    cmd_stop
    cmd_start
    ;;
status) cmd_status ;;
wipe) cmd_wipe ;;
url) echo "$ES_URL" ;;
*) die "usage: $0 install|start|stop|restart|status|wipe|url" ;;
esac
