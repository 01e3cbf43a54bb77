#!/usr/bin/env bash
# Shows the machine code C2 made of a micro-kernel: the loop with the most FMA instructions, and how many of its
# instructions touch the stack (a spilled accumulator: stored and reloaded in every step of p, which puts a
# store-to-load round trip on that accumulator's chain of FMAs).
#
#   bench/disasm.sh [METHOD]    METHOD of VectorMicroKernels, default microPacked (also microRows, microTransposed)
#
# It runs `backprop bench --kernels-only` (every product form, so C2 compiles every micro-kernel) for
# DISASM_SECONDS (default 1) per measurement, with the JVM printing the method's compiled code, and decodes the
# last full C2 compilation with objdump: the JDKs here print the code as hex, having no disassembler plugin they
# can load. JAVA_HOME chooses the JDK, as for the launcher; BACKPROP_JAVA_OPTS adds options (for example
# -Dbackprop.kernel.rows=6). Needs python3 and objdump (binutils). Exits 1 when no compiled loop with FMA
# instructions was found.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
method="${1:-microPacked}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

BACKPROP_JAVA_OPTS="${BACKPROP_JAVA_OPTS:-} -XX:+UnlockDiagnosticVMOptions \
-XX:CompileCommand=quiet -XX:CompileCommand=print,dev.backprop.internal.kernel.VectorMicroKernels::$method" \
  "$root/backprop" bench --kernels-only --seconds "${DISASM_SECONDS:-1}" > "$work/print.txt" 2> "$work/stderr.txt" || {
  cat "$work/stderr.txt" >&2
  exit 1
}

python3 - "$work" "$method" <<'PY'
import re
import sys

work, method = sys.argv[1], sys.argv[2]
lines = open(work + "/print.txt", errors="replace").read().split("\n")
# full compilations only: one entered from a running loop (marked %) is a stopgap with its own code
starts = [i for i, l in enumerate(lines)
          if l.startswith("Compiled method (c2)") and " % " not in l and "::" + method + " " in l]
if not starts:
    sys.exit("no full C2 compilation of " + method + " was printed; try a longer run (DISASM_SECONDS=3)")
code = bytearray()
base = None
for line in lines[starts[-1]:]:
    if line.startswith("[Stub Code]") or line.startswith("[Exception Handler]"):
        break
    m = re.match(r"\s+0x([0-9a-f]+): ((?:[0-9a-f]{2,8} ?\|? ?)+)$", line)
    if not m:
        continue
    address = int(m.group(1), 16)
    data = bytes.fromhex(m.group(2).replace("|", "").replace(" ", ""))
    if base is None:
        base = address
    end = base + len(code)
    if address > end:
        code += b"\x90" * (address - end)
    elif address < end:
        del code[address - base:]
    code += data
if base is None:
    sys.exit("the JVM printed no machine code as hex for " + method + " (a disassembler plugin decodes it itself)")
open(work + "/code.bin", "wb").write(code)
open(work + "/base", "w").write(hex(base))
PY

objdump -D -b binary -m i386:x86-64 --adjust-vma="$(cat "$work/base")" "$work/code.bin" \
  | awk -F'\t' 'NF >= 3 { print $1 "\t" $3 }' > "$work/code.s"

python3 - "$work/code.s" "$method" "$("${JAVA_HOME:+$JAVA_HOME/bin/}java" -version 2>&1 | head -n 1)" <<'PY'
import re
import sys

path, method, jdk = sys.argv[1], sys.argv[2], sys.argv[3]
rows = []
for line in open(path):
    address, _, text = line.rstrip("\n").partition("\t")
    rows.append((int(address.strip().rstrip(":"), 16), text.strip()))
index = {address: i for i, (address, _) in enumerate(rows)}
best = None
for i, (_, text) in enumerate(rows):
    # a backward conditional jump closes a loop: [target, i]
    m = re.match(r"j\w+\s+0x([0-9a-f]+)$", text)
    if not m or text.startswith("jmp"):
        continue
    target = int(m.group(1), 16)
    if target not in index or index[target] > i:
        continue
    body = rows[index[target]:i + 1]
    fmas = sum(1 for _, t in body if t.startswith("vfmadd"))
    if fmas and (best is None or fmas > best[0] or (fmas == best[0] and len(body) < len(best[1]))):
        best = (fmas, body)
if best is None:
    print(method + ": no loop with FMA instructions in its compiled code")
    sys.exit(1)
fmas, body = best
stack = sum(1 for _, t in body if "(%rsp)" in t)
for address, text in body:
    print("  %x  %s" % (address, text))
print("%s on %s: %d instructions, %d FMA, %d touching the stack" % (method, jdk, len(body), fmas, stack))
PY
