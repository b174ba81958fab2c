#!/usr/bin/env bash
# Builds the benchmarks (Maven profile "bench") and runs every measurement, printing Markdown tables:
#   1. JMH hot path (getRequestMetadata on a cached token, -prof gc), wif4j vs google-auth
#   2. requests per acquisition, fault matrix, stampedes, calls around expiry (Comparisons)
#   3. time to first token in fresh JVMs (ColdStart)
# Usage: benchmarks/run.sh [JMH options, default: -wi 3 -i 5 -f 1 -w 2s -r 2s]
#        benchmarks/run.sh --jmh-only [JMH options]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -Pbench -pl benchmarks -am package -DskipTests -Dspotless.skip
JAR=benchmarks/target/benchmarks.jar
JMH_ONLY=false
if [ "${1:-}" = "--jmh-only" ]; then JMH_ONLY=true; shift; fi
if [ "$#" -eq 0 ]; then set -- -wi 3 -i 5 -f 1 -w 2s -r 2s; fi
echo "## Machine: $(nproc) CPUs, $(uname -srm), $(java -version 2>&1 | head -n 1)"
java -jar "$JAR" HotPathBenchmark -prof gc "$@"
if [ "$JMH_ONLY" = true ]; then exit 0; fi
java -cp "$JAR" io.github.wif4j.benchmarks.Comparisons requests faults stampede aws-stampede expiry runs=3
java -cp "$JAR" io.github.wif4j.benchmarks.ColdStart 9
