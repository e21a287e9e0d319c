#!/usr/bin/env python3
"""Times numpy float32 matmul (OpenBLAS sgemm) on the shapes of rlhf4j's matmul benchmark.

Prints one line per shape in the format of `org.rlhf4j.bench.Bench matmul`:
    matmul MxKxN impl=numpy threads=<t> gflops=<value> shape=<tag>
The thread count is read from OPENBLAS_NUM_THREADS (or OMP_NUM_THREADS); run it twice:
    OPENBLAS_NUM_THREADS=1 python3 scripts/bench_numpy.py
    OPENBLAS_NUM_THREADS=2 python3 scripts/bench_numpy.py
Options: --quick (fewer repetitions), --shapes=256,512,1024,2048,XW,dYWT,XTdY (a subset).
Transposed operands are passed as `.T` views of the storage the Java benchmark uses, so OpenBLAS
sees the same transA/transB flags. Best of the timed repetitions after a warm-up.
"""
import os
import sys
import time

import numpy as np

# (name, M, K, N, transA, transB, tag): the same list as Bench.java
SHAPES = [
    ("256", 256, 256, 256, False, False, "square"),
    ("512", 512, 512, 512, False, False, "square"),
    ("1024", 1024, 1024, 1024, False, False, "square"),
    ("2048", 2048, 2048, 2048, False, False, "square"),
    ("XW", 4096, 256, 768, False, False, "X*W"),
    ("dYWT", 4096, 768, 256, False, True, "dY*W^T"),
    ("XTdY", 256, 4096, 768, True, False, "X^T*dY"),
]


def threads():
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
        if os.environ.get(var):
            return int(os.environ[var])
    return os.cpu_count()


def describe_blas():
    """OpenBLAS's version and the kernel it chose for this CPU (threadpoolctl, else the library itself)."""
    try:
        import threadpoolctl
        for info in threadpoolctl.threadpool_info():
            if info.get("internal_api") == "openblas":
                return f"openblas {info.get('version')} core={info.get('architecture')}"
    except ImportError:
        pass
    import ctypes
    import re
    with open("/proc/self/maps") as maps:
        libs = sorted(set(re.findall(r"(/\S*openblas\S*\.so\S*)", maps.read())))
    for path in libs:
        lib = ctypes.CDLL(path)
        for prefix in ("scipy_openblas_get_", "openblas_get_"):
            for suffix in ("64_", ""):
                try:
                    core, config = getattr(lib, prefix + "corename" + suffix), getattr(lib, prefix + "config" + suffix)
                except AttributeError:
                    continue
                core.restype = config.restype = ctypes.c_char_p
                return f"{config().decode()} core={core().decode()}"
    return "OpenBLAS not found: see numpy.show_config()"


def main(argv):
    quick = "--quick" in argv
    names = next((a.split("=", 1)[1].split(",") for a in argv if a.startswith("--shapes=")), None)
    rng = np.random.default_rng(42)
    t = threads()
    print(f"# numpy {np.__version__}; {describe_blas()}; OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '(unset)')}",
          file=sys.stderr)
    for name, M, K, N, ta, tb, tag in SHAPES:
        if names is not None and name not in names:
            continue
        a = rng.standard_normal((K, M) if ta else (M, K), dtype=np.float32)
        b = rng.standard_normal((N, K) if tb else (K, N), dtype=np.float32)
        opa = a.T if ta else a
        opb = b.T if tb else b
        out = np.empty((M, N), dtype=np.float32)
        flops = 2.0 * M * K * N
        reps = max(3, min(50, int(2e10 / flops)))
        if quick:
            reps = max(2, reps // 5)
        for _ in range(2):
            np.matmul(opa, opb, out=out)
        best = float("inf")
        for _ in range(reps):
            t0 = time.perf_counter()
            np.matmul(opa, opb, out=out)
            best = min(best, time.perf_counter() - t0)
        print(f"matmul {M}x{K}x{N} impl=numpy threads={t} gflops={flops / best / 1e9:.1f} shape={tag}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
