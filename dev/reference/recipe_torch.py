#!/usr/bin/python3
"""nanoGPT's CPU shakespeare-char recipe in plain PyTorch, to put rlhf4j's validation loss next to
PyTorch's on the same data, the same machine and the same recipe (docs/training.md).

The model and the loop are written here (not nanoGPT's files), following nanoGPT's settings:
baby GPT (4 layers, 4 heads, n_embd 128, block 64, no biases, layer norms without bias, dropout 0),
GPT-2 init (N(0, 0.02^2), residual projections 0.02 / sqrt(2 L)), head tied to the token embedding,
AdamW (betas 0.9/0.99, eps 1e-8, weight decay 0.1 on every 2-D parameter, nanoGPT's
configure_optimizers), lr 1e-3 with 100 warm-up steps (lr * (it + 1) / (warmup + 1)) and cosine decay
to 1e-4 at step 2000, global-norm clip 1.0, batch 12, 2000 steps; the first 90% of the characters
train, the rest validate; validation loss = mean over 20 random batches (eval_iters 20), and also over
every non-overlapping block of the validation split.

    /usr/bin/python3 dev/reference/recipe_torch.py --data ../shared/data/tinyshakespeare.txt \
        --seeds 1337,1,2 [--gelu erf|tanh] [--decay all2d|linear] [--bias]
prints one line per seed: seed, gelu, decay, bias, val loss (20 batches), val loss (whole split), seconds.
"""
import argparse
import math
import os
import time

parser = argparse.ArgumentParser()
parser.add_argument("--data", required=True)
parser.add_argument("--seeds", default="1337")
parser.add_argument("--gelu", default="erf", choices=["erf", "tanh"])
parser.add_argument("--decay", default="all2d", choices=["all2d", "linear"],
                    help="all2d: every 2-D parameter decays (nanoGPT); linear: embeddings exempt (rlhf4j)")
parser.add_argument("--bias", action="store_true", help="biases in Linear and LayerNorm (GPT-2's default)")
parser.add_argument("--iters", type=int, default=2000)
parser.add_argument("--threads", type=int, default=1)
args = parser.parse_args()
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

torch.set_num_threads(args.threads)
V_BLOCK, N_LAYER, N_HEAD, N_EMBD, BATCH = 64, 4, 4, 128, 12
LR, MIN_LR, WARMUP, WD, CLIP, EVAL_ITERS = 1e-3, 1e-4, 100, 0.1, 1.0, 20


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.ln_1 = nn.LayerNorm(N_EMBD)
        self.c_attn = nn.Linear(N_EMBD, 3 * N_EMBD, bias=args.bias)
        self.attn_proj = nn.Linear(N_EMBD, N_EMBD, bias=args.bias)
        self.ln_2 = nn.LayerNorm(N_EMBD)
        self.c_fc = nn.Linear(N_EMBD, 4 * N_EMBD, bias=args.bias)
        self.mlp_proj = nn.Linear(4 * N_EMBD, N_EMBD, bias=args.bias)
        if not args.bias:  # bias=False also drops the layer-norm biases
            self.ln_1.bias, self.ln_2.bias = None, None

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = self.c_attn(self.ln_1(x)).split(C, dim=2)
        q, k, v = (t.view(B, T, N_HEAD, C // N_HEAD).transpose(1, 2) for t in (q, k, v))  # (B, NH, T, HS)
        att = (q @ k.transpose(-2, -1)) / math.sqrt(q.size(-1))
        att = att.masked_fill(torch.ones(T, T, dtype=torch.bool).triu(1), float("-inf")).softmax(-1)
        x = x + self.attn_proj((att @ v).transpose(1, 2).reshape(B, T, C))
        return x + self.mlp_proj(F.gelu(self.c_fc(self.ln_2(x)), approximate="tanh" if args.gelu == "tanh" else "none"))


class Gpt(nn.Module):
    def __init__(self, vocab):
        super().__init__()
        self.wte = nn.Embedding(vocab, N_EMBD)
        self.wpe = nn.Embedding(V_BLOCK, N_EMBD)
        self.h = nn.ModuleList(Block() for _ in range(N_LAYER))
        self.ln_f = nn.LayerNorm(N_EMBD)
        if not args.bias:
            self.ln_f.bias = None
        for name, p in self.named_parameters():
            if name.endswith("bias"):
                nn.init.zeros_(p)
            elif p.dim() == 2:
                nn.init.normal_(p, 0.0, 0.02 / math.sqrt(2 * N_LAYER) if name.endswith("proj.weight") else 0.02)

    def forward(self, idx, targets):
        x = self.wte(idx) + self.wpe(torch.arange(idx.size(1)))
        for b in self.h:
            x = b(x)
        logits = self.ln_f(x) @ self.wte.weight.t()
        return F.cross_entropy(logits.view(-1, logits.size(-1)), targets.view(-1))


def lr_at(it):
    if it < WARMUP:
        return LR * (it + 1) / (WARMUP + 1)
    ratio = (it - WARMUP) / (args.iters - WARMUP)
    return MIN_LR + 0.5 * (1.0 + math.cos(math.pi * ratio)) * (LR - MIN_LR)


def run(seed, train, val, vocab):
    torch.manual_seed(seed)
    model = Gpt(vocab)
    decay = [p for n, p in model.named_parameters()
             if p.dim() >= 2 and (args.decay == "all2d" or not n.startswith(("wte", "wpe")))]
    rest = [p for p in model.parameters() if all(p is not d for d in decay)]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": WD}, {"params": rest, "weight_decay": 0.0}],
                            lr=LR, betas=(0.9, 0.99), eps=1e-8)

    def batch(data):
        ix = torch.randint(len(data) - V_BLOCK, (BATCH,))
        return (torch.stack([data[i:i + V_BLOCK] for i in ix]),
                torch.stack([data[i + 1:i + 1 + V_BLOCK] for i in ix]))

    t0 = time.time()
    for it in range(args.iters):
        for g in opt.param_groups:
            g["lr"] = lr_at(it)
        x, y = batch(train)
        loss = model(x, y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), CLIP)
        opt.step()
    secs = time.time() - t0
    with torch.no_grad():
        est = sum(model(*batch(val)).item() for _ in range(EVAL_ITERS)) / EVAL_ITERS
        n = (len(val) - 1) // V_BLOCK
        xs = val[:n * V_BLOCK].view(n, V_BLOCK)
        ys = val[1:n * V_BLOCK + 1].view(n, V_BLOCK)
        whole = sum(model(xs[i:i + 64], ys[i:i + 64]).item() * len(xs[i:i + 64]) for i in range(0, n, 64)) / n
    print(f"seed={seed} gelu={args.gelu} decay={args.decay} bias={args.bias} val_loss_20={est:.4f} val_loss_all={whole:.4f}"
          f" train_sec={secs:.1f}", flush=True)


def main():
    text = open(args.data, encoding="utf-8").read()
    chars = sorted(set(text))
    index = {c: i for i, c in enumerate(chars)}
    ids = torch.tensor([index[c] for c in text], dtype=torch.long)
    cut = int(len(ids) * 0.9)
    for s in args.seeds.split(","):
        run(int(s), ids[:cut], ids[cut:], len(chars))


main()
