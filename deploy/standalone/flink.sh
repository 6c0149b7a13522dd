#!/usr/bin/env bash
# The Flink command line (org.apache.flink.client.cli.CliFrontend) for the cluster that
# start-cluster.sh started: FLINK_CONF_DIR is its configuration, so `run`, `list`, `savepoint`,
# `stop` and `cancel` talk to its REST endpoint. Logs to $VIGIL_CLUSTER_DIR/log/flink-client.log.
#
#   deploy/standalone/flink.sh run -d target/vigil-0.1.0.jar run --spec ... --bootstrap-servers ... --jdbc-url ...
#   deploy/standalone/flink.sh list
#   deploy/standalone/flink.sh stop --savepointPath /tmp/vigil-standalone/savepoints <job-id>
#   deploy/standalone/flink.sh run -d -s <savepoint-path> target/vigil-0.1.0.jar run ...
#   deploy/standalone/flink.sh --help
set -euo pipefail
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
require_cluster_conf
require_flink_lib

role_java_opts client
export FLINK_CONF_DIR="$CLUSTER_CONF_DIR"
export FLINK_LIB_DIR
exec "$JAVA" "${ROLE_OPTS[@]}" \
  -Dlog.file="$CLUSTER_LOG_DIR/flink-client.log" \
  -Dlog4j2.configurationFile="file:$CLUSTER_CONF_DIR/log4j-cli.properties" \
  -cp "$(flink_classpath)" org.apache.flink.client.cli.CliFrontend "$@"
