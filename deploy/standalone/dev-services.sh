#!/usr/bin/env bash
# Kafka and PostgreSQL on this machine, to try the cluster with: the project's embedded Kafka broker
# (KRaft, one node) and PostgreSQL server, in the foreground until Ctrl-C, data thrown away.
# Topics inference-logs (2 partitions), vigil-dead-letters, vigil-alerts and feedback exist; database vigil
# is empty until `./vigil init-db`.
#
#   deploy/standalone/dev-services.sh [KAFKA_PORT] [POSTGRES_PORT]     (default 19092 15432)
#
# Needs the build (mvn -B -DskipTests package) for target/classes and its classpath files.
set -euo pipefail

home="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
for f in target/classes target/launcher-runtime.classpath target/launcher-provided.classpath; do
  [[ -e "$home/$f" ]] || { echo "dev-services.sh: no $f: build first (mvn -B -DskipTests package)" >&2; exit 1; }
done
cp="$home/target/classes:$(cat "$home/target/launcher-runtime.classpath"):$(cat "$home/target/launcher-provided.classpath")"
exec java -Dlog4j2.configurationFile="$home/flink-conf/log4j-cli.properties" -cp "$cp" \
  "$home/deploy/standalone/DevServices.java" "${1:-19092}" "${2:-15432}"
