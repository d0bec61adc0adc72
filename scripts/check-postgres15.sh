#!/usr/bin/env bash
# The migrations must also run on PostgreSQL 15 ("any PostgreSQL 15+", architecture.md), not only
# on the embedded 18: start Debian's postgresql-15 in a throwaway folder and migrate a database.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=/usr/lib/postgresql/15/bin
if [ ! -x "$bin/initdb" ]; then
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get install -y -qq postgresql-15 >/dev/null || { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq postgresql-15 >/dev/null; }
fi
dir=$(mktemp -d /tmp/safehub-pg15-XXXXXX)
chmod 755 "$dir"
run() { if [ "$(id -u)" -eq 0 ]; then chown -R postgres "$dir"; su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi; }
cleanup() { run "$bin/pg_ctl -D $dir/data -m fast stop" >/dev/null 2>&1 || true; rm -rf "$dir"; }
trap cleanup EXIT
run "$bin/initdb -D $dir/data -A trust -U postgres" >/dev/null
run "$bin/pg_ctl -D $dir/data -o \"-k $dir -h ''\" -l $dir/log -w start" >/dev/null
run "$bin/psql -h $dir -U postgres -qc 'CREATE DATABASE safehub'" >/dev/null
DATABASE_URL="postgresql://postgres@/safehub?host=$dir" "$root/.venv/bin/safehub" migrate
version=$(run "$bin/psql -h $dir -U postgres -d safehub -Atc 'SHOW server_version'")
tables=$(run "$bin/psql -h $dir -U postgres -d safehub -Atc \"SELECT count(*) FROM pg_tables WHERE schemaname = 'public'\"")
echo "Migrations ran on PostgreSQL $version: $tables tables."
# A backup of it restores into an empty database on the same server, with the audit chain
# verified: safehub backup/restore pick PostgreSQL 15's own pg_dump/pg_restore for it.
run "$bin/psql -h $dir -U postgres -qc 'CREATE DATABASE safehub_restored'" >/dev/null
backups=$(mktemp -d /tmp/safehub-pg15-backup-XXXXXX)
trap 'cleanup; rm -rf "$backups"' EXIT
# The backup is logged and anchored: in a data folder of its own, not the demo's.
export SAFEHUB_DATA_DIR="$backups/data"
DATABASE_URL="postgresql://postgres@/safehub?host=$dir" "$root/.venv/bin/safehub" backup "$backups/pg15.backup"
DATABASE_URL="postgresql://postgres@/safehub_restored?host=$dir" "$root/.venv/bin/safehub" restore "$backups/pg15.backup"
echo "A backup restored on PostgreSQL $version with its audit chain verified."
