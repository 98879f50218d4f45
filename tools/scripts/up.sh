#!/usr/bin/env bash
# `npm start`: installs what is missing, then brings the whole system up (see tools/stack/up.ts).
set -euo pipefail
cd "$(dirname "$0")/../.."
bash tools/scripts/bootstrap.sh
export TS_NODE_PROJECT="$PWD/tsconfig.json"
source tools/scripts/own-session.sh
run_in_own_session node -r ts-node/register/transpile-only -r tsconfig-paths/register tools/stack/up.ts
