#!/usr/bin/env bash
# Runs Backprop and its peers (numpy with OpenBLAS, PyTorch CPU) on the same training workloads, one after
# the other in one run, and prints samples/s and the ratio Backprop / peer. Rounds alternate the order so
# that drifting machine load hurts everyone alike; the median of the rounds is reported, and beside it the
# ratio taken within each round (median and range), which shows how much the machine moved the figures.
# Last, Backprop's training GFLOP/s as a share of the FMA peak its own process measured just before training:
# the bound of every product running at the peak, taken in the same minute as the training it bounds.
#
# usage: bench/compare.sh [ROUNDS] [WORKLOADS]      e.g. bench/compare.sh 3 W1,W2,W3
#        BASELINE=DIR bench/compare.sh ...         adds the Backprop of another checkout DIR (e.g. a worktree of an
#                                                  older commit) as a contestant, for a before/after ratio
# needs: Debian packages python3-numpy python3-torch libopenblas0-pthread dataset-fashion-mnist
#
# The peers run with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset: some machines set them to hold old OpenBLAS builds
# to older kernels, which would slow numpy and PyTorch here. The OpenBLAS core they ran is printed first.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${1:-3}"
workloads="${2:-W1,W2,W3}"
threads="${THREADS:-2}"
out="$(mktemp -d)/results.jsonl"

source "$root/bench/peers/ensure.sh"
ensure_peers python3-numpy python3-torch libopenblas0-pthread
peer_env=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE)
echo "OpenBLAS core of the peers: $("${peer_env[@]}" /usr/bin/python3 "$root/bench/peers/openblas_core.py")"

# Every contestant reports its median epoch, the steady state of a training run (real runs last tens of
# epochs). Backprop's first epoch includes the JIT's warm-up: with one epoch (W3 before) or two, that epoch
# was most of the figure.
# W1 runs 20: on a machine with AVX-512 its epochs last a quarter of a second and the JIT warms up for about four, so
# with 5 epochs the median epoch was still warming up (207-240k samples/s, against 287-293k with 20).
epochs_of() { case "$1" in W1) echo 20 ;; W3) echo 3 ;; *) echo 5 ;; esac; }

# One contestant's run of workload $2 with $3 epochs, as one JSON line tagged with the round ($4).
run_one() {
  local peer="$1" w="$2" e="$3" round="$4"
  case "$peer" in
    backprop)
      "$root/backprop" bench --workload "$w" --epochs "$e" --threads "$threads" --training-only --json 2>/dev/null \
        | /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); r=d["training"][0]; r["peer"]="backprop"; print(json.dumps(r))' ;;
    baseline)
      "$BASELINE/backprop" bench --workload "$w" --epochs "$e" --threads "$threads" --training-only --json 2>/dev/null \
        | /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); r=d["training"][0]; r["peer"]="baseline"; print(json.dumps(r))' ;;
    numpy)
      (cd "$root/bench/peers" && "${peer_env[@]}" OPENBLAS_NUM_THREADS="$threads" /usr/bin/python3 peer_numpy.py "$w" "$e") ;;
    pytorch)
      (cd "$root/bench/peers" && "${peer_env[@]}" OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 peer_torch.py "$w" "$e" "$threads") ;;
  esac | /usr/bin/python3 -c 'import json,sys
for l in sys.stdin:
    if l.strip():
        r=json.loads(l); r["round"]=int(sys.argv[1]); print(json.dumps(r))' "$round"
}

# Odd rounds run Backprop first, even rounds last, so that a contestant is not always the one that meets
# the machine after the same neighbour.
for round in $(seq 1 "$rounds"); do
  if [ $((round % 2)) -eq 1 ]; then order="backprop numpy pytorch"; else order="pytorch numpy backprop"; fi
  if [ -n "${BASELINE:-}" ]; then
    # the baseline next to Backprop, on the other side of it each round
    if [ $((round % 2)) -eq 1 ]; then order="baseline $order"; else order="$order baseline"; fi
  fi
  for w in ${workloads//,/ }; do
    e=$(epochs_of "$w")
    for peer in $order; do
      run_one "$peer" "$w" "$e" "$round" >> "$out"
    done
  done
done

/usr/bin/python3 - "$out" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
by = {}
per_round = {}
shares = {}
for r in rows:
    if r["peer"] == "backprop" and r.get("share_of_peak") is not None:
        shares.setdefault(r["workload"], []).append(r["share_of_peak"])
    by.setdefault((r["workload"], r["peer"]), []).append(r["steady_samples_per_second"])
    per_round.setdefault((r["workload"], r["round"]), {})[r["peer"]] = r["steady_samples_per_second"]

def round_ratios(w, peer):
    """Backprop / peer within each round: runs seconds apart, so the machine's drift cancels better."""
    return sorted(v["backprop"] / v[peer] for (wl, _), v in per_round.items() if wl == w and "backprop" in v and peer in v)

def spread(ratios):
    if not ratios:
        return "n/a"
    return "%.2f (%.2f-%.2f)" % (statistics.median(ratios), ratios[0], ratios[-1])

print("| workload | Backprop | numpy | PyTorch | Backprop / numpy | Backprop / PyTorch |")
print("|---|---|---|---|---|---|")
for w in sorted({k[0] for k in by}):
    med = {p: statistics.median(by[(w, p)]) for p in ("backprop", "numpy", "pytorch") if (w, p) in by}
    b = med.get("backprop", float("nan"))
    print("| %s | %.0f | %.0f | %.0f | %.2f | %.2f |" % (w, b, med.get("numpy", 0), med.get("pytorch", 0),
          b / med["numpy"] if "numpy" in med else float("nan"), b / med["pytorch"] if "pytorch" in med else float("nan")))
print("\n(samples/s, median over rounds of each run's median epoch; %d rounds)" % max(len(v) for v in by.values()))
print("\nRatio within each round, median (lowest-highest):")
print("| workload | Backprop / numpy | Backprop / PyTorch |")
print("|---|---|---|")
for w in sorted({k[0] for k in by}):
    print("| %s | %s | %s |" % (w, spread(round_ratios(w, "numpy")), spread(round_ratios(w, "pytorch"))))
if any(p == "baseline" for (_, p) in by):
    print("\nBackprop against the baseline checkout, samples/s: median over rounds, and the ratio within each round:")
    print("| workload | Backprop | baseline | Backprop / baseline | within rounds |")
    print("|---|---|---|---|---|")
    for w in sorted({k[0] for k in by}):
        if (w, "baseline") in by:
            b = statistics.median(by[(w, "backprop")])
            base = statistics.median(by[(w, "baseline")])
            print("| %s | %.0f | %.0f | %.2f | %s |" % (w, b, base, b / base, spread(round_ratios(w, "baseline"))))
if shares:
    print("\nBackprop's training GFLOP/s over the FMA peak measured in the same process, median (lowest-highest):")
    print("| workload | share of the FMA peak |")
    print("|---|---|")
    for w in sorted(shares):
        v = sorted(shares[w])
        print("| %s | %.0f%% (%.0f-%.0f%%) |" % (w, 100 * statistics.median(v), 100 * v[0], 100 * v[-1]))
PY
