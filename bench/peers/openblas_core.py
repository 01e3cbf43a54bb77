"""Prints the OpenBLAS core that numpy's BLAS runs in this environment (e.g. SkylakeX, Haswell)."""
import ctypes

import numpy

numpy.ones((8, 8), numpy.float32) @ numpy.ones((8, 8), numpy.float32)
paths = {line.split()[-1] for line in open("/proc/self/maps") if "openblas" in line and ".so" in line}
for path in sorted(paths):
    lib = ctypes.CDLL(path)
    if hasattr(lib, "openblas_get_corename"):
        lib.openblas_get_corename.restype = ctypes.c_char_p
        print(lib.openblas_get_corename().decode())
        break
else:
    print("unknown (no OpenBLAS loaded)")
