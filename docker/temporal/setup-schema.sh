#!/bin/sh
# Creates Temporal's two databases and brings them to the module's schema (idempotent), as
# tools/cluster/cluster.ts setupTemporalSchema does. SQL_HOST/SQL_PORT/SQL_USER/SQL_PASSWORD from the environment.
set -eu
export SQL_PLUGIN=postgres12
for pair in temporal:temporal temporal_visibility:visibility; do
  db=${pair%%:*}; dir=${pair##*:}
  temporal-sql-tool --db "$db" create-database 2>/dev/null || true
  temporal-sql-tool --db "$db" setup-schema -v 0.0 2>/dev/null || true
  temporal-sql-tool --db "$db" update-schema -d "/etc/temporal/schema/$dir/versioned"
done
