#!/usr/bin/env bash
# Requests per second of `backprop serve` on this machine: trains a digits model (64-128-10), serves it on a free
# loopback port, and runs the load generator (backprop-bench's ServeLoad, closed loop, one connection per client) at
# 1 and 8 clients with batches of 1 and 64 rows. The access log goes to a file (it is one line per request).
# The server and the clients share the machine's cores: the figures are of both together.
#
# usage: bench/serve.sh [SECONDS]        (default 10 per measurement, after 3 s of warm-up)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds="${1:-10}"
work="$(mktemp -d)"
(cd "$root" && mvn -q -B -Dmaven.test.skip=true -pl backprop-cli,backprop-bench -am package)
"$root/backprop" train --data digits --quiet --out "$work/digits.safetensors" > /dev/null

"$root/backprop" serve --model "$work/digits.safetensors" --port 0 > "$work/stdout.txt" 2> "$work/access.log" &
server=$!
trap 'kill -TERM $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do
  grep -q "listening on" "$work/stdout.txt" 2>/dev/null && break
  sleep 0.1
done
url="$(grep -o 'http://[^ ]*' "$work/stdout.txt")"
echo "serving at $url on $(nproc) cores, $(java -version 2>&1 | head -n 1)"

cp="$root/backprop-bench/target/classes:$root/backprop-bench/target/lib/*"
for rows in 1 64; do
  for clients in 1 8; do
    java -cp "$cp" dev.backprop.bench.ServeLoad "$url" digits 64 "$rows" "$clients" "$seconds"
  done
done
