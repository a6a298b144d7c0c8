#!/usr/bin/env bash
# ServletContainerIT again and again: each run deploys, loads and undeploys examples/servlet five
# times in a private Tomcat (Debian's tomcat10) on each JDK of the examples, and checks that every
# served request is one point, that no thread of the library and no old deployment outlives its
# undeploy (a leak found only about one run in eight needs many runs to be seen).
#   bash integration-tests/servlet-runs.sh [RUNS]
# RUNS defaults to 10. Needs `mvn -B install -DskipTests` once, influxd and tomcat10. Prints one
# line per run, and on a failure keeps its reports and the heap dump the test writes
# (integration-tests/target/servlet-leak-javaN.hprof) in integration-tests/target/servlet-run-K/.
# docs/reliability.md has the numbers.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-10}
failed=0
for run in $(seq 1 "$runs"); do
  started=$(date +%s)
  log="integration-tests/target/servlet-run-$run.log"
  mkdir -p integration-tests/target
  if mvn -B -pl integration-tests verify -Dit.test=ServletContainerIT -Dtest=NoSuchTest \
      -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false > "$log" 2>&1; then
    outcome=passed
  else
    outcome=FAILED
    failed=$((failed + 1))
    kept="integration-tests/target/servlet-run-$run"
    mkdir -p "$kept"
    cp -r integration-tests/target/failsafe-reports "$kept/" 2>/dev/null || true
    mv integration-tests/target/servlet-leak-java*.hprof "$kept/" 2>/dev/null || true
  fi
  echo "servlet-runs: run $run of $runs $outcome in $(( $(date +%s) - started )) s (log in $log)"
done
echo "servlet-runs: $((runs - failed)) of $runs runs passed"
[ "$failed" -eq 0 ]
