#!/usr/bin/env bash
# Renders the example reports shown in the docs with headless Chromium (Debian package chromium):
#   docs/report.png             a small network trained on the bundled digits, then `backprop report` on them
#   docs/report-regression.png  the same for regression, on backprop-core/src/test/resources/regression/waves.csv
#                               (500 synthetic rows: y = sin(2 x1) + x2^2 / 2 - 0.3 x3 + noise with sd 0.1)
# Usage: docs/report-screenshot.sh [CHROMIUM]   (default /usr/bin/chromium)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
chromium="${1:-/usr/bin/chromium}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

shot() { # shot HTML PNG HEIGHT
  timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync --hide-scrollbars \
    --user-data-dir="$work/profile" --screenshot="$2" --window-size="1280,$3" "file://$1" \
    >"$work/chromium.log" 2>&1 || { cat "$work/chromium.log" >&2; exit 1; }
  echo "wrote $2 ($(du -k "$2" | cut -f1) KB)"
}

cd "$work"
"$root/backprop" train --data digits --layers 32 --epochs 5 --seed 7 --quiet --out digits.safetensors
"$root/backprop" report --model digits.safetensors --data digits --title "digits: 64-32-10, 5 epochs" \
  --out digits.html
shot "$work/digits.html" "$root/docs/report.png" 1500

cp "$root/backprop-core/src/test/resources/regression/waves.csv" waves.csv
"$root/backprop" train --data waves.csv --task regression --layers 32,16 --epochs 60 --seed 7 --quiet \
  --out waves.safetensors
"$root/backprop" report --model waves.safetensors --data waves.csv --title "waves: 3-32-16-1 regression, 60 epochs" \
  --out waves.html
shot "$work/waves.html" "$root/docs/report-regression.png" 900
