#!/usr/bin/env bash
# Builds the benchmarks (Maven profile "bench") and runs every measurement, printing Markdown tables:
#   1. JMH hot path (getRequestMetadata on a cached token, -prof gc), wif4j vs google-auth
#   2. requests per acquisition, fault matrix, stampedes, calls around expiry (Comparisons)
#   3. time to first token in fresh JVMs (ColdStart)
#   4. the installed aws-credential-process, cold and warm, next to a bare JVM start (HelperStart)
# Usage: benchmarks/run.sh [JMH options, default: -wi 3 -i 5 -f 1 -w 2s -r 2s]
#        benchmarks/run.sh --jmh-only [JMH options]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -Pbench -pl benchmarks,cli -am package -DskipTests -Dspotless.skip
JAR=benchmarks/target/benchmarks.jar
JMH_ONLY=false
if [ "${1:-}" = "--jmh-only" ]; then JMH_ONLY=true; shift; fi
if [ "$#" -eq 0 ]; then set -- -wi 3 -i 5 -f 1 -w 2s -r 2s; fi
echo "## Machine: $(nproc) CPUs, $(uname -srm), $(java -version 2>&1 | head -n 1)"
java -jar "$JAR" HotPathBenchmark -prof gc "$@"
if [ "$JMH_ONLY" = true ]; then exit 0; fi
java -cp "$JAR" io.github.wif4j.benchmarks.Comparisons requests faults stampede aws-stampede expiry runs=3
java -cp "$JAR" io.github.wif4j.benchmarks.ColdStart 11 classes
# 4. the installed credential helper: unpack the distribution, make its CDS archive, time it (HelperStart)
rm -rf benchmarks/target/dist && mkdir -p benchmarks/target/dist
tar xzf cli/target/wif4j-*-dist.tar.gz -C benchmarks/target/dist
WIF4J=$(echo benchmarks/target/dist/wif4j-*/bin/wif4j)
"$WIF4J" --create-cds-archive >/dev/null
java -cp "$JAR" io.github.wif4j.benchmarks.HelperStart "$WIF4J" 9
