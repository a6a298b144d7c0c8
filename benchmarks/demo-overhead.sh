#!/usr/bin/env bash
# The HTTP demo under wrk -t2 -c5, alternating three modes each round:
#   off    rawmetrics.enabled=false
#   on     metrics on, written to a real influxd on this machine
#   sink   metrics on, written to HttpSink (answers 204, discards): the library's own cost,
#          without InfluxDB's CPU, which on this 2-core machine the app has to share
#   replay metrics off, while InfluxReplay feeds the same influxd pre-encoded points at the rate
#          the round's "on" run wrote them: InfluxDB's ingestion cost, with none of the library's
#   bash benchmarks/demo-overhead.sh [rounds] [seconds]
# Needs: mvn -B install -DskipTests (once), influxd and wrk on the PATH. Prints a Markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
seconds=${2:-15}
work=$(mktemp -d)
trap 'kill $influxd_pid $sink_pid 2>/dev/null || true; rm -rf "$work"' EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
influx_port=$(free_port)
cat > "$work/influxd.conf" <<CONF
reporting-disabled = true
bind-address = "127.0.0.1:$(free_port)"
[meta]
  dir = "$work/meta"
[data]
  dir = "$work/data"
  wal-dir = "$work/wal"
  query-log-enabled = false
[http]
  bind-address = "127.0.0.1:$influx_port"
  log-enabled = false
[logging]
  level = "warn"
CONF
influxd -config "$work/influxd.conf" > "$work/influxd.log" 2>&1 &
influxd_pid=$!
until curl -s -o /dev/null "http://127.0.0.1:$influx_port/ping"; do sleep 0.2; done

sink_port=$(free_port)
java -cp benchmarks/target/benchmarks.jar io.rawmetrics.benchmarks.HttpSink "$sink_port" > "$work/sink.log" 2>&1 &
sink_pid=$!
until curl -s -o /dev/null "http://127.0.0.1:$sink_port/ping"; do sleep 0.2; done

mvn -B -q -pl hello-world-v2 dependency:build-classpath -Dmdep.outputFile="$work/cp.txt" > /dev/null
classpath="hello-world-v2/target/classes:$(cat "$work/cp.txt")"

# wrk's latency figure in microseconds: 850.00us, 1.23ms, 2.01s
to_us() { awk '{ v=$1; if (v ~ /us$/) { sub(/us$/,"",v); print v } else if (v ~ /ms$/) { sub(/ms$/,"",v); print v*1000 } else { sub(/s$/,"",v); print v*1000000 } }'; }

run() { # mode round
  local port url enabled; port=$(free_port)
  enabled=true; url="http://127.0.0.1:$influx_port"
  [ "$1" = off ] && enabled=false
  [ "$1" = replay ] && enabled=false
  [ "$1" = sink ] && url="http://127.0.0.1:$sink_port"
  java -Drawmetrics.enabled="$enabled" -Drawmetrics.influxdb.url="$url" \
       -Drawmetrics.influxdb.database=overhead -cp "$classpath" io.rawmetrics.demo.HelloWorldV2 \
       wsgi-1 --port "$port" > "$work/demo-$1-$2.log" 2>&1 &
  local demo=$!
  until grep -q "Stop with Ctrl-C" "$work/demo-$1-$2.log"; do sleep 0.2; done
  local replay=""
  if [ "$1" = replay ]; then
    java -cp benchmarks/target/benchmarks.jar io.rawmetrics.benchmarks.InfluxReplay "http://127.0.0.1:$influx_port" \
         replay "$on_rps" $((seconds + 4)) > "$work/replay-$2.log" 2>&1 &
    replay=$!
  fi
  wrk -t2 -c5 -d2s "http://127.0.0.1:$port/" > /dev/null            # warm-up, not counted
  wrk -t2 -c5 -d"${seconds}s" --latency "http://127.0.0.1:$port/" > "$work/wrk-$1-$2.txt"
  kill -TERM $demo; wait $demo || true
  [ -n "$replay" ] && { kill $replay 2>/dev/null; wait $replay || true; }
  local rps p99
  rps=$(awk '/^Requests\/sec:/ {print $2}' "$work/wrk-$1-$2.txt")
  p99=$(awk '$1=="99%" {print $2}' "$work/wrk-$1-$2.txt" | to_us)
  echo "| $2 | $1 | $rps | $p99 |"
  echo "$1 $rps $p99" >> "$work/results.txt"
  [ "$1" = on ] && on_rps=$rps
  return 0
}

echo "| round | metrics | requests/s | p99 latency (us) |"
echo "|---|---|---|---|"
for round in $(seq "$rounds"); do
  run on "$round"
  run off "$round"
  run sink "$round"
  run replay "$round"
done
median() { sort -n | awk '{a[NR]=$1} END { if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2 }'; }
for mode in on sink replay; do
  for column in 2 3; do
    m=$(awk -v m="$mode" -v c="$column" '$1==m {print $c}' "$work/results.txt" | median)
    o=$(awk -v c="$column" '$1=="off" {print $c}' "$work/results.txt" | median)
    name=$([ "$column" = 2 ] && echo "requests/s" || echo "p99 (us)")
    echo "median $name: $mode $m, off $o, $mode / off = $(awk -v a="$m" -v b="$o" 'BEGIN { printf "%.3f", a/b }')"
  done
done
points=$(curl -s "http://127.0.0.1:$influx_port/query?db=overhead" --data-urlencode 'q=SELECT count(application_time) FROM "raw-requests"')
echo "points in InfluxDB (the 'on' rounds, warm-ups included): $points"
