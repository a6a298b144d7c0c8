#!/usr/bin/env bash
# How long a program that ends takes to exit after its main, by number of points: the run paths'
# user project (src/test/projects/user-app, 4 threads calling 5 timed methods N times each, flat
# out), with `java -cp` and with `mvn exec:java`, recording on and off, 3 runs each.
#   bash integration-tests/exit-time.sh INFLUXDB_URL N...      e.g. http://127.0.0.1:8086 1000 4500 18000
# Needs `mvn -B install -DskipTests` once, and an InfluxDB at INFLUXDB_URL (each run writes to a
# database of its own, exit_time_*). The buffer is raised so that no call is dropped. Prints, per
# N: the points written (5 × (4N + 1)) and the exit times in ms. docs/performance.md has the numbers.
set -euo pipefail
cd "$(dirname "$0")"
url=$1
shift
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r src/test/projects/user-app "$work/"
cd "$work/user-app"
mvn -B -q package -DskipTests
mvn -B -q dependency:build-classpath -Dmdep.outputFile=cp.txt
cp="target/classes:$(cat cp.txt)"
for n in "$@"; do
  for mode in on off; do
    if [ "$mode" = on ]; then setting=-Drawmetrics.buffer-capacity=2000000; else setting=-Drawmetrics.enabled=false; fi
    for path in java exec:java; do
      times=()
      for run in 1 2 3; do
        db="exit_time_${n}_${run}_$RANDOM"
        if [ "$path" = java ]; then
          out=$(java -cp "$cp" "$setting" -Drawmetrics.influxdb.url="$url" -Drawmetrics.influxdb.database="$db" \
            com.example.Workload "$n" 2>&1)
        else
          out=$(mvn -B -q exec:java -Dexec.mainClass=com.example.Workload -Dexec.args="$n" "$setting" \
            -Drawmetrics.influxdb.url="$url" -Drawmetrics.influxdb.database="$db" 2>&1)
        fi
        ended=$(date +%s%3N)
        main=$(echo "$out" | sed -n 's/.*main ends at \([0-9]*\).*/\1/p')
        times+=($((ended - main)))
      done
      echo "N=$n points=$((5 * (4 * n + 1))) $path recording $mode: ${times[*]} ms"
    done
  done
done
