#!/usr/bin/env bash
# Every way a program ends, many times in a row, on each JDK: RunPathsIT (mvn exec:java, java with
# main returning, System.exit, SIGTERM, Surefire) and SpringBootExampleIT's java -jar stopped by
# SIGTERM, each path run RUNS times (the test command runs them 5 times; exec:java twice as many),
# the programs ending at varied moments, every call counted in a private influxd.
#   bash integration-tests/run-paths.sh [RUNS] [JDK_HOME...]
# RUNS defaults to 25, the JDKs to this machine kind's OpenJDK 17 and Temurin 25. Needs
# `mvn -B install -DskipTests` once, and influxd on the PATH. Prints one line per path and JDK:
#   run-paths: exec_java on Java 17: 50 of 50 runs stored every call
# and the full logs in integration-tests/target/run-paths-JAVA.log. docs/reliability.md has the numbers.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-25}
shift || true
jdks=("$@")
if [ ${#jdks[@]} -eq 0 ]; then
  jdks=(/usr/lib/jvm/java-17-openjdk-amd64 /usr/lib/jvm/temurin-25-jdk-amd64)
fi
status=0
for jdk in "${jdks[@]}"; do
  if [ ! -x "$jdk/bin/java" ]; then
    echo "no JDK at $jdk" >&2
    exit 2
  fi
  log="integration-tests/target/run-paths-$(basename "$jdk").log"
  mkdir -p integration-tests/target
  started=$(date +%s)
  # The tests' JVM runs on $jdk (failsafe's jvm), and so do the programs and builds they start.
  if ! mvn -B -pl integration-tests verify -Dit.test='RunPathsIT,SpringBootExampleIT#javaJarStoppedBySigterm*' \
      -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false -Djvm="$jdk/bin/java" \
      -Drawmetrics.it.runs="$runs" > "$log" 2>&1; then
    status=1
  fi
  grep -h '^run-paths: ' "$log" || true
  grep -h 'Tests run:.*Fail' "$log" | tail -1 || true
  echo "($jdk: $(( $(date +%s) - started )) s, log in $log)"
done
exit $status
