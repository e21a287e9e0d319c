#!/usr/bin/python3
"""PyTorch side of the GPT benchmark: the same measurements as rlhf4j's TrainBench and GenBench.

The model is GPT-2 written here in plain PyTorch (pre-LN blocks, fused QKV, causal attention,
tanh GELU, learned positions, head tied to the token embedding), in the shapes of rlhf4j's presets:
baby (nanoGPT's CPU shakespeare-char model: 4 layers, 4 heads, n_embd 128, block 64, vocab 65, no
bias, dropout 0) and gpt2 (124M). Random weights from a fixed seed, random token batches.

  train:    one iteration = zero_grad, forward + cross-entropy, backward, clip_grad_norm_(1.0),
            torch.optim.AdamW (lr 1e-3, betas (0.9, 0.99), weight decay 0.1 on the 2-D weights, 0 on
            the rest, as nanoGPT's configure_optimizers); median iteration after warm-up.
  generate: batch 1, greedy, a key/value cache kept here (one preallocated (1, NH, block, HS) buffer
            per layer and per k/v): prefill the prompt once, then one single-token step per token;
            medians over timed generations after 2 s of warm-up ones, as GenBench.

Lines printed (the same fields as the Java side, impl=pytorch):
  train model=baby batch=12 block=64 impl=pytorch torch_threads=1 openblas_threads=2 tokens_per_sec=..
        ms_per_iter=.. ms_mean=.. mfu_gflops=.. mfu_pct=.. peak_gflops=512 iters=.. loss=.. fwd_ms=.. bwd_ms=..
        clip_ms=.. adamw_ms=..   (median per phase: zero_grad + forward + loss, backward, clip, step)
  generate model=gpt2 impl=pytorch torch_threads=1 openblas_threads=2 prompt=16 new_tokens=128
        tokens_per_sec=.. decode_tokens_per_sec=.. prefill_ms=.. reps=3
Model FLOPs per token are nanoGPT's estimate_mfu: 6*N + 12*L*H*Q*T, N without the position embedding.

Run with Debian's interpreter (the python3 on PATH may lack torch), with libopenblas0-pthread as the
system BLAS (update-alternatives --display libblas.so.3-x86_64-linux-gnu):
    /usr/bin/python3 bench/torch_gpt_bench.py [--quick] [--torch-threads 1] [--openblas-threads 2]
OpenBLAS reads its environment when it is loaded, so the script sets OPENBLAS_NUM_THREADS before
importing torch. It also removes OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE (unless --keep-openblas-tuning):
this machine's environment pins OPENBLAS_CORETYPE=Haswell (AVX2 kernels), while OpenBLAS's own
detection picks its AVX-512 Cooperlake kernels here, measured 25-40% faster for training. Torch
threads 1 + OpenBLAS threads 2 is the default (the best setting: torch threads 2 oversubscribes the
two cores).
"""
import argparse
import ctypes
import math
import os
import statistics
import time

parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
parser.add_argument("--quick", action="store_true", help="few iterations, for a check that it runs")
parser.add_argument("--what", default="train,generate", help="train, generate or both (comma-separated)")
parser.add_argument("--batch", default="12,32", help="training batch sizes, comma-separated")
parser.add_argument("--models", default="baby,gpt2", help="generation shapes: baby, gpt2")
parser.add_argument("--iters", type=int, default=0, help="timed training iterations (default 50, quick 5)")
parser.add_argument("--warmup", type=int, default=-1, help="warm-up iterations (default 15, quick 3)")
parser.add_argument("--prompt", type=int, default=16, help="prompt tokens for generation")
parser.add_argument("--new", type=int, default=0, help="new tokens (default: baby 49, gpt2 128, quick 16)")
parser.add_argument("--reps", type=int, default=0,
                    help="timed generations, at least (default 3, quick 1; and 2 s of them, quick 0.5 s)")
parser.add_argument("--torch-threads", type=int, default=1, help="torch.set_num_threads")
parser.add_argument("--openblas-threads", type=int, default=2, help="OPENBLAS_NUM_THREADS")
parser.add_argument("--keep-openblas-tuning", action="store_true",
                    help="keep OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE (by default they are removed)")
parser.add_argument("--foreach", action="store_true", help="AdamW(foreach=True), the multi-tensor path")
parser.add_argument("--peak-gflops", type=float, default=512.0,
                    help="machine peak for mfu_pct (2 cores x 64 FLOPs/cycle x ~4 GHz)")
args = parser.parse_args()

os.environ["OPENBLAS_NUM_THREADS"] = str(args.openblas_threads)
if not args.keep_openblas_tuning:
    os.environ.pop("OPENBLAS_CORETYPE", None)
    os.environ.pop("OPENBLAS_L2_SIZE", None)

import torch  # noqa: E402  (after the environment is set)
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

torch.set_num_threads(args.torch_threads)

