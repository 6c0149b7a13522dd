#!/usr/bin/env bash
# Starts a standalone Flink session cluster on this machine: one JobManager and N TaskManagers,
# each its own JVM, configured by flink-conf/config.yaml.
#
#   deploy/standalone/start-cluster.sh [--taskmanagers N] [--conf DIR] [-D key=value]...
#
#   --taskmanagers N  TaskManagers to start (default 2); add more later with taskmanager.sh start
#   --conf DIR        folder of the config.yaml to run with (default <repo>/flink-conf)
#   -D key=value      overrides a configuration key (e.g. -D rest.port=8082), repeatable
#
# The configuration the cluster runs with is written to $VIGIL_CLUSTER_DIR/conf/config.yaml (flat
# keys): the source config.yaml merged by Flink itself with the overrides. io.tmp.dirs, web.tmpdir
# and the checkpoint and savepoint directories are placed under $VIGIL_CLUSTER_DIR unless -D sets
# them.
# Logs: $VIGIL_CLUSTER_DIR/log, pid files: $VIGIL_CLUSTER_DIR/pids. See common.sh for the
# environment variables.
set -euo pipefail
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

taskmanagers=2
source_conf="$VIGIL_HOME/flink-conf"
overrides=()
while (($#)); do
  case "$1" in
    --taskmanagers) taskmanagers="${2:?--taskmanagers needs a number}"; shift 2 ;;
    --conf) source_conf="${2:?--conf needs a folder}"; shift 2 ;;
    -D) overrides+=(-D "${2:?-D needs key=value}"); shift 2 ;;
    -D*) overrides+=(-D "${1#-D}"); shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $1 (see --help)" ;;
  esac
done
[[ "$taskmanagers" =~ ^[0-9]+$ ]] || die "--taskmanagers must be a number"
[[ -f "$source_conf/config.yaml" ]] || die "no config.yaml in $source_conf"

for pid_file in "$CLUSTER_PID_DIR"/*.pid; do
  if pid_alive "$pid_file"; then
    die "$(basename "$pid_file" .pid) of $VIGIL_CLUSTER_DIR is still running (pid $(cat "$pid_file")): stop-cluster.sh first"
  fi
done
if ! have_flink_lib; then
  echo "No Flink jars in $FLINK_LIB_DIR yet; collecting them ..."
  "$STANDALONE_DIR/collect-flink.sh" "$FLINK_LIB_DIR"
fi

mkdir -p "$CLUSTER_CONF_DIR" "$CLUSTER_LOG_DIR" "$CLUSTER_PID_DIR" "$VIGIL_CLUSTER_DIR/tmp" "$FLINK_PLUGINS_DIR"
rm -f "$CLUSTER_PID_DIR"/*.pid
defaults=(
  -D "io.tmp.dirs=$VIGIL_CLUSTER_DIR/tmp"
  -D "web.tmpdir=$VIGIL_CLUSTER_DIR/tmp"
  -D "execution.checkpointing.dir=file://$VIGIL_CLUSTER_DIR/checkpoints"
  -D "execution.checkpointing.savepoint-dir=file://$VIGIL_CLUSTER_DIR/savepoints"
)
# Flink merges the overrides into the configuration itself (later -D wins), as its Docker image does.
bash_java_utils UPDATE_AND_GET_FLINK_CONFIGURATION --configDir "$source_conf" -flatten \
  "${defaults[@]}" ${overrides[@]+"${overrides[@]}"} >"$CLUSTER_CONF_DIR/config.yaml.new"
mv "$CLUSTER_CONF_DIR/config.yaml.new" "$CLUSTER_CONF_DIR/config.yaml"
cp "$STANDALONE_DIR/log4j.properties" "$STANDALONE_DIR/log4j-cli.properties" "$CLUSTER_CONF_DIR/"

# The JobManager: memory flags from Flink's own calculation for jobmanager.memory.process.size.
mapfile -t jm_params < <(bash_java_utils GET_JM_RESOURCE_PARAMS --configDir "$CLUSTER_CONF_DIR")
((${#jm_params[@]} == 2)) || die "unexpected GET_JM_RESOURCE_PARAMS result: ${jm_params[*]}"
role_java_opts jobmanager
# shellcheck disable=SC2086
nohup "$JAVA" ${jm_params[0]} "${ROLE_OPTS[@]}" \
  -Dlog.file="$CLUSTER_LOG_DIR/flink-jobmanager.log" \
  -Dlog4j2.configurationFile="file:$CLUSTER_CONF_DIR/log4j.properties" \
  -cp "$(flink_classpath)" org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint \
  --configDir "$CLUSTER_CONF_DIR" ${jm_params[1]} \
  >"$CLUSTER_LOG_DIR/flink-jobmanager.out" 2>&1 </dev/null &
echo $! >"$CLUSTER_PID_DIR/jobmanager.pid"
echo "JobManager started (pid $!), log $CLUSTER_LOG_DIR/flink-jobmanager.log"

for ((i = 0; i < taskmanagers; i++)); do
  "$STANDALONE_DIR/taskmanager.sh" start
done

# Stops what this script started, then fails.
abort() {
  "$STANDALONE_DIR/stop-cluster.sh" >/dev/null 2>&1 || true
  die "$@"
}

# Ready when the REST endpoint answers and every TaskManager has registered.
deadline=$((SECONDS + ${VIGIL_START_TIMEOUT:-120}))
while :; do
  if ! pid_alive "$CLUSTER_PID_DIR/jobmanager.pid"; then
    cause="$(grep -h 'Caused by' "$CLUSTER_LOG_DIR/flink-jobmanager.log" 2>/dev/null | tail -1 || true)"
    abort "the JobManager exited${cause:+ ($cause)}; see $CLUSTER_LOG_DIR/flink-jobmanager.log and .out"
  fi
  overview="$(rest_get /overview 2>/dev/null || true)"
  registered="$(sed -n 's/.*"taskmanagers":\([0-9]*\).*/\1/p' <<<"$overview")"
  if [[ -n "$registered" ]] && ((registered >= taskmanagers)); then break; fi
  ((SECONDS < deadline)) || abort "the cluster did not come up within ${VIGIL_START_TIMEOUT:-120}s (TaskManagers registered: ${registered:-none}); see $CLUSTER_LOG_DIR"
  sleep 1
done
echo "Cluster up: $registered TaskManager(s), web UI and REST at $(rest_url)"
