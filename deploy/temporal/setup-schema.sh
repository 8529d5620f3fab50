#!/bin/sh
# One-shot: create Temporal's two databases (history + visibility) in PostgreSQL and bring their
# schemas to the version this admin-tools image ships. Safe to rerun: existing databases are kept and
# update-schema only applies missing versions.
set -eu

tool() {
  temporal-sql-tool --plugin postgres12 --ep "$POSTGRES_SEEDS" -p "${DB_PORT:-5432}" \
    -u "$POSTGRES_USER" "$@"   # password from $SQL_PASSWORD, kept off the command line
}
schema_root=/etc/temporal/schema/postgresql/v12

for db in temporal temporal_visibility; do
  case "$db" in
    temporal) dir="$schema_root/temporal/versioned" ;;
    *) dir="$schema_root/visibility/versioned" ;;
  esac
  echo "salmon-run: preparing database $db"
  tool --db "$db" create || echo "salmon-run: database $db already exists"
  tool --db "$db" setup-schema -v 0.0
  tool --db "$db" update-schema -d "$dir"
done
echo "salmon-run: Temporal schemas are ready"
