#!/usr/bin/env bash
# Worker start-up, source (ts-node, bundling at start) vs compiled (dist/, prebuilt bundle): 3 runs each,
# seconds from process start to "polling". Build first; run inside the test stack:
#   SDO_TEST_SKIP_MARIADB=1 tools/scripts/with-test-stack.sh tools/build/measure-startup.sh
cd "$(dirname "$0")/../.."
export DATABASE_URL="$SDO_TEST_POSTGRES_URL" SDO_SECRETS_KEY=$(node -e "console.log(require('crypto').randomBytes(32).toString('base64'))")
log=$(mktemp)
run() { # $1 label, rest: command
  local label=$1; shift
  local start=$(date +%s.%N)
  rm -f "$log"; : > "$log"
  "$@" > "$log" 2>&1 &
  local pid=$!
  until grep -q polling "$log"; do sleep 0.05; if ! kill -0 $pid 2>/dev/null; then cat "$log"; return 1; fi; done
  local end=$(date +%s.%N)
  kill $pid; wait $pid 2>/dev/null
  awk -v l="$label" -v s="$start" -v e="$end" 'BEGIN { printf "%s %.1f s\n", l, e - s }'
}
for i in 1 2 3; do
  TS_NODE_PROJECT=$PWD/tsconfig.json run source node -r ts-node/register/transpile-only -r tsconfig-paths/register apps/worker/src/main.ts
  run compiled node dist/worker/main.js
done
rm -f "$log"
