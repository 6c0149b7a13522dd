#!/usr/bin/env bash
# Runs the notebooks headless against a fresh demo database, as the read-only role: starts
# `./vigil demo --keep-running`, waits until its job has stopped and its summary is written, lets
# vigil_reader log in (`vigil init-db` with VIGIL_READER_PASSWORD), runs run-headless.sh, and
# stops the demo. Fails if the demo fails, a notebook fails, or a plot cell drew nothing.
#
#   notebooks/run-on-demo.sh        # about 1.5 minutes after the build; plots in notebooks/out/
#
# VIGIL_DEMO_DURATION (simulated time, default 3h: the first drift incidents start after 1h),
# VIGIL_DEMO_WALL_TIME (default 30s) and VIGIL_DEMO_HISTORY (clean history before the scenario,
# where the demo has that option; default 0s) size the demo; VIGIL_DEMO_TIMEOUT (seconds,
# default 900) bounds the wait for it.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d -t vigil-notebooks.XXXXXX)"
log="$work/demo.log"
demo_pid=""

stop_demo() {
  if [[ -n "$demo_pid" ]] && kill -0 "$demo_pid" 2>/dev/null; then
    kill "$demo_pid"                 # SIGTERM: the demo's shutdown hooks stop PostgreSQL and Kafka
    wait "$demo_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap stop_demo EXIT

demo_args=(--duration "${VIGIL_DEMO_DURATION:-3h}" --wall-time "${VIGIL_DEMO_WALL_TIME:-30s}"
           --keep-running --summary-file "$work/summary.json" --work-dir "$work/demo")
# A demo that first streams days of clean history for the detectors that learn from the past
# takes minutes longer; the notebooks need only the scenario's hours.
demo_help="$("$root/vigil" demo --help 2>/dev/null || true)"
if grep -q -- '--history' <<<"$demo_help"; then
  demo_args+=(--history "${VIGIL_DEMO_HISTORY:-0s}")
fi
echo "Starting the demo (log: $log) ..."
# ./vigil execs java, so $! is the demo's JVM.
"$root/vigil" demo "${demo_args[@]}" >"$log" 2>&1 &
demo_pid=$!

deadline=$((SECONDS + ${VIGIL_DEMO_TIMEOUT:-900}))
until grep -q "stay up to explore" "$log"; do
  if ! kill -0 "$demo_pid" 2>/dev/null; then
    cat "$log" >&2
    echo "run-on-demo.sh: the demo ended before its database was ready" >&2
    exit 1
  fi
  if (( SECONDS > deadline )); then
    cat "$log" >&2
    echo "run-on-demo.sh: the demo was not ready within ${VIGIL_DEMO_TIMEOUT:-900} s" >&2
    exit 1
  fi
  sleep 2
done
# From the demo's summary: the incidents and when they were detected, and the database's port.
sed -n '/^Vigil profiled/,/^Explore the results/p' "$log"
port="$(sed -n 's/.*psql -h localhost -p \([0-9][0-9]*\) .*/\1/p' "$log" | tail -n 1)"
[[ -n "$port" ]] || { cat "$log" >&2; echo "run-on-demo.sh: no PostgreSQL port in the demo's output" >&2; exit 1; }

reader_password="$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
VIGIL_READER_PASSWORD="$reader_password" VIGIL_DB_PASSWORD="" \
  "$root/vigil" init-db --jdbc-url "jdbc:postgresql://localhost:$port/vigil" --db-user postgres

VIGIL_PG_HOST=localhost VIGIL_PG_PORT="$port" VIGIL_PG_DB=vigil \
VIGIL_PG_USER=vigil_reader VIGIL_PG_PASSWORD="$reader_password" \
  "$root/notebooks/run-headless.sh"
