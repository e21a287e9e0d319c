"""cuBLAS single-precision matmul GFLOPS through PyTorch, in the line format of `bin/bench matmul`.

For the OpenCL comparison of issue 6 (docs/gpu.md, "Running on a real GPU"): the same shapes as
`bin/bench matmul --shapes=...`, fp32 inputs and outputs, TF32 off (the OpenCL kernel computes in plain fp32),
then the same with TF32 on for reference. Each figure is the best of the timed runs after a warm-up, timed with
CUDA events, operands already on the device (the kernel-only figure; `transfers=none` in the Java bench).

  python3 bench/cublas_matmul.py [--shapes=1024,2048,4096,gpt2fc,gpt2head] [--seconds=1.0]
"""
import argparse
import sys

SHAPES = {  # name: (M, K, N, transA, transB, tag), as org.rlhf4j.bench.Bench
    "256": (256, 256, 256, False, False, "square"),
    "512": (512, 512, 512, False, False, "square"),
    "1024": (1024, 1024, 1024, False, False, "square"),
    "2048": (2048, 2048, 2048, False, False, "square"),
    "4096": (4096, 4096, 4096, False, False, "square"),
    "XW": (4096, 256, 768, False, False, "X*W"),
    "dYWT": (4096, 768, 256, False, True, "dY*W^T"),
    "XTdY": (256, 4096, 768, True, False, "X^T*dY"),
    "gpt2fc": (4096, 768, 3072, False, False, "gpt2 X*W_fc"),
    "gpt2head": (4096, 768, 50257, False, True, "gpt2 h*wte^T"),
}

parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
parser.add_argument("--shapes", default="1024,2048,4096,gpt2fc,gpt2head")
parser.add_argument("--seconds", type=float, default=1.0, help="timed seconds per shape and setting")
args = parser.parse_args()
unknown = [n for n in args.shapes.split(",") if n not in SHAPES]
if unknown:
    parser.error(f"unknown shape(s) {unknown}; known: {', '.join(SHAPES)}")

try:
    import torch  # noqa: E402
except ImportError:
    print("# cublas: no torch in this Python (python3 -c 'import torch' fails)")
    sys.exit(0)

if not torch.cuda.is_available():
    print("# cublas: no CUDA device (torch.cuda.is_available() is False)")
    sys.exit(0)
dev = torch.device("cuda")
print(f"# cublas: torch {torch.__version__}, CUDA {torch.version.cuda}, {torch.cuda.get_device_name(0)}")


def best_seconds(a, b, ta, tb, budget):
    x = a.t() if ta else a
    y = b.t() if tb else b
    for _ in range(3):
        torch.mm(x, y)
    torch.cuda.synchronize()
    best, spent = float("inf"), 0.0
    while spent < budget:
        start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        start.record()
        torch.mm(x, y)
        end.record()
        end.synchronize()
        s = start.elapsed_time(end) / 1e3
        best, spent = min(best, s), spent + s
    return best


for name in args.shapes.split(","):
    M, K, N, ta, tb, tag = SHAPES[name]
    g = torch.Generator(device="cpu").manual_seed(1)
    a = (torch.rand((K, M) if ta else (M, K), generator=g) - 0.5).to(dev)
    b = (torch.rand((N, K) if tb else (K, N), generator=g) - 0.5).to(dev)
    for tf32 in (False, True):
        torch.backends.cuda.matmul.allow_tf32 = tf32  # deprecated in newer torch, still honoured there
        s = best_seconds(a, b, ta, tb, args.seconds)
        impl = "cublas-tf32" if tf32 else "cublas"
        print(f"matmul {M}x{K}x{N} impl={impl} threads=0 gflops={2.0 * M * K * N / s / 1e9:.1f} shape={tag}"
              " transfers=none", flush=True)
