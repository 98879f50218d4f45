#!/usr/bin/env bash
# Checks docker/compose.yaml with the real Docker Compose (`docker compose config`), no daemon needed.
# The compose plugin is built once from its Go module into .tools/docker-cli-plugins/ (minutes, cached).
#   bash tools/scripts/compose-check.sh          # validate: any error or warning fails
#   bash tools/scripts/compose-check.sh --print  # validate, then print the rendered config
# SDO_GO_BUILD_JOBS sets the build's parallelism (default 1: the machine is shared).
set -euo pipefail
cd "$(dirname "$0")/../.."

COMPOSE_MODULE=github.com/docker/compose/v2
COMPOSE_VERSION=v2.40.3
PLUGINS_DIR="${SDO_DOCKER_PLUGINS_DIR:-$PWD/.tools/docker-cli-plugins}"
PLUGIN="$PLUGINS_DIR/docker-compose"
ENV_FILE="${SDO_COMPOSE_ENV_FILE:-docker/.env.example}"

if [ "$(cat "$PLUGIN.version" 2>/dev/null)" != "$COMPOSE_VERSION" ] || [ ! -x "$PLUGIN" ]; then
  command -v go >/dev/null || { echo "compose-check: needs Go (the compose plugin is built from its module)" >&2; exit 1; }
  echo "compose-check: building $COMPOSE_MODULE@$COMPOSE_VERSION into $PLUGINS_DIR (minutes, once)" >&2
  # `go install module@version` refuses modules with exclude directives (compose has some), so the
  # plugin is built inside a copy of the module's source, where they apply as its authors intend.
  src="$(GOTOOLCHAIN=auto GOFLAGS=-mod=mod go mod download -json "$COMPOSE_MODULE@$COMPOSE_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
  [ -d "$src" ] || { echo "compose-check: could not download $COMPOSE_MODULE@$COMPOSE_VERSION" >&2; exit 1; }
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  cp -R "$src/." "$work/" && chmod -R u+w "$work"
  mkdir -p "$PLUGINS_DIR"
  jobs="${SDO_GO_BUILD_JOBS:-1}"
  (cd "$work" && GOTOOLCHAIN=auto GOMAXPROCS="$jobs" nice -n 19 go build -p "$jobs" -trimpath -buildvcs=false \
    -ldflags "-s -w -X $COMPOSE_MODULE/internal.Version=$COMPOSE_VERSION" -o "$PLUGIN.partial" ./cmd)
  mv "$PLUGIN.partial" "$PLUGIN"
  echo "$COMPOSE_VERSION" >"$PLUGIN.version"
fi

# The Docker CLI finds plugins in $DOCKER_CONFIG/cli-plugins: a throwaway config dir points there,
# leaving the user's own ~/.docker alone.
DOCKER_CONFIG="$(mktemp -d)"
export DOCKER_CONFIG
trap 'rm -rf "$DOCKER_CONFIG" ${work:+"$work"}' EXIT
ln -s "$PLUGINS_DIR" "$DOCKER_CONFIG/cli-plugins"

compose=(docker compose -f docker/compose.yaml --env-file "$ENV_FILE")
# Warnings (unset variables, obsolete keys…) go to stderr with a zero exit: they fail the check too.
warnings="$("${compose[@]}" config -q 2>&1)" || { echo "$warnings" >&2; echo "compose-check: docker compose config failed" >&2; exit 1; }
if [ -n "$warnings" ]; then
  echo "$warnings" >&2
  echo "compose-check: docker compose config warned" >&2
  exit 1
fi
if [ "${1:-}" = "--print" ]; then "${compose[@]}" config; fi
echo "compose-check: docker/compose.yaml is valid ($("${compose[@]}" config --services | wc -l) services; $(docker compose version --short))" >&2