PRESETS = {  # vocab, block, n_layer, n_head, n_embd, bias
    "baby": dict(vocab=65, block=64, n_layer=4, n_head=4, n_embd=128, bias=False),
    "gpt2": dict(vocab=50257, block=1024, n_layer=12, n_head=12, n_embd=768, bias=True),
}


class Block(nn.Module):
    def __init__(self, n_head, n_embd, bias):
        super().__init__()
        self.n_head = n_head
        self.ln_1 = nn.LayerNorm(n_embd, elementwise_affine=True)
        self.c_attn = nn.Linear(n_embd, 3 * n_embd, bias=bias)
        self.attn_proj = nn.Linear(n_embd, n_embd, bias=bias)
        self.ln_2 = nn.LayerNorm(n_embd)
        self.c_fc = nn.Linear(n_embd, 4 * n_embd, bias=bias)
        self.mlp_proj = nn.Linear(4 * n_embd, n_embd, bias=bias)
        if not bias:  # nanoGPT's bias=False also drops the layer-norm biases
            self.ln_1.bias, self.ln_2.bias = None, None

    def attention(self, x, cache, start):
        B, T, C = x.shape
        q, k, v = self.c_attn(x).split(C, dim=2)                          # 3 x (B, T, C)
        q, k, v = (t.view(B, T, self.n_head, C // self.n_head).transpose(1, 2) for t in (q, k, v))  # (B, NH, T, HS)
        if cache is not None:  # append this step's keys and values, attend to every cached position
            cache[0][:, :, start:start + T] = k
            cache[1][:, :, start:start + T] = v
            k, v = cache[0][:, :, :start + T], cache[1][:, :, :start + T]  # (B, NH, L, HS)
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(q.size(-1)))   # (B, NH, T, L)
        if T > 1:  # query i (at position start + i) sees keys 0 .. start + i
            L = k.size(2)
            mask = torch.ones(T, L, dtype=torch.bool).triu(diagonal=start + 1)
            att = att.masked_fill(mask, float("-inf"))
        y = att.softmax(dim=-1) @ v                                        # (B, NH, T, HS)
        return self.attn_proj(y.transpose(1, 2).contiguous().view(B, T, C))

    def forward(self, x, cache=None, start=0):
        x = x + self.attention(self.ln_1(x), cache, start)
        return x + self.mlp_proj(F.gelu(self.c_fc(self.ln_2(x)), approximate="tanh"))


class Gpt(nn.Module):
    def __init__(self, vocab, block, n_layer, n_head, n_embd, bias):
        super().__init__()
        self.shape = (n_layer, n_head, n_embd // n_head, block)
        self.wte = nn.Embedding(vocab, n_embd)
        self.wpe = nn.Embedding(block, n_embd)
        self.h = nn.ModuleList(Block(n_head, n_embd, bias) for _ in range(n_layer))
        self.ln_f = nn.LayerNorm(n_embd)
        if not bias:
            self.ln_f.bias = None
        for name, p in self.named_parameters():  # GPT-2's init: N(0, 0.02^2), residual projections scaled
            if p.dim() == 2:
                std = 0.02 / math.sqrt(2 * n_layer) if name.endswith("proj.weight") else 0.02
                nn.init.normal_(p, 0.0, std)
            elif name.endswith("bias"):
                nn.init.zeros_(p)

    def forward(self, idx, caches=None, start=0):
        T = idx.size(1)
        x = self.wte(idx) + self.wpe(torch.arange(start, start + T))      # (B, T, C)
        for l, block in enumerate(self.h):
            x = block(x, None if caches is None else caches[l], start)
        if caches is not None:
            x = x[:, -1:]                                                  # only the last position's logits
        return self.ln_f(x) @ self.wte.weight.t()                          # (B, T, V), the tied head

    def flops_per_token(self):
        """nanoGPT's estimate_mfu (PaLM appendix B): 6 N + 12 L H Q T, N without the position embedding."""
        L, H, Q, T = self.shape
        n = sum(p.numel() for p in self.parameters()) - self.wpe.weight.numel()
        return 6 * n + 12 * L * H * Q * T


def openblas_core():
    """The kernel family OpenBLAS picks in this environment (torch calls it as the system BLAS), or "?"."""
    try:
        lib = ctypes.CDLL("libopenblas.so.0")
        lib.openblas_get_corename.restype = ctypes.c_char_p
        return lib.openblas_get_corename().decode()
    except (OSError, AttributeError):
        return "?"


def threads_fields():
    return f"torch_threads={torch.get_num_threads()} openblas_threads={os.environ['OPENBLAS_NUM_THREADS']}"


def bench_train(B, warmup, iters):
    torch.manual_seed(1337)
    cfg = PRESETS["baby"]
    model = Gpt(**cfg)
    T, V = cfg["block"], cfg["vocab"]
    decay = [p for p in model.parameters() if p.dim() >= 2]
    no_decay = [p for p in model.parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": no_decay, "weight_decay": 0.0}],
                            lr=1e-3, betas=(0.9, 0.99), eps=1e-8, foreach=args.foreach)
    gen = torch.Generator().manual_seed(42)
    seconds, phases = [], []  # phases: zero_grad + forward + loss, backward, clip, AdamW step
    for it in range(warmup + iters):
        x = torch.randint(V, (B, T), generator=gen)  # a fresh random batch
        y = torch.randint(V, (B, T), generator=gen)
        t0 = time.perf_counter()
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(x).view(-1, V), y.view(-1))
        t1 = time.perf_counter()
        loss.backward()
        t2 = time.perf_counter()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        t3 = time.perf_counter()
        opt.step()
        t4 = time.perf_counter()
        if it >= warmup:
            seconds.append(t4 - t0)
            phases.append((t1 - t0, t2 - t1, t3 - t2, t4 - t3))
    median = statistics.median(seconds)
    tokens_per_sec = B * T / median
    gflops = tokens_per_sec * model.flops_per_token() / 1e9
    phase_fields = " ".join(f"{name}_ms={statistics.median(p[i] for p in phases) * 1e3:.2f}"
                            for i, name in enumerate(("fwd", "bwd", "clip", "adamw")))
    print(f"train model=baby batch={B} block={T} impl=pytorch {threads_fields()} tokens_per_sec={tokens_per_sec:.0f}"
          f" ms_per_iter={median * 1e3:.2f} ms_mean={statistics.mean(seconds) * 1e3:.2f} mfu_gflops={gflops:.1f}"
          f" mfu_pct={100 * gflops / args.peak_gflops:.1f} peak_gflops={args.peak_gflops:.0f} iters={iters}"
          f" loss={loss.item():.3f} {phase_fields}", flush=True)


def generate(model, prompt, n, caches):
    """One greedy generation of n tokens (the cache is overwritten from position 0): (prefill s, decode s)."""
    P = prompt.size(1)
    t0 = time.perf_counter()
    logits = model(prompt, caches, 0)                       # prefill: (1, 1, V), gives token 1
    t1 = time.perf_counter()
    for i in range(1, n):                                   # steps give tokens 2 .. n
        token = logits[:, -1].argmax(dim=-1, keepdim=True)  # (1, 1)
        logits = model(token, caches, P + i - 1)
    logits[:, -1].argmax(dim=-1)                            # token n
    return t1 - t0, time.perf_counter() - t1


@torch.no_grad()
def bench_generate(name, P, n, reps, seconds):
    """Warm-up for `seconds` (one generation at least), then timed generations: reps and seconds at least."""
    torch.manual_seed(1337)
    cfg = PRESETS[name]
    model = Gpt(**cfg).eval()
    L, H, Q, T = model.shape
    prompt = torch.randint(cfg["vocab"], (1, P), generator=torch.Generator().manual_seed(7))
    caches = [(torch.zeros(1, H, T, Q), torch.zeros(1, H, T, Q)) for _ in range(L)]
    warmup_end = time.perf_counter() + seconds
    generate(model, prompt, n, caches)  # warm-up generations, at least one
    while time.perf_counter() < warmup_end:
        generate(model, prompt, n, caches)
    runs, timed_end = [], time.perf_counter() + seconds
    while len(runs) < reps or time.perf_counter() < timed_end:
        runs.append(generate(model, prompt, n, caches))
    prefill = statistics.median(a for a, _ in runs)
    decode = statistics.median(b for _, b in runs)
    total = statistics.median(a + b for a, b in runs)
    print(f"generate model={name} impl=pytorch {threads_fields()} prompt={P} new_tokens={n}"
          f" tokens_per_sec={n / total:.1f} decode_tokens_per_sec={(n - 1) / decode:.1f}"
          f" prefill_ms={prefill * 1e3:.2f} reps={len(runs)}", flush=True)


def main():
    what = args.what.split(",")
    print(f"# torch {torch.__version__}, {threads_fields()}, OpenBLAS core {openblas_core()}"
          f" (OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE')}"
          f" OPENBLAS_L2_SIZE={os.environ.get('OPENBLAS_L2_SIZE')}),"
          f" AdamW foreach={args.foreach}", flush=True)
    if "train" in what:
        iters = args.iters or (5 if args.quick else 50)
        warmup = args.warmup if args.warmup >= 0 else (3 if args.quick else 15)
        for B in (int(b) for b in args.batch.split(",")):
            bench_train(B, warmup, iters)
    if "generate" in what:
        reps = args.reps or (1 if args.quick else 3)
        for name in args.models.split(","):
            fits = PRESETS[name]["block"] - args.prompt + 1  # the prefill gives the first token
            n = min(args.new, fits) if args.new else min(fits, 16 if args.quick else 128)
            bench_generate(name, args.prompt, n, reps, 0.5 if args.quick else 2.0)


if __name__ == "__main__":
    main()
