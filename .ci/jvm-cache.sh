#!/usr/bin/env bash
# The launcher's class-data cache: recorded once for a build and JDK, then used; never a line of it on stdout, never
# other results, and a file that is damaged, cut short or recorded by two launches at once costs at most speed.
# Runs the launcher of this checkout (it builds the jars if needed); JAVA_HOME chooses the JDK, as for the launcher.
# About 20 seconds: it records the cache three times.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache="$root/backprop-cli/target/jvm-cache"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
fail() {
  echo "jvm-cache: $*" >&2
  exit 1
}

BACKPROP_JVM_CACHE=off "$root/backprop" --version >"$scratch/expected" 2>/dev/null
# one launch: its stdout must be the version lines, whatever happened to the cache; its stderr is kept in $1.err
launch() {
  "$root/backprop" --version >"$scratch/$1.out" 2>"$scratch/$1.err" || fail "$1: the launcher exited $?"
  cmp -s "$scratch/expected" "$scratch/$1.out" || fail "$1: stdout differs: $(cat "$scratch/$1.out")"
}
archives() { find "$cache" -maxdepth 1 \( -name '*.jsa' -o -name '*.aot' \) 2>/dev/null; }
recorded() { grep -q "recording the JVM's class-data cache" "$scratch/$1.err"; }

# First use: recorded, one file with its size beside it.
rm -rf "$cache"
launch first
recorded first || fail "first: no recording was announced"
[ "$(archives | wc -l)" -eq 1 ] || fail "first: expected one cache file, found: $(archives)"
archive="$(archives)"
[ "$(cat "$archive.size")" = "$(stat -c %s "$archive")" ] || fail "first: the recorded size differs from the file's"

# Second use: not recorded again, and the JVM maps the command line's classes from it.
BACKPROP_JAVA_OPTS="-Xlog:class+load:file=$scratch/classes.txt" launch second
recorded second && fail "second: recorded again"
grep -q "dev.backprop.cli.Main source: shared objects file" "$scratch/classes.txt" \
  || fail "second: the command line's classes were not mapped from the cache"

# The same results with and without it: the cache holds classes and profiles, never what is computed.
for mode in on off; do
  (cd "$scratch" && BACKPROP_JVM_CACHE="$mode" "$root/backprop" train --epochs 2 --json --out "$mode.safetensors" \
    2>/dev/null | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["train_loss"], d["test_loss"])' \
    >"$scratch/losses.$mode")
done
cmp -s "$scratch/losses.on" "$scratch/losses.off" \
  || fail "train gave other losses with the cache: $(cat "$scratch/losses.on") against $(cat "$scratch/losses.off")"

# A file cut short: not used (it would crash JDK 17), and recorded again.
chmod u+w "$archive"
truncate -s $(($(stat -c %s "$archive") / 2)) "$archive"
launch truncated
recorded truncated || fail "truncated: not recorded again"
[ "$(cat "$archive.size")" = "$(stat -c %s "$archive")" ] || fail "truncated: the new file has not its recorded size"

# A file the JVM refuses (here random bytes of the recorded size, as a file of another JVM would be): ignored quietly.
size="$(stat -c %s "$archive")"
chmod u+w "$archive"
head -c "$size" /dev/urandom >"$archive"
launch refused
recorded refused && fail "refused: a file of the recorded size was recorded again"
grep -v "^WARNING: Using incubator modules" "$scratch/refused.err" && fail "refused: the JVM said something about it"

# Two launches at once with no cache: one records, the other runs without it; one file in the end.
rm -rf "$cache"
launch concurrent1 &
first_pid=$!
launch concurrent2 &
second_pid=$!
wait "$first_pid" || fail "concurrent1 failed"
wait "$second_pid" || fail "concurrent2 failed"
[ "$(cat "$scratch"/concurrent?.err | grep -c "recording the JVM's class-data cache")" -eq 1 ] \
  || fail "concurrent: expected one recording: $(cat "$scratch"/concurrent?.err)"
[ "$(archives | wc -l)" -eq 1 ] || fail "concurrent: expected one cache file, found: $(archives)"
launch after
recorded after && fail "after: recorded again"
echo "jvm-cache: recorded, used, same losses, refused and cut-short files and two launches at once handled" \
  "($("${JAVA_HOME:+$JAVA_HOME/bin/}java" -version 2>&1 | head -n 1))"
