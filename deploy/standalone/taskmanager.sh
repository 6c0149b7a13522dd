#!/usr/bin/env bash
# Starts or stops one TaskManager of the cluster that start-cluster.sh started.
#
#   deploy/standalone/taskmanager.sh start   a new TaskManager (taskmanager-<n>, n = next free number)
#   deploy/standalone/taskmanager.sh stop [N] stops taskmanager-N (default: the newest running one)
#
# A TaskManager is its own JVM: memory flags from Flink's calculation for
# taskmanager.memory.process.size, log $VIGIL_CLUSTER_DIR/log/flink-taskmanager-<n>.log, pid file
# $VIGIL_CLUSTER_DIR/pids/taskmanager-<n>.pid. Its resource id (in the web UI and the logs) is
# taskmanager-<n>.
set -euo pipefail
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
require_cluster_conf
require_flink_lib

case "${1:-}" in
  start)
    n=1
    while [[ -e "$CLUSTER_PID_DIR/taskmanager-$n.pid" ]]; do n=$((n + 1)); done
    name="taskmanager-$n"
    : >"$CLUSTER_PID_DIR/$name.pid" # claims the number before the slow part
    mapfile -t tm_params < <(bash_java_utils GET_TM_RESOURCE_PARAMS --configDir "$CLUSTER_CONF_DIR")
    ((${#tm_params[@]} == 2)) || die "unexpected GET_TM_RESOURCE_PARAMS result: ${tm_params[*]}"
    role_java_opts taskmanager
    # shellcheck disable=SC2086
    nohup "$JAVA" ${tm_params[0]} "${ROLE_OPTS[@]}" \
      -Dlog.file="$CLUSTER_LOG_DIR/flink-$name.log" \
      -Dlog4j2.configurationFile="file:$CLUSTER_CONF_DIR/log4j.properties" \
      -cp "$(flink_classpath)" org.apache.flink.runtime.taskexecutor.TaskManagerRunner \
      --configDir "$CLUSTER_CONF_DIR" ${tm_params[1]} -D "taskmanager.resource-id=$name" \
      >"$CLUSTER_LOG_DIR/flink-$name.out" 2>&1 </dev/null &
    echo $! >"$CLUSTER_PID_DIR/$name.pid"
    echo "TaskManager $name started (pid $!), log $CLUSTER_LOG_DIR/flink-$name.log"
    ;;
  stop)
    if [[ -n "${2:-}" ]]; then
      pid_file="$CLUSTER_PID_DIR/taskmanager-$2.pid"
    else
      pid_file=""
      # shellcheck disable=SC2012 # our own file names
      for f in $(ls "$CLUSTER_PID_DIR"/taskmanager-*.pid 2>/dev/null | sort -V); do
        if pid_alive "$f"; then pid_file="$f"; fi
      done
      [[ -n "$pid_file" ]] || die "no TaskManager is running"
    fi
    pid_alive "$pid_file" || die "$(basename "$pid_file" .pid) is not running"
    "$STANDALONE_DIR/stop-cluster.sh" --only "$(basename "$pid_file" .pid)"
    ;;
  *)
    sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
    exit 2
    ;;
esac
