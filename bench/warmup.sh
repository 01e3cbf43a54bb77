#!/usr/bin/env bash
# What a user waits for, in one run: the JIT's warm-up and the start-up, not the steady state of compare.sh.
#  1. `backprop train` of W1 and W2 on Fashion-MNIST (bench/peers/workloads.py's definitions) as a whole process for
#     3 epochs (start, load, train, evaluate, save), against numpy's and PyTorch's scripts doing the same job as
#     processes (start, load, train; they neither evaluate nor save, which favours them);
#  2. the first epoch against the median epoch of a longer `train` (W1 8 epochs, W2 5), from `train --json`'s history;
#  3. the wall time of the README's first command, `./backprop train` (digits, 10 epochs).
# Rounds alternate the order, as in compare.sh; medians over rounds, and the ratios taken within each round.
#
# usage: bench/warmup.sh [ROUNDS] [WORKLOADS]     e.g. bench/warmup.sh 3 W1,W2
#        JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 bench/warmup.sh    (the launcher's JDK)
# needs: Debian packages python3-numpy python3-torch libopenblas0-pthread dataset-fashion-mnist
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${1:-3}"
workloads="${2:-W1,W2}"
threads="${THREADS:-2}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
out="$tmp/results.jsonl"

source "$root/bench/peers/ensure.sh"
ensure_peers python3-numpy python3-torch libopenblas0-pthread
peer_env=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE)
echo "OpenBLAS core of the peers: $("${peer_env[@]}" /usr/bin/python3 "$root/bench/peers/openblas_core.py")"
"$root/backprop" --help >/dev/null 2>&1 || true # builds the jars first if needed, outside the timings
echo "Backprop's JVM: $("${JAVA_HOME:+$JAVA_HOME/bin/}java" -version 2>&1 | head -1)"

# The workloads as train flags. W1's loss is the mean over the batch of 1/2 sum (a - y)^2 with lr 0.5: sse sums over
# the batch, so lr 0.5 / 64 is the same update (as in dev.backprop.internal.perf.Workload).
flags_of() {
  case "$1" in
    W1) echo "--layers 128 --activation sigmoid --output-activation sigmoid --loss sse --optimizer sgd --lr 0.0078125 --batch-size 64" ;;
    W2) echo "--layers 256,256 --activation relu --loss cross-entropy --optimizer adam --lr 0.001 --batch-size 128" ;;
    W3) echo "--layers 1024,1024 --activation relu --loss cross-entropy --optimizer sgd --lr 0.1 --batch-size 512" ;;
  esac
}
long_epochs_of() { case "$1" in W1) echo 8 ;; *) echo 5 ;; esac; }

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# One timed process: $1 kind (process, epochs, digits), $2 contestant, $3 workload, $4 round, then the command.
# The command's stdout (train --json, or the peer's JSON line) is kept beside the wall time.
timed() {
  local kind="$1" peer="$2" w="$3" round="$4"
  shift 4
  local start end
  start=$(now_ms)
  "$@" >"$tmp/stdout" 2>"$tmp/stderr" || { echo "failed: $*" >&2; cat "$tmp/stderr" >&2; exit 1; }
  end=$(now_ms)
  /usr/bin/python3 - "$kind" "$peer" "$w" "$round" "$((end - start))" "$tmp/stdout" >>"$out" <<'PY'
import json, sys
kind, peer, w, rnd, ms, path = sys.argv[1:]
text = open(path).read()
row = dict(kind=kind, peer=peer, workload=w, round=int(rnd), wall=int(ms) / 1000)
if peer == "backprop" and kind != "digits":
    row["epoch_seconds"] = [e["seconds"] for e in json.loads(text)["history"]]
print(json.dumps(row))
PY
}

run_one() {
  local peer="$1" w="$2" round="$3"
  case "$peer" in
    backprop)
      # shellcheck disable=SC2046
      timed process backprop "$w" "$round" "$root/backprop" train --data fashion-mnist $(flags_of "$w") --epochs 3 \
        --threads "$threads" --json --out "$tmp/model.safetensors" ;;
    numpy)
      timed process numpy "$w" "$round" "${peer_env[@]}" OPENBLAS_NUM_THREADS="$threads" /usr/bin/python3 \
        "$root/bench/peers/peer_numpy.py" "$w" 3 ;;
    pytorch)
      timed process pytorch "$w" "$round" "${peer_env[@]}" OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 \
        "$root/bench/peers/peer_torch.py" "$w" 3 "$threads" ;;
  esac
}

for round in $(seq 1 "$rounds"); do
  if [ $((round % 2)) -eq 1 ]; then order="backprop numpy pytorch"; else order="pytorch numpy backprop"; fi
  for w in ${workloads//,/ }; do
    for peer in $order; do
      run_one "$peer" "$w" "$round"
    done
    # shellcheck disable=SC2046
    timed epochs backprop "$w" "$round" "$root/backprop" train --data fashion-mnist $(flags_of "$w") \
      --epochs "$(long_epochs_of "$w")" --threads "$threads" --json --out "$tmp/model.safetensors"
  done
  (cd "$tmp" && timed digits backprop digits "$round" "$root/backprop" train)
done

/usr/bin/python3 - "$out" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
med = statistics.median

def spread(v):
    v = sorted(v)
    return "%.2f (%.2f-%.2f)" % (med(v), v[0], v[-1])

print("\nWhole process of `train`, 3 epochs, wall seconds (median over rounds); best peer / Backprop (> 1: Backprop faster)")
print("| workload | Backprop | numpy | PyTorch | best peer / Backprop | within rounds |")
print("|---|---|---|---|---|---|")
for w in sorted({r["workload"] for r in rows if r["kind"] == "process"}):
    wall = {p: [r["wall"] for r in rows if r["kind"] == "process" and r["workload"] == w and r["peer"] == p]
            for p in ("backprop", "numpy", "pytorch")}
    rounds = sorted({r["round"] for r in rows if r["workload"] == w})
    within = []
    for n in rounds:
        got = {r["peer"]: r["wall"] for r in rows if r["kind"] == "process" and r["workload"] == w and r["round"] == n}
        within.append(min(got["numpy"], got["pytorch"]) / got["backprop"])
    best = min(med(wall["numpy"]), med(wall["pytorch"]))
    print("| %s | %.2f | %.2f | %.2f | %.2f | %s |" % (w, med(wall["backprop"]), med(wall["numpy"]),
          med(wall["pytorch"]), best / med(wall["backprop"]), spread(within)))

print("\nFirst epoch against the median epoch (train --json history; W1 8 epochs, W2 5), seconds")
print("| workload | first epoch | median epoch | first / median, within rounds | the 3-epoch processes' epochs |")
print("|---|---|---|---|---|")
for w in sorted({r["workload"] for r in rows if r["kind"] == "epochs"}):
    runs = [r["epoch_seconds"] for r in rows if r["kind"] == "epochs" and r["workload"] == w]
    short = [r["epoch_seconds"] for r in rows if r["kind"] == "process" and r["workload"] == w and r["peer"] == "backprop"]
    print("| %s | %.2f | %.2f | %s | %s |" % (w, med([s[0] for s in runs]), med([med(s) for s in runs]),
          spread([s[0] / med(s) for s in runs]), "; ".join("/".join("%.2f" % x for x in s) for s in short)))

digits = sorted(r["wall"] for r in rows if r["kind"] == "digits")
print("\n`./backprop train` (digits, 10 epochs), wall seconds: median %.2f (%.2f-%.2f) over %d runs"
      % (med(digits), digits[0], digits[-1], len(digits)))
PY
