#!/usr/bin/env bash
# Smoke test of a running production server (`make serve`): `scripts/ci/smoke.sh [BASE_URL]`.
#
# Checks: /healthz; the HTTP→HTTPS redirect; security headers on a page (HSTS, CSP without
# 'unsafe-inline'/'unsafe-eval' in script-src, Permissions-Policy, nosniff, frame and referrer
# policy); a 404 page in Norwegian; a hashed static file with a year's cache and compression;
# /media/ not served; a login (SMOKE_USER / SMOKE_PASSWORD); a search page and the search API.
#
# The server runs behind a TLS proxy in production; here requests carry X-Forwarded-Proto:
# https, as the proxy would (the server trusts it: SECURE_PROXY_SSL_HEADER=true).
set -uo pipefail

BASE="${1:-${SMOKE_BASE_URL:-http://127.0.0.1:8000}}"
BASE="${BASE%/}"
USER_NAME="${SMOKE_USER:-imdi}"
PASSWORD="${SMOKE_PASSWORD:-demo}"
LOGIN_PATH="${SMOKE_LOGIN_PATH:-/logg-inn/}"
SEARCH_QUERY="${SMOKE_SEARCH:-skole}"
HOST_HEADER="${SMOKE_HOST:-}"

WORK=$(mktemp -d /tmp/smoke.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
JAR="$WORK/cookies"
failures=0

ok() { printf 'ok    %s\n' "$*"; }
fail() {
    printf 'FAIL  %s\n' "$*"
    failures=$((failures + 1))
}

# fetch PATH [curl args...]: body to $WORK/body, headers to $WORK/headers; prints the status.
fetch() {
    local path="$1"
    shift
    local extra=()
    if [ -n "$HOST_HEADER" ]; then extra+=(-H "Host: $HOST_HEADER"); fi
    curl -sS -o "$WORK/body" -D "$WORK/headers" -w '%{http_code}' --max-time 30 \
        -b "$JAR" -c "$JAR" "${extra[@]}" "$@" "$BASE$path"
}
https() { fetch "$1" -H 'X-Forwarded-Proto: https' "${@:2}"; }
header() { grep -i "^$1:" "$WORK/headers" | head -1 | cut -d: -f2- | tr -d '\r' | sed 's/^ //'; }

check_status() { # NAME EXPECTED ACTUAL
    if [ "$3" = "$2" ]; then ok "$1 ($3)"; else fail "$1: expected $2, got $3"; fi
}

echo "Smoke test of $BASE"

status=$(https /healthz)
check_status "GET /healthz" 200 "$status"

status=$(fetch /)
location=$(header Location)
if [ "$status" = 301 ] && [[ "$location" == https://* ]]; then
    ok "plain HTTP is redirected to HTTPS ($status → $location)"
else
    fail "plain HTTP: expected 301 to https://, got $status ${location:-}"
fi

status=$(https /)
check_status "GET / (over the proxy's HTTPS)" 200 "$status"
hsts=$(header Strict-Transport-Security)
[[ "$hsts" == *max-age=* ]] && ok "Strict-Transport-Security: $hsts" || fail "no HSTS header"
csp=$(header Content-Security-Policy)
script_src=$(printf '%s' "$csp" | tr ';' '\n' | grep -E '^ *script-src' || true)
if [ -n "$csp" ] && [ -n "$script_src" ] && ! grep -qE "unsafe-(inline|eval)" <<<"$script_src"; then
    ok "Content-Security-Policy:$script_src (no unsafe-inline/unsafe-eval)"
else
    fail "Content-Security-Policy missing or allows inline/eval scripts: ${csp:-none}"
fi
for name in Permissions-Policy X-Content-Type-Options X-Frame-Options Referrer-Policy \
    Cross-Origin-Opener-Policy; do
    value=$(header "$name")
    [ -n "$value" ] && ok "$name: $value" || fail "no $name header"
done
if grep -qiE 'gravatar|https?://(fonts|cdn|ajax)\.' "$WORK/body"; then
    fail "the home page refers to an outside host"
else
    ok "the home page refers to no outside host"
fi

static=$(grep -oE '/static/[^"]+\.[0-9a-f]{12}\.(css|js)' "$WORK/body" | head -1)
if [ -z "$static" ]; then
    fail "no hashed static file referred to from /"
else
    status=$(https "$static" -H 'Accept-Encoding: gzip, br')
    check_status "GET $static" 200 "$status"
    cache=$(header Cache-Control)
    [[ "$cache" == *max-age=31536000* ]] && ok "Cache-Control: $cache" || fail "static Cache-Control: ${cache:-none}"
    encoding=$(header Content-Encoding)
    [[ "$encoding" =~ ^(gzip|br)$ ]] && ok "Content-Encoding: $encoding" || fail "static file not compressed"
fi

status=$(https /finnes-ikke-her/)
check_status "GET an unknown page" 404 "$status"
if grep -q 'lang="nb"' "$WORK/body" && grep -qi 'finnes ikke\|fant ikke' "$WORK/body"; then
    ok "the 404 page is the portal's own, in Norwegian"
else
    fail "the 404 page is not the portal's Norwegian page"
fi

status=$(https /media/documents/)
[ "$status" = 404 ] && ok "/media/documents/ is not served ($status)" || fail "/media/documents/ answered $status"

# Login: the form's CSRF token from the page, then the POST.
status=$(https "$LOGIN_PATH")
check_status "GET $LOGIN_PATH" 200 "$status"
token=$(grep -oE 'name="csrfmiddlewaretoken" value="[^"]+"' "$WORK/body" | head -1 | sed 's/.*value="//; s/"$//')
status=$(https "$LOGIN_PATH" -X POST -H "Referer: https://${BASE#*://}$LOGIN_PATH" \
    --data-urlencode "csrfmiddlewaretoken=$token" --data-urlencode "username=$USER_NAME" \
    --data-urlencode "password=$PASSWORD")
if [ "$status" = 302 ] && grep -q sessionid "$JAR"; then
    ok "login as $USER_NAME ($status → $(header Location))"
else
    fail "login as $USER_NAME: got $status"
fi

status=$(https "/sok/?q=$SEARCH_QUERY")
check_status "GET /sok/?q=$SEARCH_QUERY (logged in)" 200 "$status"
hits=$(grep -c 'class="sok-hit"' "$WORK/body" || true)
[ "${hits:-0}" -gt 0 ] && ok "the search page shows $hits hits" || fail "the search page shows no hits"
status=$(https "/api/v1/search/profiles/?q=$SEARCH_QUERY" -H 'Accept: application/json')
check_status "GET /api/v1/search/profiles/?q=$SEARCH_QUERY" 200 "$status"

echo
if [ "$failures" -eq 0 ]; then
    echo "Smoke test passed."
else
    echo "Smoke test FAILED: $failures check(s)."
    exit 1
fi
