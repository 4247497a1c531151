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
