#!/usr/bin/env bash
# Reading a large CSV: `backprop train --epochs 0` as a whole process against pandas.read_csv of the same file,
# alternating, with wall time and peak resident memory from /usr/bin/time -v (apt packages: time, python3-pandas).
# Usage: bench/read.sh [RUNS]   (default 5 of each; the file, 1,000,000 rows x 20 numbers + a text label, about
# 187 MB, is generated once into ${BENCH_DIR:-/tmp/backprop-bench}). Run it under the shared build lock.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${1:-5}"
dir="${BENCH_DIR:-/tmp/backprop-bench}"
file="$dir/read-1m-20.csv"
mkdir -p "$dir"

if [ ! -s "$file" ]; then
  # Deterministic: a fixed-seed LCG, so the same bytes on every machine (no numpy needed).
  /usr/bin/python3 - "$file" <<'PY'
import sys
rows, cols = 1_000_000, 20
state = 42
def draw():
    global state
    state = (state * 6364136223846793005 + 1442695040888963407) % (1 << 64)
    return (state >> 11) / float(1 << 53)
with open(sys.argv[1], "w", newline="\n") as out:
    out.write(",".join(f"f{j}" for j in range(cols)) + ",label\n")
    for _ in range(rows):
        xs = [f"{(draw() - 0.5) * 40:.5f}" for _ in range(cols)]
        out.write(",".join(xs) + ",class" + str(int(draw() * 5)) + "\n")
PY
fi
ls -l "$file" | awk '{printf "file: %s, %.0f MB\n", $9, $5 / 1e6}'

"$root/backprop" --version >/dev/null 2>&1 || true   # builds the jars once, outside the timing

measure() {  # prints "seconds megabytes" of one run of the command
  local log
  log="$(mktemp)"
  /usr/bin/time -v "$@" >/dev/null 2>"$log" || { cat "$log" >&2; exit 1; }
  awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]}
              /Maximum resident set size/ {kb = $2}
              END {printf "%.2f %.0f\n", s, kb / 1024}' "$log"
  rm -f "$log"
}

out="$(mktemp -d)"
bp_times=(); pd_times=()
for i in $(seq 1 "$runs"); do
  read -r bt bm < <(measure "$root/backprop" train --data "$file" --label label --epochs 0 --out "$out/x.safetensors")
  read -r pt pm < <(measure /usr/bin/python3 -c "import pandas; pandas.read_csv('$file')")
  printf "run %d: backprop %5.2f s %5d MB   pandas %5.2f s %5d MB   time ratio %.2f\n" "$i" "$bt" "$bm" "$pt" "$pm" \
    "$(echo "$bt / $pt" | bc -l)"
  bp_times+=("$bt"); pd_times+=("$pt")
  if [ -n "${MAX_RSS_MB:-}" ] && [ "$bm" -gt "$MAX_RSS_MB" ]; then
    echo "backprop's peak resident memory $bm MB is above $MAX_RSS_MB MB"; exit 1
  fi
done
rm -rf "$out"
median() { printf "%s\n" "$@" | sort -g | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
bm="$(median "${bp_times[@]}")"; pm="$(median "${pd_times[@]}")"
printf "median: backprop %.2f s, pandas %.2f s, backprop/pandas %.2f\n" "$bm" "$pm" "$(echo "$bm / $pm" | bc -l)"
