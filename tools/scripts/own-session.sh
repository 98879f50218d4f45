# Sourced by the scripts that bring a stack up. Ctrl-C in a terminal signals the whole foreground
# process group: PostgreSQL and Temporal would stop at once, under a worker still draining its
# activities against them. The runner gets a session of its own and the signal alone, and stops
# what it started in order: the apps, then Temporal, then PostgreSQL.
run_in_own_session() {
  set +m # no job control: the background child is no group leader, so setsid runs it in place
  setsid "$@" &
  local runner=$! status=0
  trap 'kill -INT "$runner" 2>/dev/null || true' INT
  trap 'kill -TERM "$runner" 2>/dev/null || true' TERM
  trap 'kill -HUP "$runner" 2>/dev/null || true' HUP
  # A trapped signal ends `wait` early: wait again until the runner has exited.
  while :; do
    wait "$runner" && status=0 || status=$?
    kill -0 "$runner" 2>/dev/null || break
  done
  return "$status"
}
