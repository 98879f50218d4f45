#!/usr/bin/env bash
# Runs a command with throwaway PostgreSQL, MariaDB and Temporal servers (see tools/stack/test.ts).
#   tools/scripts/with-test-stack.sh npx jest -c libs/data-engine/jest.config.ts
set -euo pipefail
cd "$(dirname "$0")/../.."
export TS_NODE_PROJECT="$PWD/tsconfig.json"
exec node -r ts-node/register/transpile-only -r tsconfig-paths/register tools/stack/test.ts -- "$@"
