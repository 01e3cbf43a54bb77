#!/usr/bin/env bash
# A real Spark standalone cluster on this machine: a master and two workers, each its own JVM from Spark's own jars
# (the ones the launcher fetches for --spark), bound to loopback. Trains with --spark on it and checks that the model
# has the same weights, bit for bit, as local training with --shards 2; then runs the README's spark-submit example
# through Spark's own submit entry point (org.apache.spark.deploy.SparkSubmit, the class that the spark-submit script
# starts) against the same cluster, and checks its model the same way. Exit 1 on a difference.
# Usage: interop/spark_standalone.sh (about a minute and a half).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
scratch="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  [ -n "${KEEP_SCRATCH:-}" ] && echo "kept $scratch" || rm -rf "$scratch"
}
trap cleanup EXIT

# The first --spark use fetches Spark's jars; --version keeps it quick.
"$root/backprop" --version --spark >/dev/null
lib="$root/backprop-spark/target/spark-lib"
opens=()
for p in java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util java.util.concurrent \
    java.util.concurrent.atomic jdk.internal.ref sun.nio.ch sun.nio.cs sun.security.action sun.util.calendar; do
  opens+=("--add-opens=java.base/$p=ALL-UNNAMED")
done
spark_java=(java "${opens[@]}" -Djdk.reflect.useDirectMethodHandle=false -Dio.netty.tryReflectionSetAccessible=true
  -Xmx512m -cp "$lib/*:$(ls "$root"/backprop-cli/target/lib/slf4j-api-*.jar)")
# A worker starts its executors from $SPARK_HOME/jars, the layout of Spark's distribution: links to the same jars.
mkdir -p "$scratch/spark/jars"
ln -s "$lib"/*.jar "$root"/backprop-cli/target/lib/slf4j-api-*.jar "$scratch/spark/jars/"
export SPARK_HOME="$scratch/spark" SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=127.0.0.1 SPARK_LOCAL_DIRS="$scratch/local"

port=$(( 20000 + RANDOM % 20000 ))
"${spark_java[@]}" org.apache.spark.deploy.master.Master --host 127.0.0.1 --port "$port" --webui-port 0 \
  > "$scratch/master.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 150); do grep -q "I have been elected leader" "$scratch/master.log" && break; sleep 0.2; done
grep -q "I have been elected leader" "$scratch/master.log" || { cat "$scratch/master.log"; exit 1; }
for w in 1 2; do
  "${spark_java[@]}" org.apache.spark.deploy.worker.Worker "spark://127.0.0.1:$port" \
    --host 127.0.0.1 --cores 1 --memory 1g --webui-port 0 --work-dir "$scratch/work$w" > "$scratch/worker$w.log" 2>&1 &
  pids+=($!)
done
for _ in $(seq 1 150); do [ "$(grep -c "Registering worker" "$scratch/master.log")" -ge 2 ] && break; sleep 0.2; done
[ "$(grep -c "Registering worker" "$scratch/master.log")" -ge 2 ] || { cat "$scratch"/*.log; exit 1; }
echo "standalone cluster up: spark://127.0.0.1:$port, 2 workers"

cd "$scratch"
flags=(--data iris --epochs 3 --batch-size 15 --optimizer adam --dropout 0.2 --shards 2 --quiet)
"$root/backprop" train "${flags[@]}" --out local.safetensors
BACKPROP_JAVA_OPTS="-Dspark.executor.memory=512m" \
  "$root/backprop" train "${flags[@]}" --spark "spark://127.0.0.1:$port" --out cluster.safetensors 2> train.err \
  || { tail -n 20 train.err; tail -n 30 "$scratch"/work*/app-*/*/stderr 2>/dev/null; exit 1; }
# The tensors follow the metadata header, whose provenance records the flags and times.
weights() { python3 -c 'import sys,struct; b=open(sys.argv[1],"rb").read(); n=struct.unpack("<Q",b[:8])[0]; sys.stdout.buffer.write(b[8+n:])' "$1" | sha256sum; }
if [ "$(weights local.safetensors)" != "$(weights cluster.safetensors)" ]; then
  echo "the standalone cluster trained other weights than --shards 2"
  exit 1
fi
echo "cluster training equals --shards 2: $(weights cluster.safetensors | cut -c1-16)"

# The README's spark-submit example, in client mode: this JVM is the driver, so it gets the driver's Java options
# (spark-submit's --driver-java-options, which its script puts on the java command line); the executors get the
# Vector API module through spark.executor.extraJavaOptions; --jars ships Backprop's jars to them (without SLF4J's,
# which Spark brings).
jars="$(ls "$root"/backprop-cli/target/lib/*.jar | grep -v '/slf4j-' | paste -sd, -)"
"${spark_java[@]}" --add-modules jdk.incubator.vector org.apache.spark.deploy.SparkSubmit \
  --master "spark://127.0.0.1:$port" --conf spark.executor.memory=512m \
  --conf spark.executor.extraJavaOptions=--add-modules=jdk.incubator.vector \
  --class dev.backprop.cli.Main --jars "$jars" "$root/backprop-cli/target/backprop-cli.jar" \
  train "${flags[@]}" --spark "spark://127.0.0.1:$port" --out submitted.safetensors > submit.out 2> submit.err \
  || { tail -n 30 submit.err; exit 1; }
grep -q "model saved to submitted.safetensors" submit.out
if [ "$(weights local.safetensors)" != "$(weights submitted.safetensors)" ]; then
  echo "spark-submit on the standalone cluster trained other weights than --shards 2"
  exit 1
fi
echo "spark-submit equals --shards 2: $(weights submitted.safetensors | cut -c1-16)"
