# shellcheck shell=bash disable=SC2034
# Shared by the deploy/standalone scripts (sourced, not run). Paths and JVM options of a
# standalone Flink session cluster whose lib/ is collected from Maven (collect-flink.sh).
#
# Environment (all optional):
#   VIGIL_CLUSTER_DIR  the cluster's runtime folder: conf/, log/, pids/, tmp/, checkpoints/, savepoints/
#                      (default /tmp/vigil-standalone)
#   FLINK_LIB_DIR      Flink's jars (default <repo>/target/flink-lib, made by collect-flink.sh or `mvn verify`)
#   JAVA_HOME          the JDK to run (default: java on the PATH); Java 17
#   JVM_ARGS           extra JVM options for every process this folder's scripts start
#   FLINK_PLUGINS_DIR  Flink's plugins folder (default $VIGIL_CLUSTER_DIR/plugins)

STANDALONE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VIGIL_HOME="$(cd "$STANDALONE_DIR/../.." && pwd)"
FLINK_LIB_DIR="$(realpath -m "${FLINK_LIB_DIR:-$VIGIL_HOME/target/flink-lib}")"
VIGIL_CLUSTER_DIR="$(realpath -m "${VIGIL_CLUSTER_DIR:-/tmp/vigil-standalone}")"
CLUSTER_CONF_DIR="$VIGIL_CLUSTER_DIR/conf"
CLUSTER_LOG_DIR="$VIGIL_CLUSTER_DIR/log"
CLUSTER_PID_DIR="$VIGIL_CLUSTER_DIR/pids"
# Flink plugins (one sub-folder per plugin, e.g. an S3 file system); empty unless you add some.
export FLINK_PLUGINS_DIR="${FLINK_PLUGINS_DIR:-$VIGIL_CLUSTER_DIR/plugins}"
if [[ -n "${JAVA_HOME:-}" ]]; then JAVA="$JAVA_HOME/bin/java"; else JAVA=java; fi

# Flink on Java 17: the opens and exports of Flink's own start scripts (reflection into the JDK by
# Kryo, Pekko, the state backends, the Hadoop security code). Without java.base/java.util the job's
# main fails in the CLI with InaccessibleObjectException.
JAVA17_OPTS=(
  --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED
  --add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED
  --add-opens=java.base/java.lang=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/java.text=ALL-UNNAMED
  --add-opens=java.base/java.time=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED
)

die() {
  echo "$(basename "$0"): $*" >&2
  exit 1
}

have_flink_lib() {
  compgen -G "$FLINK_LIB_DIR/flink-runtime-*.jar" >/dev/null
}

require_flink_lib() {
  have_flink_lib || die "no Flink jars in $FLINK_LIB_DIR: run deploy/standalone/collect-flink.sh first"
}

# The classpath of every Flink process: all jars of FLINK_LIB_DIR.
flink_classpath() {
  local jars=("$FLINK_LIB_DIR"/*.jar)
  local IFS=:
  echo "${jars[*]}"
}

# Runs Flink's BashJavaUtils (what Flink's own scripts use to compute memory flags and to merge
# configuration) and prints its results without their prefix.
bash_java_utils() {
  local out
  # shellcheck disable=SC2086 # JVM_ARGS holds several options
  out="$("$JAVA" ${JVM_ARGS:-} -Dlog4j2.configurationFile="file:$STANDALONE_DIR/log4j-cli.properties" \
    -Dlog.file=/dev/null -cp "$(flink_classpath)" org.apache.flink.runtime.util.bash.BashJavaUtils "$@" 2>&1)" \
    || die "BashJavaUtils $1 failed:"$'\n'"$out"
  local result
  result="$(grep '^BASH_JAVA_UTILS_EXEC_RESULT:' <<<"$out" | sed 's/^BASH_JAVA_UTILS_EXEC_RESULT://')"
  [[ -n "$result" ]] || die "BashJavaUtils $1 printed no result:"$'\n'"$out"
  echo "$result"
}

require_cluster_conf() {
  [[ -f "$CLUSTER_CONF_DIR/config.yaml" ]] \
    || die "no cluster configuration in $CLUSTER_CONF_DIR: start the cluster with deploy/standalone/start-cluster.sh (or set VIGIL_CLUSTER_DIR)"
}

# The value of a key in the cluster's (flattened) config.yaml, unquoted; empty when unset.
conf_value() {
  local line value
  line="$(grep -m1 "^$1: " "$CLUSTER_CONF_DIR/config.yaml" || true)"
  value="${line#"$1: "}"
  if [[ "$value" == \'*\' ]]; then
    value="${value:1:${#value}-2}"
    value="${value//\'\'/\'}"
  elif [[ "$value" == \"*\" ]]; then
    value="${value:1:${#value}-2}"
  fi
  echo "$value"
}

# JVM options of a process of the given role (jobmanager, taskmanager, client): the Java 17 list,
# env.java.opts.all and env.java.opts.<role> from the cluster configuration, then JVM_ARGS.
role_java_opts() {
  ROLE_OPTS=("${JAVA17_OPTS[@]}")
  local extra
  read -r -a extra <<<"$(conf_value env.java.opts.all) $(conf_value "env.java.opts.$1") ${JVM_ARGS:-}"
  ROLE_OPTS+=(${extra[@]+"${extra[@]}"})
}

# Is the process in this pid file alive?
pid_alive() {
  [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null
}

rest_url() {
  local address port
  address="$(conf_value rest.address)"
  port="$(conf_value rest.port)"
  echo "http://${address:-localhost}:${port:-8081}"
}

# GET a REST path of the JobManager; prints the body, fails if it does not answer.
rest_get() {
  if command -v curl >/dev/null; then
    curl -fsS --max-time 5 "$(rest_url)$1"
  else
    # No curl: plain HTTP/1.0 over bash's /dev/tcp.
    local address port
    address="$(conf_value rest.address)"
    port="$(conf_value rest.port)"
    exec 3<>"/dev/tcp/${address:-localhost}/${port:-8081}" || return 1
    printf 'GET %s HTTP/1.0\r\nHost: %s\r\n\r\n' "$1" "${address:-localhost}" >&3
    local response
    response="$(timeout 5 cat <&3)" || { exec 3>&-; return 1; }
    exec 3>&-
    [[ "$response" == "HTTP/1."?" 200"* ]] || return 1
    echo "${response#*$'\r\n\r\n'}"
  fi
}
