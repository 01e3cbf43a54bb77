#!/usr/bin/env bash
# Backprop's defaults against scikit-learn's default MLP pipeline on public tables with categories and gaps
# (bench/tables, see its README). For each table and seed 42, 1, 2 the Python side draws the split and scores
# SimpleImputer + OneHotEncoder + StandardScaler + MLP (defaults); Backprop trains on the same rows with
# `train --data TRAIN.csv --label COL` and nothing else but --test-data naming the same test rows.
# Needs python3-sklearn and python3-pandas (apt). Prints one line per table: the mean score of each side.
# usage: bench/tabular.sh [FILE.csv ...]   (every table, or only those named)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tables="$root/bench/tables"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
runs=(
  "penguins.csv species accuracy"
  "penguins.csv body_mass_g r2"
  "breast-cancer.csv Class accuracy"
  "house-votes-84.csv Class accuracy"
  "credit.csv Status accuracy"
  "soybean.csv Class accuracy"
  "pima.csv diabetes accuracy"
  "ozone.csv V4 r2"
  "attrition.csv Attrition accuracy"
  "chile.csv vote accuracy"
  "hmda.csv deny accuracy"
  "scat.csv Species accuracy"
  "servo.csv Class r2"
  "slid.csv wages r2"
  "survey.csv Sex accuracy"
  "titanic.csv survived accuracy"
  "arrests.csv released accuracy"
  "mroz.csv lfp accuracy"
  "cps1985.csv wage r2"
  "swisslabor.csv participation accuracy"
  "ames.csv Sale_Price r2"
  "churn.csv churn accuracy"
)
printf "%-20s %-12s %-8s %-24s %-24s %s\n" table label metric "scikit-learn (42,1,2)" "backprop (42,1,2)" "means"
for run in "${runs[@]}"; do
  read -r file label metric <<<"$run"
  if [ "$#" -gt 0 ] && [[ " $* " != *" $file "* ]]; then
    continue
  fi
  sk=(); bp=()
  for seed in 42 1 2; do
    sk+=("$(/usr/bin/python3 "$root/bench/tabular_sklearn.py" "$tables/$file" "$label" "$seed" "$work")")
    json="$(cd "$work" && flock /tmp/backprop-build.lock "$root/backprop" train --data train.csv --label "$label" \
      --test-data test.csv --seed "$seed" --json --quiet --out "$work/m.safetensors" 2>/dev/null)"
    key=test_accuracy; [ "$metric" = r2 ] && key=test_r2
    bp+=("$(printf '%s' "$json" | /usr/bin/python3 -c "import json,sys; print(f\"{json.load(sys.stdin)['$key']:.4f}\")")")
  done
  means="$(/usr/bin/python3 -c "import sys; a=[float(v) for v in sys.argv[1:4]]; b=[float(v) for v in sys.argv[4:7]]; \
print(f'{sum(a)/3:.4f} vs {sum(b)/3:.4f}')" "${sk[@]}" "${bp[@]}")"
  printf "%-20s %-12s %-8s %-24s %-24s %s\n" "$file" "$label" "$metric" "${sk[*]}" "${bp[*]}" "$means"
done
