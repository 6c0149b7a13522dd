#!/usr/bin/env bash
# Stops the cluster that start-cluster.sh started: the JobManager first (so running jobs end
# instead of restarting on the remaining TaskManagers), then the TaskManagers. Each gets SIGTERM
# (Flink shuts down cleanly) and SIGKILL if it still runs after $VIGIL_STOP_TIMEOUT seconds (default
# 30). Running jobs are neither cancelled nor savepointed: stop them with flink.sh stop first, or
# resume them later from their last checkpoint ($VIGIL_CLUSTER_DIR/checkpoints/<job-id>/chk-<n>).
#
#   deploy/standalone/stop-cluster.sh
set -euo pipefail
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

only=""
if [[ "${1:-}" == "--only" ]]; then only="${2:?--only needs a process name}"; fi

stop_process() {
  local pid_file="$CLUSTER_PID_DIR/$1.pid" pid
  if ! pid_alive "$pid_file"; then
    rm -f "$pid_file"
    return
  fi
  pid="$(cat "$pid_file")"
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + ${VIGIL_STOP_TIMEOUT:-30}))
  while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.5; done
  if kill -0 "$pid" 2>/dev/null; then
    echo "$1 (pid $pid) did not stop within ${VIGIL_STOP_TIMEOUT:-30}s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$pid_file"
  echo "Stopped $1 (pid $pid)"
}

if [[ -n "$only" ]]; then
  stop_process "$only"
  exit 0
fi
[[ -d "$CLUSTER_PID_DIR" ]] || { echo "No cluster in $VIGIL_CLUSTER_DIR"; exit 0; }
stop_process jobmanager
# shellcheck disable=SC2012 # our own file names
for pid_file in $(ls "$CLUSTER_PID_DIR"/taskmanager-*.pid 2>/dev/null | sort -V); do
  stop_process "$(basename "$pid_file" .pid)"
done
