#!/usr/bin/env bash
# Debian's Chromium for the Playwright end-to-end tests, at /usr/bin/chromium.
# The tests launch it with executable_path=/usr/bin/chromium: never `playwright install`.
#
#   scripts/ci/chromium.sh [install]   install if needed, then check that it renders a page
set -euo pipefail
# shellcheck source=scripts/ci/lib.sh
. "$(dirname "$(readlink -f "$0")")/lib.sh"

CHROMIUM=/usr/bin/chromium

case "${1:-install}" in
install) ;;
*) die "usage: $0 [install]" ;;
esac

apt_ensure chromium fonts-liberation fonts-dejavu-core
[ -x "$CHROMIUM" ] || die "$CHROMIUM is missing after installing the chromium package"

# Smoke test: headless Chromium renders a page (--no-sandbox: CI runs as root).
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
out=$(timeout 60 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage \
    --no-first-run --user-data-dir="$profile" \
    --dump-dom 'data:text/html,<p id="ok">chromium-ok</p>' 2>"$profile/stderr") || {
    tail -n 20 "$profile/stderr" >&2
    die "headless $CHROMIUM failed to render a page"
}
grep -q chromium-ok <<<"$out" || {
    tail -n 20 "$profile/stderr" >&2
    die "headless $CHROMIUM rendered an unexpected page: $out"
}
log "chromium: $("$CHROMIUM" --version 2>/dev/null | head -n 1) renders pages headless"
