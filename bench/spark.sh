#!/usr/bin/env bash
# Spark's cost per step: `train` on digits (64-32-10, --shards 2, 20 epochs) locally and with --spark local[2], for
# several batch sizes (each step is one Spark job, so the batch size is what amortises it). Rounds alternate the
# order of the two runs; each run is a whole launcher process, and its figures come from `train --json` (training
# seconds only: start-up, reading and evaluation excluded). Both runs of a batch size must save the same weights.
#
# usage: bench/spark.sh [ROUNDS] [BATCHES]     e.g. bench/spark.sh 3 64,512,all
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${1:-3}"
batches="${2:-64,512,all}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$root/backprop" --version --spark >/dev/null 2>&1 # builds the jars and fetches Spark's first, outside the timings

weights() { python3 -c 'import sys,struct; b=open(sys.argv[1],"rb").read(); n=struct.unpack("<Q",b[:8])[0]; sys.stdout.buffer.write(b[8+n:])' "$1" | sha256sum; }
run() { # batch mode round -> "seconds samples/s steps"
  local batch="$1" mode="$2" round="$3" extra=()
  [ "$mode" = spark ] && extra=(--spark "local[2]")
  "$root/backprop" train --data digits --layers 32 --epochs 20 --batch-size "$batch" --shards 2 --quiet --json \
    --out "$tmp/$mode-$batch-$round.safetensors" "${extra[@]}" 2>/dev/null \
    | python3 -c 'import json,sys; r=json.load(sys.stdin); print(r["seconds"], r["samples_per_second"])'
}

echo "batch round local_s local_samples_per_s spark_s spark_samples_per_s steps ms_per_step_added"
IFS=, read -ra list <<< "$batches"
for batch in "${list[@]}"; do
  rows=1437 # digits' training rows (80% of 1,797)
  if [ "$batch" = all ]; then per=1; else per=$(( (rows / 2 + batch / 2 - 1) / (batch / 2) )); fi
  steps=$(( 20 * per ))
  for round in $(seq 1 "$rounds"); do
    if [ $(( round % 2 )) -eq 1 ]; then
      l="$(run "$batch" local "$round")"; s="$(run "$batch" spark "$round")"
    else
      s="$(run "$batch" spark "$round")"; l="$(run "$batch" local "$round")"
    fi
    [ "$(weights "$tmp/local-$batch-$round.safetensors")" = "$(weights "$tmp/spark-$batch-$round.safetensors")" ] \
      || { echo "batch $batch: --spark trained other weights"; exit 1; }
    read -r ls lr <<< "$l"; read -r ss sr <<< "$s"
    python3 -c "import sys; b,r,ls,lr,ss,sr,st=sys.argv[1:]; print(b, r, f'{float(ls):.2f}', f'{float(lr):,.0f}', f'{float(ss):.2f}', f'{float(sr):,.0f}', st, f'{(float(ss)-float(ls))/int(st)*1000:.1f}')" \
      "$batch" "$round" "$ls" "$lr" "$ss" "$sr" "$steps"
  done
done
