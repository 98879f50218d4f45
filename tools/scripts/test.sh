#!/usr/bin/env bash
# The whole test suite: installs what it needs, typechecks, starts throwaway PostgreSQL, MariaDB
# and Temporal servers, runs every project's Jest tests through Nx, prints one closing line.
set -euo pipefail
cd "$(dirname "$0")/../.."
export NX_NO_CLOUD=true NX_DAEMON=false NX_TUI=false NX_SKIP_NX_CACHE=true TZ=UTC
started=$SECONDS

bash tools/scripts/bootstrap.sh --with-mariadb

echo "[test] typecheck (tsc --noEmit, strict)"
npx tsc -p tsconfig.json --noEmit
npx tsc -p apps/console/tsconfig.json --noEmit

# The boundary rule reads Nx's project graph; without one it skips itself with a warning, so
# build the graph first and refuse a lint run that skipped it.
echo "[test] lint (eslint: layer boundaries, floating promises)"
mkdir -p .sdo
npx nx show projects >/dev/null
npx eslint . --quiet 2>&1 | tee .sdo/lint.log
if grep -q "No cached ProjectGraph" .sdo/lint.log; then echo "[test] lint skipped the boundary rule" >&2; exit 1; fi

echo "[test] format (prettier --check)"
npx prettier --check . --log-level warn

rm -rf .sdo/test-results && mkdir -p .sdo/test-results
status=0
tools/scripts/with-test-stack.sh npx nx run-many -t test --parallel=1 --outputStyle=stream "$@" || status=$?

node tools/scripts/summarize-tests.js .sdo/test-results || status=$((status == 0 ? 1 : status))
echo "[test] finished in $((SECONDS - started)) s"
exit $status
