#!/bin/sh
# First start only: SDO's and Temporal's own users (Temporal's may create its two databases).
set -eu
for password in "$POSTGRES_PASSWORD" "$POSTGRES_SDO_PASSWORD" "$POSTGRES_TEMPORAL_PASSWORD"; do
  case "$password" in
    '' | *CHANGE_ME*) echo "init-users: set every password in docker/.env (the CHANGE_ME placeholders are refused)" >&2; exit 1 ;;
  esac
done
# Passwords as psql variables (:'name' quotes them): a quote in one cannot break the SQL.
psql -v ON_ERROR_STOP=1 -v sdo_password="$POSTGRES_SDO_PASSWORD" -v temporal_password="$POSTGRES_TEMPORAL_PASSWORD" -U postgres <<'SQL'
CREATE USER sdo PASSWORD :'sdo_password' CREATEDB;
CREATE DATABASE sdo OWNER sdo;
CREATE USER temporal PASSWORD :'temporal_password' CREATEDB;
SQL
