# shellcheck shell=bash
# Shared helpers for the CI scripts in scripts/ci/. Source it; do not run it.
#
#   CI_CACHE_DIR  where downloads and unpacked tools are cached
#                 (default ~/.cache/bosettingsportalen)

CI_CACHE_DIR="${CI_CACHE_DIR:-${HOME:-/root}/.cache/bosettingsportalen}"
export CI_CACHE_DIR

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
warn() { printf '[%s] WARNING: %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() {
    printf '[%s] ERROR: %s\n' "$(date +%H:%M:%S)" "$*" >&2
    exit 1
}

is_root() { [ "$(id -u)" -eq 0 ]; }

# Run a command as root: directly when we are root, through sudo otherwise.
as_root() {
    if is_root; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo -n "$@"
    else
        die "need root to run: $* (run as root, or install sudo)"
    fi
}

# Run a command as another (unprivileged) user, from a directory that user can enter.
as_user() {
    local user="$1"
    shift
    if [ "$(id -un)" = "$user" ]; then
        "$@"
    else
        (cd / && as_root runuser -u "$user" -- "$@")
    fi
}

pkg_installed() {
    [ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" = "installed" ]
}

# apt_ensure PKG... : install the Debian packages that are missing (none: do nothing).
# `apt-get update` runs first, at most once an hour, and only when something is missing.
apt_ensure() {
    local missing=() pkg
    for pkg in "$@"; do
        pkg_installed "$pkg" || missing+=("$pkg")
    done
    if [ "${#missing[@]}" -eq 0 ]; then
        log "apt: already installed: $*"
        return 0
    fi
    command -v apt-get >/dev/null 2>&1 || die "apt-get not found: this script expects Debian 12"
    export DEBIAN_FRONTEND=noninteractive
    local stamp=/var/lib/apt/lists/.bosettingsportalen-updated
    if [ -z "$(find "$stamp" -mmin -60 2>/dev/null)" ]; then
        log "apt: apt-get update"
        as_root apt-get -q update -o Dpkg::Use-Pty=0 >/dev/null \
            || die "apt-get update failed"
        as_root touch "$stamp"
    fi
    log "apt: installing ${missing[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get -q -y install \
        --no-install-recommends -o Dpkg::Use-Pty=0 "${missing[@]}" >/dev/null \
        || die "apt-get install ${missing[*]} failed"
}

# wait_for DESCRIPTION TIMEOUT_SECONDS COMMAND... : retry COMMAND once a second.
wait_for() {
    local what="$1" timeout="$2" start
    shift 2
    start=$(date +%s)
    until "$@" >/dev/null 2>&1; do
        if [ $(($(date +%s) - start)) -ge "$timeout" ]; then
            warn "$what: not ready after ${timeout}s"
            return 1
        fi
        sleep 1
    done
}

# ---- cached downloads: the servers CI runs (Elasticsearch, the OIDC server) come from Maven
# Central into $CI_CACHE_DIR and are reused by later runs. A finished install is a directory
# with a .complete marker; a half-finished one never has it, and is redone.

# is_cached DIR : true when DIR holds a finished install.
is_cached() { [ -f "$1/.complete" ]; }

# cache_tmpdir NAME : a new empty directory inside the cache (same file system, so that
# cache_put can move it into place).
cache_tmpdir() {
    mkdir -p "$CI_CACHE_DIR"
    mktemp -d "$CI_CACHE_DIR/.$1.XXXXXX"
}

# cache_put FROM DIR : make FROM (a finished download or unpack) the cached install DIR.
cache_put() {
    local from="$1" to="$2"
    rm -rf "$to"
    mkdir -p "$(dirname "$to")"
    mv "$from" "$to"
    touch "$to/.complete"
}

# maven_fetch WHAT WORKDIR MAVEN_ARGS... : run Maven (batch, quiet, on the cached repository
# $CI_CACHE_DIR/m2) in WORKDIR. On failure show the end of its output, delete WORKDIR and die.
# Environment given before the call (JAVA_HOME=...) reaches Maven.
maven_fetch() {
    local what="$1" dir="$2"
    shift 2
    command -v mvn >/dev/null 2>&1 || apt_ensure maven
    log "fetching $what with Maven"
    if ! (cd "$dir" && mvn -B -q -ntp -Dmaven.repo.local="$CI_CACHE_DIR/m2" "$@" \
        >"$dir/.mvn.log" 2>&1); then
        tail -n 40 "$dir/.mvn.log" >&2
        rm -rf "$dir"
        die "Maven could not fetch $what (output above)"
    fi
    rm -f "$dir/.mvn.log"
}

# stop_pid NAME PID SECONDS : TERM, wait up to SECONDS for the process to exit, then KILL.
stop_pid() {
    local name="$1" pid="$2" seconds="$3"
    log "$name: stopping pid $pid"
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 "$seconds"); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 1
    done
    warn "$name: pid $pid still alive after ${seconds}s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
    sleep 1
}
