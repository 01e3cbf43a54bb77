#!/usr/bin/env bash
# Renders the training reports shown in the docs with headless Chromium (Debian package chromium):
#   docs/report.png             `train --report` on Fashion-MNIST (Debian package dataset-fashion-mnist):
#                               5 epochs, a 10% validation split, cosine schedule; the curves and the
#                               confusion matrix of the 10,000 test images
#   docs/report-regression.png  `train --report` on the bundled diabetes data: 200 epochs; the curves, and
#                               predicted against true and the residuals of the 88 held-out patients
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
"$root/backprop" train --data fashion-mnist --epochs 5 --validation-split 0.1 --schedule cosine --quiet \
  --out fashion-mnist.safetensors --report fashion-mnist.html
shot "$work/fashion-mnist.html" "$root/docs/report.png" 1520

"$root/backprop" train --data diabetes --epochs 200 --lr 0.01 --validation-split 0.1 --schedule cosine --quiet \
  --out diabetes.safetensors --report diabetes.html
shot "$work/diabetes.html" "$root/docs/report-regression.png" 1180
