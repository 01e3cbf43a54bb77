"""OpenBLAS (through numpy) GFLOP/s on the three products of backpropagation at the training shapes.

Usage: OPENBLAS_NUM_THREADS=2 python3 gemm_numpy.py [SECONDS]   -> one JSON line per (form, shape)
Each rate is the best of five windows that together last SECONDS, after a warm-up of 0.3 SECONDS.
Forms: "X W" (a b), "A^T delta" (a^T b, a stored transposed), "delta W^T" (a b^T, b stored transposed).
"""
import json
import sys
import time

import numpy as np

SHAPES = [(128, 784, 256), (512, 784, 1024), (64, 784, 128), (128, 256, 10)]
WINDOWS = 5


def main():
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
    rng = np.random.default_rng(7)
    for m, k, n in SHAPES:
        a = rng.uniform(-1, 1, (m, k)).astype(np.float32)
        b = rng.uniform(-1, 1, (k, n)).astype(np.float32)
        at = np.ascontiguousarray(a.T)   # [k x m], used as at.T
        bt = np.ascontiguousarray(b.T)   # [n x k], used as bt.T
        out = np.empty((m, n), dtype=np.float32)
        for form, (x, y) in (("X W", (a, b)), ("A^T delta", (at.T, b)), ("delta W^T", (a, bt.T))):
            np.matmul(x, y, out=out)
            end = time.perf_counter() + 0.3 * seconds
            while time.perf_counter() < end:
                np.matmul(x, y, out=out)
            # the best of WINDOWS windows, as Backprop's KernelBenchmark measures its own products
            rate = 0.0
            for _ in range(WINDOWS):
                start, it = time.perf_counter(), 0
                while True:
                    np.matmul(x, y, out=out)
                    it += 1
                    now = time.perf_counter()
                    if now - start >= seconds / WINDOWS:
                        break
                rate = max(rate, 2.0 * m * k * n * it / (now - start) / 1e9)
            print(json.dumps(dict(peer="openblas", form=form, shape="%dx%dx%d" % (m, k, n), gflops=rate)))


if __name__ == "__main__":
    main()
