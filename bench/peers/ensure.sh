# Sourced by the bench scripts: installs the Debian packages named in its arguments that are missing, then checks
# that Debian's numpy multiplies through OpenBLAS. With python3-numpy alone, libblas.so.3 is the reference BLAS,
# some fifty times slower, and every ratio against "OpenBLAS" would be a ratio against it.
ensure_peers() {
  local missing="" p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
  done
  if [ -n "$missing" ]; then
    echo "installing the peers:$missing..." >&2
    apt-get install -y -qq $missing >/dev/null
  fi
  if ! /usr/bin/python3 -c '
import numpy, sys
numpy.ones((64, 64), numpy.float32) @ numpy.ones((64, 64), numpy.float32)
blas = {l.split()[-1] for l in open("/proc/self/maps") if "libblas" in l}
sys.exit(0 if blas and all("openblas" in path for path in blas) else 1)'; then
    echo "numpy does not run OpenBLAS here (libblas.so.3 points elsewhere: update-alternatives --display" \
      "libblas.so.3-x86_64-linux-gnu); the comparison would not be against OpenBLAS" >&2
    exit 1
  fi
}
