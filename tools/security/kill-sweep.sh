#!/usr/bin/env bash
# Crash sweep (issue #8): for each workflow, one delivery whose worker is SIGKILLed inside the first
# attempt of each activity type it runs (test/security/kill-sweep.sweep.ts). Prints a table
# (also in .sdo/kill-sweep.txt); exits non-zero if a delivery did not complete verified or a retry
# started over 60 s after the kill (counted from the fresh worker polling, if that came later).
# Not part of `npm test` (about 10 minutes on a quiet machine, all five in parallel).
#   tools/security/kill-sweep.sh                                  # all five workflows, in parallel
#   KILL_SWEEP_WORKFLOWS=org-split,upgrade tools/security/kill-sweep.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
export SDO_TEST_SKIP_MARIADB=1
exec tools/scripts/with-test-stack.sh npx jest -c test/jest.config.ts --testMatch '<rootDir>/security/kill-sweep.sweep.ts' --runInBand "$@"
