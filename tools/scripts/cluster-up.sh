#!/usr/bin/env bash
# The cluster profile: SDO on the Go-built Temporal server with PostgreSQL and several workers (tools/cluster/up.ts).
set -euo pipefail
cd "$(dirname "$0")/../.."
export TS_NODE_PROJECT="$PWD/tsconfig.json"
source tools/scripts/own-session.sh
run_in_own_session node -r ts-node/register/transpile-only -r tsconfig-paths/register tools/cluster/up.ts
