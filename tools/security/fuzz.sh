#!/usr/bin/env bash
# API fuzz pass: schemathesis (PyPI) against SDO's own /docs-json, as admin and as manager, on
# throwaway servers. Bounded: FUZZ_EXAMPLES cases per operation and FUZZ_SECONDS per identity.
#   tools/security/fuzz.sh            # prints requests, status classes and server errors per identity
# Not part of `npm test` (it takes minutes); exits non-zero when any answer was a 5xx.
set -euo pipefail
cd "$(dirname "$0")/../.."
SCHEMATHESIS_VERSION=4.32.5

bash tools/scripts/bootstrap.sh
if [ ! -x .tools/schemathesis/bin/st ]; then
  echo "[fuzz] installing schemathesis==${SCHEMATHESIS_VERSION} (PyPI) into .tools/schemathesis"
  python3 -m venv .tools/schemathesis
  .tools/schemathesis/bin/pip install --quiet --disable-pip-version-check "schemathesis==${SCHEMATHESIS_VERSION}"
fi
export SDO_TEST_SKIP_MARIADB=1 SCHEMATHESIS="$PWD/.tools/schemathesis/bin/st"
exec tools/scripts/with-test-stack.sh node -r ts-node/register/transpile-only -r tsconfig-paths/register tools/security/fuzz-target.ts
