#!/usr/bin/env bash
# Restore a backup made by scripts/ops/backup.sh: `scripts/ops/restore.sh BACKUP_DIR`.
#
# 1. checks the files against SHA256SUMS;
# 2. refuses unless the target database has no tables and MEDIA_ROOT is empty (never mixes a
#    backup into live data);
# 3. pg_restore in one transaction (all or nothing), then the files into MEDIA_ROOT;
# 4. manage.py migrate (a no-op on the same version; brings an older backup up to the code);
# 5. rebuilds the search index (manage.py sok_reindex; SOK_INDEX_PREFIX names the new index)
#    and checks that it agrees with the database (manage.py check_search_index);
# 6. compares manage.py backup_checksums with the backup's checksums.json: exit 1 on a difference.
#
# Environment: DATABASE_URL (the empty target database, required), MEDIA_ROOT (default ./media),
# PYTHON, DJANGO_SETTINGS_MODULE (default portal.settings.production), ELASTICSEARCH_URL.
set -euo pipefail

ROOT=$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)
PYTHON="${PYTHON:-$ROOT/.venv/bin/python}"
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-portal.settings.production}"
MEDIA_ROOT="${MEDIA_ROOT:-$ROOT/media}"
BACKUP="${1:?usage: restore.sh BACKUP_DIR}"

log() { printf '[%s] restore: %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() {
    printf '[%s] restore: ERROR: %s\n' "$(date +%H:%M:%S)" "$*" >&2
    exit 1
}
manage() { (cd "$ROOT" && "$PYTHON" manage.py "$@"); }

[[ "${DATABASE_URL:-}" == postgres://* || "${DATABASE_URL:-}" == postgresql://* ]] \
    || die "DATABASE_URL must be a PostgreSQL URL (the empty database to restore into)"
[ -f "$BACKUP/SHA256SUMS" ] || die "$BACKUP has no SHA256SUMS: not a backup from backup.sh"

start=$(date +%s)
log "checking the files of $BACKUP"
(cd "$BACKUP" && sha256sum --check --quiet SHA256SUMS) || die "a file of the backup is damaged"

tables=$(psql -X -tA --dbname="$DATABASE_URL" \
    -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'") \
    || die "cannot connect to the target database"
[ "$tables" = 0 ] || die "the target database has $tables tables: restore only into an empty database"
if [ -d "$MEDIA_ROOT" ] && [ -n "$(ls -A "$MEDIA_ROOT")" ]; then
    die "MEDIA_ROOT $MEDIA_ROOT is not empty: restore only into an empty folder"
fi

log "database ← database.dump"
pg_restore --no-owner --no-privileges --exit-on-error --single-transaction \
    --dbname="$DATABASE_URL" "$BACKUP/database.dump"
log "uploaded files ← media.tar ($MEDIA_ROOT)"
mkdir -p "$MEDIA_ROOT"
tar --extract --file="$BACKUP/media.tar" --directory="$MEDIA_ROOT"

log "migrations"
manage migrate --no-input -v0
log "rebuilding the search index"
manage sok_reindex -v0
manage check_search_index

log "comparing counts and checksums with the backup"
restored=$(mktemp)
trap 'rm -f "$restored"' EXIT
manage backup_checksums --json >"$restored"
if ! python3 - "$BACKUP/checksums.json" "$restored" <<'PY'; then
import json, sys

expected, actual = (json.load(open(p)) for p in sys.argv[1:])
bad = 0
for name in sorted(set(expected) | set(actual)):
    e, a = expected.get(name), actual.get(name)
    same = e == a
    bad += not same
    count = (a or {}).get("count")
    print(f"  {'ok  ' if same else 'DIFF'} {name:<14} {count} rows" + ("" if same else f" (backup: {e}, restored: {a})"))
sys.exit(1 if bad else 0)
PY
    die "the restored data differ from the backup (above)"
fi
log "restored and verified in $(($(date +%s) - start))s"
