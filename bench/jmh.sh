#!/usr/bin/env bash
# Builds the benchmark module and runs its JMH benchmarks (arguments go to JMH, e.g. ProductBenchmark -p
# shape=128x784x256), or the end-to-end training benchmark with "end-to-end [THREADS] [W1,W2,W3] [EPOCHS]".
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
(cd "$root" && mvn -q -B -Dmaven.test.skip=true -pl backprop-bench -am package)
cp="$root/backprop-bench/target/classes:$root/backprop-bench/target/lib/*"
if [ "${1:-}" = "end-to-end" ]; then
  shift
  # the JVM options of the backprop launcher, so that both measure the same thing (see its comments)
  exec java --add-modules jdk.incubator.vector -Xms128m -XX:+UseParallelGC -XX:GCTimeRatio=2 -cp "$cp" \
    dev.backprop.bench.EndToEnd "$@"
fi
# JMH forks get their JVM flags from the annotations; a -jvmArgsAppend given here replaces them, so repeat
# "--add-modules jdk.incubator.vector" in it (e.g. -jvmArgsAppend "--add-modules jdk.incubator.vector -Dbackprop.threads=1").
exec java -cp "$cp" org.openjdk.jmh.Main "$@"
