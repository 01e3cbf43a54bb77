#!/usr/bin/env bash
# Backprop's kernels against OpenBLAS (through numpy) on the products of backpropagation at the training shapes,
# in one run: rounds alternate the two (odd rounds Backprop first, even rounds OpenBLAS first), each product's
# best rate over the rounds is compared, and beside it the ratio taken within each round (median and range),
# which shows how much the machine moved between them. Backprop's rates are also given as a share of the FMA
# peak, the best of the peaks `backprop bench` measured in these rounds.
#
# usage: bench/kernels.sh [ROUNDS] [SECONDS]      e.g. bench/kernels.sh 3 2
# needs: Debian packages python3-numpy libopenblas0-pthread
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${1:-3}"
seconds="${2:-2}"
threads="${THREADS:-2}"
out="$(mktemp -d)/kernels.jsonl"

source "$root/bench/peers/ensure.sh"
ensure_peers python3-numpy libopenblas0-pthread
# OpenBLAS with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset, which some machines set to hold it to older kernels
peer_env=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE)
echo "OpenBLAS core: $("${peer_env[@]}" /usr/bin/python3 "$root/bench/peers/openblas_core.py")"

backprop_round() {
  "$root/backprop" bench --kernels-only --threads "$threads" --seconds "$seconds" --json 2>/dev/null \
    | /usr/bin/python3 -c 'import json,sys
d = json.load(sys.stdin)
for p in d["products"]:
    print(json.dumps(dict(peer="backprop", form=p["form"], shape=p["shape"], gflops=p["gflops"],
                          peak=d["fma_peak_gflops"], round=int(sys.argv[1]))))' "$1"
}

openblas_round() {
  "${peer_env[@]}" OPENBLAS_NUM_THREADS="$threads" /usr/bin/python3 "$root/bench/peers/gemm_numpy.py" "$seconds" \
    | /usr/bin/python3 -c 'import json,sys
for l in sys.stdin:
    if l.strip():
        r = json.loads(l); r["round"] = int(sys.argv[1]); print(json.dumps(r))' "$1"
}

for round in $(seq 1 "$rounds"); do
  if [ $((round % 2)) -eq 1 ]; then
    backprop_round "$round" >> "$out"
    openblas_round "$round" >> "$out"
  else
    openblas_round "$round" >> "$out"
    backprop_round "$round" >> "$out"
  fi
done

/usr/bin/python3 - "$out" "$threads" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
rates, order, peaks = {}, [], []
for r in rows:
    key = (r["form"], r["shape"])
    if key not in order:
        order.append(key)
    peer = "backprop" if r["peer"] == "backprop" else "openblas"
    rates.setdefault(key, {}).setdefault(peer, {})[r["round"]] = r["gflops"]
    if r.get("peak"):
        peaks.append(r["peak"])
peak = max(peaks) if peaks else None

print("| form | shape | Backprop | OpenBLAS | Backprop / OpenBLAS | within rounds | Backprop / peak |")
print("|---|---|---|---|---|---|---|")
for key in order:
    b, o = rates[key].get("backprop", {}), rates[key].get("openblas", {})
    if not b or not o:
        continue
    within = sorted(b[n] / o[n] for n in b if n in o)
    share = "%.0f%%" % (100 * max(b.values()) / peak) if peak else "n/a"
    print("| %s | %s | %.1f | %.1f | %.2f | %.2f (%.2f-%.2f) | %s |" % (key[0], key[1], max(b.values()),
          max(o.values()), max(b.values()) / max(o.values()), statistics.median(within), within[0], within[-1],
          share))
rounds = max(r["round"] for r in rows)
print("\n(GFLOP/s with %s threads, best of %d rounds; FMA peak %s)" % (sys.argv[2], rounds,
      "%.1f GFLOP/s, the best of the rounds" % peak if peak else "not measured: no Vector API module"))
PY
