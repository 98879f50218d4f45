#!/bin/sh
# First start only: SDO's and Temporal's own users (Temporal's may create its two databases).
set -eu
psql -v ON_ERROR_STOP=1 -U postgres <<SQL
CREATE USER sdo PASSWORD '${SDO_DB_PASSWORD}' CREATEDB;
CREATE DATABASE sdo OWNER sdo;
CREATE USER temporal PASSWORD '${TEMPORAL_DB_PASSWORD}' CREATEDB;
SQL
