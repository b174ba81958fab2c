#!/usr/bin/env bash
# Builds the JMH benchmarks (Maven profile "bench") and runs them with the GC profiler.
# Extra arguments go to JMH, e.g.:  benchmarks/run.sh -wi 2 -i 3 -f 1 -w 1s -r 1s
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -Pbench -pl benchmarks -am package -DskipTests -Dspotless.skip
exec java -jar benchmarks/target/benchmarks.jar HotPathBenchmark -prof gc "$@"
