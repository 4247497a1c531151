#!/usr/bin/env bash
# A real OpenID Connect server for the login tests: NAV's mock-oauth2-server on 127.0.0.1:8089.
#
#   scripts/ci/oidc.sh install   fetch the server and its libraries (Maven) into the cache
#   scripts/ci/oidc.sh start     install if needed, start, wait until it answers
#   scripts/ci/oidc.sh stop      stop the server (waits until it has exited)
#   scripts/ci/oidc.sh restart   stop, then start
#   scripts/ci/oidc.sh status    exit 0 when the server answers, 3 when it does not
#   scripts/ci/oidc.sh url       print the OIDC_TEST_SERVER url
#
# Every path is an issuer: $URL/ansattporten and $URL/entra are the two the tests use (each
# has its own /.well-known/openid-configuration). Interactive login is on: the login page asks
# for a user name and the claims (JSON) to put in the tokens, so a test decides who logs in
# (an Ansattporten user with authorization_details, an Entra user with groups).
#
# Settings (environment): OIDC_VERSION (2.1.10), OIDC_PORT (8089), OIDC_RUN_DIR
# (/var/tmp/bosettingsportalen-oidc), OIDC_START_TIMEOUT (60), OIDC_HEAP (128m).
set -euo pipefail
# shellcheck source=scripts/ci/lib.sh
. "$(dirname "$(readlink -f "$0")")/lib.sh"

OIDC_VERSION="${OIDC_VERSION:-2.1.10}"
OIDC_PORT="${OIDC_PORT:-8089}"
OIDC_HEAP="${OIDC_HEAP:-128m}"
OIDC_START_TIMEOUT="${OIDC_START_TIMEOUT:-60}"
OIDC_RUN_DIR="${OIDC_RUN_DIR:-/var/tmp/bosettingsportalen-oidc}"
OIDC_URL="http://127.0.0.1:${OIDC_PORT}"
MAIN_CLASS=no.nav.security.mock.oauth2.StandaloneMockOAuth2ServerKt

CACHED="$CI_CACHE_DIR/mock-oauth2-server-${OIDC_VERSION}"
PIDFILE="$OIDC_RUN_DIR/oidc.pid"
LOG="$OIDC_RUN_DIR/oidc.log"

cmd_install() {
    if is_cached "$CACHED"; then
        log "oidc: mock-oauth2-server $OIDC_VERSION is cached in $CACHED"
        return 0
    fi
    command -v java >/dev/null 2>&1 || apt_ensure openjdk-17-jre-headless
    local tmp
    tmp=$(cache_tmpdir oidc)
    cat >"$tmp/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>bosettingsportalen.ci</groupId>
  <artifactId>oidc-test-server</artifactId>
  <version>1</version>
  <dependencies>
    <dependency>
      <groupId>no.nav.security</groupId>
      <artifactId>mock-oauth2-server</artifactId>
      <version>${OIDC_VERSION}</version>
    </dependency>
  </dependencies>
</project>
POM
    maven_fetch "no.nav.security:mock-oauth2-server:$OIDC_VERSION" "$tmp" \
        dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$tmp/server/lib"
    ls "$tmp/server/lib"/mock-oauth2-server-*.jar >/dev/null 2>&1 \
        || die "Maven did not fetch mock-oauth2-server into $tmp/server/lib"
    cache_put "$tmp/server" "$CACHED"
    rm -rf "$tmp"
}

# The server's configuration: interactive login (a test types the claims), and one day
# tokens so a slow CI machine never sees one expire mid-test.
json_config() {
    cat <<'JSON'
{"interactiveLogin": true, "httpServer": "NettyWrapper",
 "tokenCallbacks": [
   {"issuerId": "ansattporten", "tokenExpiry": 86400, "requestMappings": []},
   {"issuerId": "entra", "tokenExpiry": 86400, "requestMappings": []}
 ]}
JSON
}

pid_alive() {
    local pid
    [ -s "$PIDFILE" ] || return 1
    pid=$(cat "$PIDFILE")
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
    [[ "$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" == *"$MAIN_CLASS"* ]]
}

answers() {
    curl -fsS --max-time 5 "$OIDC_URL/ansattporten/.well-known/openid-configuration" 2>/dev/null \
        | grep -q '"issuer"'
}

cmd_start() {
    if pid_alive && answers; then
        log "oidc: already running (pid $(cat "$PIDFILE")) at $OIDC_URL"
        return 0
    fi
    answers && die "something else already answers at $OIDC_URL; stop it first"
    if pid_alive; then cmd_stop; fi
    command -v curl >/dev/null 2>&1 || apt_ensure curl
    cmd_install
    mkdir -p "$OIDC_RUN_DIR"
    rm -f "$PIDFILE"
    log "oidc: starting mock-oauth2-server $OIDC_VERSION on $OIDC_URL"
    local start
    start=$(date +%s)
    (
        cd "$OIDC_RUN_DIR"
        SERVER_HOSTNAME=127.0.0.1 SERVER_PORT="$OIDC_PORT" JSON_CONFIG="$(json_config)" \
            setsid java "-Xmx$OIDC_HEAP" -cp "$CACHED/lib/*" "$MAIN_CLASS" \
            </dev/null >>"$LOG" 2>&1 &
        echo $! >"$PIDFILE"
    )
    until answers; do
        if ! pid_alive; then
            tail -n 40 "$LOG" >&2
            die "oidc: the server exited during start-up (log: $LOG)"
        fi
        if [ $(($(date +%s) - start)) -ge "$OIDC_START_TIMEOUT" ]; then
            tail -n 40 "$LOG" >&2
            die "oidc: no answer at $OIDC_URL within ${OIDC_START_TIMEOUT}s (log: $LOG)"
        fi
        sleep 1
    done
    log "oidc: up after $(($(date +%s) - start))s at $OIDC_URL"
}

cmd_stop() {
    if ! pid_alive; then
        rm -f "$PIDFILE"
        log "oidc: not running"
        return 0
    fi
    stop_pid oidc "$(cat "$PIDFILE")" 30
    rm -f "$PIDFILE"
    log "oidc: stopped"
}

cmd_status() {
    if answers; then
        log "oidc: running at $OIDC_URL"
        return 0
    fi
    log "oidc: not running"
    return 3
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
url) echo "$OIDC_URL" ;;
*) die "usage: $0 install|start|stop|restart|status|url" ;;
esac
