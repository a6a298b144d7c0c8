#!/usr/bin/env bash
# The first 200 timed calls of a fresh JVM, on 200 new threads (virtual on Java 21+), with recording
# off and on, alternating, one new JVM per run; prints each run and the medians (ms).
#   bash benchmarks/first-calls.sh [runs] [extra -D options for the "on" runs]
# "on" writes to a port where nothing listens by default: starting the recorder must not wait for
# the network, so the result is the same with a server, a slow DNS or none.
# Needs: mvn -B install -DskipTests (once). Uses the java on the PATH (JAVA_HOME/bin/java if set).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-9}
shift || true
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
jar=benchmarks/target/benchmarks.jar
common=(-Drawmetrics.shutdown-timeout=100ms -cp "$jar" io.rawmetrics.benchmarks.FirstCalls 200)
off=(); on=()
for i in $(seq "$runs"); do
  off+=("$("$java" -Drawmetrics.enabled=false "${common[@]}" 2>/dev/null)")
  on+=("$("$java" -Drawmetrics.influxdb.url=http://127.0.0.1:9 "$@" "${common[@]}" 2>/dev/null)")
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "off: ${off[*]}"
echo "on:  ${on[*]}"
m_off=$(median "${off[@]}"); m_on=$(median "${on[@]}")
echo "median off $m_off ms, on $m_on ms, ratio $(awk -v a="$m_on" -v b="$m_off" 'BEGIN {printf "%.2f", a / b}')"
