#!/usr/bin/env bash
# Back up a kvkk-tracker PostgreSQL database with pg_dump, restore it into a scratch database,
# and check the restored copy: `kvkk-tracker audit verify` walks the whole audit hash chain,
# and the row counts of every table match the source's. The scratch database is dropped at
# the end; the source is only read.
#
# Usage: scripts/backup-restore-check.sh [DATABASE_URL]
#   DATABASE_URL: the app's URL (postgresql+psycopg://user@host:port/name); default: the
#   environment's DATABASE_URL. PG_ADMIN_URL (default postgresql://postgres@127.0.0.1:5432/postgres)
#   creates and drops the scratch database. The dump file is kept only with KEEP_DUMP=path.
set -euo pipefail
cd "$(dirname "$0")/.."
KVKK=${KVKK:-.venv/bin/kvkk-tracker}
app_url=${1:-${DATABASE_URL:?give the database URL as an argument or in DATABASE_URL}}
libpq_url=${app_url/postgresql+psycopg:\/\//postgresql://}
admin_url=${PG_ADMIN_URL:-postgresql://postgres@127.0.0.1:5432/postgres}
scratch="kvkk_restore_check_$$_$RANDOM"
scratch_libpq="${admin_url%/*}/$scratch"
scratch_app="${scratch_libpq/postgresql:\/\//postgresql+psycopg://}"
dump=${KEEP_DUMP:-$(mktemp --suffix=.dump)}

cleanup() {
  psql -q "$admin_url" -c "DROP DATABASE IF EXISTS \"$scratch\" WITH (FORCE)" >/dev/null 2>&1 || true
  [ -n "${KEEP_DUMP:-}" ] || rm -f "$dump"
}
trap cleanup EXIT

# The backup: custom format (compressed, restorable table by table), no owners or grants so
# that it restores under another role too.
pg_dump --format=custom --no-owner --no-privileges --file="$dump" "$libpq_url"
echo "backup: $(du -h "$dump" | cut -f1) written by pg_dump"

psql -q "$admin_url" -c "CREATE DATABASE \"$scratch\""
pg_restore --no-owner --no-privileges --exit-on-error --dbname="$scratch_libpq" "$dump"
echo "restored into scratch database $scratch"

counts_sql() {
  psql -At "$1" -c "SELECT string_agg(format('SELECT %L AS t, count(*) FROM %I', tablename,
                      tablename), ' UNION ALL ' ORDER BY tablename)
                    FROM pg_tables WHERE schemaname = 'public'"
}
source_counts=$(psql -At -F ' ' "$libpq_url" -c "$(counts_sql "$libpq_url") ORDER BY 1")
restored_counts=$(psql -At -F ' ' "$scratch_libpq" -c "$(counts_sql "$scratch_libpq") ORDER BY 1")
if [ "$source_counts" != "$restored_counts" ]; then
  echo "restore check FAILED: row counts differ" >&2
  diff <(echo "$source_counts") <(echo "$restored_counts") >&2 || true
  exit 1
fi
echo "row counts match in $(echo "$source_counts" | wc -l) tables:" \
     "$(echo "$source_counts" | grep -E '^(applications|audit_events) ' | tr '\n' ' ')"

DATABASE_URL="$scratch_app" KVKK_ENV=${KVKK_ENV:-production} \
  SECRET_KEY=${SECRET_KEY:-restore-check-only} "$KVKK" audit verify
echo "restore check OK"
