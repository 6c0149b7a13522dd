#!/usr/bin/env bash
# Collects Flink's runtime jars (the lib/ of a standalone cluster) from Maven Central into one
# folder, as defined by deploy/standalone/pom.xml: the JobManager, TaskManager, RPC, web UI, CLI,
# Prometheus reporter, RocksDB state backend and Log4j 2 with their dependencies.
#
#   deploy/standalone/collect-flink.sh [LIB_DIR] [MAVEN_ARGS...]
#
# LIB_DIR defaults to $FLINK_LIB_DIR, else <repo>/target/flink-lib. The folder is replaced as a
# whole, so no jar of an older version stays behind. MVN names the Maven command (default mvn).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
lib="${1:-${FLINK_LIB_DIR:-$here/../../target/flink-lib}}"
shift || true
mkdir -p "$(dirname "$lib")"
lib="$(cd "$(dirname "$lib")" && pwd)/$(basename "$lib")"

staging="$lib.new"
rm -rf "$staging"
if ! output="$("${MVN:-mvn}" -B -q -Dstyle.color=never -f "$here/pom.xml" package -Dflink.lib.dir="$staging" "$@" 2>&1)"; then
  echo "$output" >&2
  echo "collect-flink.sh: Maven failed to collect Flink's jars (above)" >&2
  exit 1
fi
rm -rf "$lib"
mv "$staging" "$lib"
jars=("$lib"/*.jar)
echo "Flink jars in $lib (${#jars[@]} jars)"
