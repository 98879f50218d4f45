#!/usr/bin/env bash
# SDO's MySQL/MariaDB → PostgreSQL conversion against pgloader (Debian's: apt-get install pgloader) on the
# issue #9 fidelity fixture and Chinook MySQL, with throwaway servers; prints objects kept, rows equal,
# wall times and ratios. BENCH_ROUNDS=2 repeats each comparison. Needs SDO_SHARED_DIR (Chinook) when
# run outside /work/main.
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v pgloader >/dev/null || { echo "pgloader is not installed (apt-get install pgloader)" >&2; exit 1; }
exec tools/scripts/with-test-stack.sh node -r ts-node/register/transpile-only -r tsconfig-paths/register tools/bench/conversion-vs-pgloader.ts
