#!/usr/bin/env bash
# Backup of Bosettingsportalen: `scripts/ops/backup.sh [OUT_DIR]` (docs/drift.md).
#
# Writes OUT_DIR/bosetting-<UTC time>/ (OUT_DIR defaults to ./backups) with
#   database.dump   pg_dump in custom format (one consistent snapshot, no owners or grants)
#   media.tar       the uploaded files (MEDIA_ROOT), taken right after the dump
#   checksums.json  counts and checksums of submissions, versions, allocations, documents ...
#                   (manage.py backup_checksums), read from the dump's snapshot time
#   SHA256SUMS      checksums of the three files above (sha256sum -c)
#   manifest.json   when, from which database and git revision, sizes and checksums
# The search index is never backed up: restore.sh rebuilds it (manage.py sok_reindex).
#
# Environment: DATABASE_URL (postgres://…, required), MEDIA_ROOT (default ./media),
# PYTHON (default .venv/bin/python), DJANGO_SETTINGS_MODULE (default portal.settings.production).
set -euo pipefail

ROOT=$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)
PYTHON="${PYTHON:-$ROOT/.venv/bin/python}"
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-portal.settings.production}"
MEDIA_ROOT="${MEDIA_ROOT:-$ROOT/media}"
OUT_DIR="${1:-${BACKUP_DIR:-$ROOT/backups}}"

log() { printf '[%s] backup: %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() {
    printf '[%s] backup: ERROR: %s\n' "$(date +%H:%M:%S)" "$*" >&2
    exit 1
}

[[ "${DATABASE_URL:-}" == postgres://* || "${DATABASE_URL:-}" == postgresql://* ]] \
    || die "DATABASE_URL must be a PostgreSQL URL (postgres://user:password@host:port/name)"
command -v pg_dump >/dev/null || die "pg_dump not found (apt-get install postgresql-client)"

stamp=$(date -u +%Y%m%dT%H%M%SZ)
target="$OUT_DIR/bosetting-$stamp"
partial="$target.partial"
mkdir -p "$partial"
trap 'rm -rf "$partial"' EXIT

start=$(date +%s)
log "database → $partial/database.dump"
pg_dump --format=custom --no-owner --no-privileges --dbname="$DATABASE_URL" \
    --file="$partial/database.dump"

log "uploaded files ($MEDIA_ROOT) → media.tar"
if [ -d "$MEDIA_ROOT" ]; then
    tar --create --file="$partial/media.tar" --directory="$MEDIA_ROOT" .
else
    log "MEDIA_ROOT $MEDIA_ROOT does not exist: the archive is empty"
    tar --create --file="$partial/media.tar" --files-from=/dev/null
fi

log "counts and checksums (manage.py backup_checksums)"
(cd "$ROOT" && "$PYTHON" manage.py backup_checksums --json) >"$partial/checksums.json"

(cd "$partial" && sha256sum database.dump media.tar checksums.json >SHA256SUMS)

git_rev=$(git -C "$ROOT" rev-parse HEAD 2>/dev/null || echo unknown)
python3 - "$partial" "$stamp" "$git_rev" "$DATABASE_URL" <<'PY'
import json, os, sys
from urllib.parse import urlsplit

folder, stamp, rev, url = sys.argv[1:]
parts = urlsplit(url)
files = {}
for line in open(os.path.join(folder, "SHA256SUMS")):
    digest, name = line.split()
    files[name] = {"sha256": digest, "bytes": os.path.getsize(os.path.join(folder, name))}
manifest = {
    "created": stamp,
    "database": {"host": parts.hostname, "port": parts.port, "name": parts.path.lstrip("/")},
    "git_revision": rev,
    "files": files,
    "data": json.load(open(os.path.join(folder, "checksums.json"))),
    "search_index": "not backed up: rebuilt with manage.py sok_reindex",
}
json.dump(manifest, open(os.path.join(folder, "manifest.json"), "w"), indent=2, sort_keys=True)
PY

mv "$partial" "$target"
trap - EXIT
log "done in $(($(date +%s) - start))s: $target ($(du -sh "$target" | cut -f1))"
echo "$target"
