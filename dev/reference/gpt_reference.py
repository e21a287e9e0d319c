#!/usr/bin/python3
"""Writes the golden fixture that GptReferenceTest checks rlhf4j against.

A tiny GPT-2 written here in plain PyTorch (not imported from a library), with Hugging Face's
parameter names and GPT-2's Conv1D orientation (Linear weights stored (in, out), y = x @ W + b):
2 layers, n_embd 32, 2 heads, vocab 64, block 16, a batch of 2 sequences of 16 tokens. From a
fixed seed it records the inputs and targets (two targets set to the ignore index -1), every
weight, the logits, the loss, every parameter's gradient, and 5 optimizer steps (global-norm
clipping to 1.0, torch.optim.AdamW with nanoGPT's no-decay groups, nanoGPT's warmup + cosine lr):
the loss before each step and after the last, the pre-clip gradient norms and the learning rates.

Run with Debian's interpreter and python3-torch (the pyenv python3 on PATH has no torch):
    /usr/bin/python3 dev/reference/gpt_reference.py
It writes, under src/test/resources/reference/:
    gpt_tiny.bin       the fixture (format below), read by GptReferenceTest
    model.safetensors  the same initial weights, Hugging Face names, safetensors format
    config.json        the matching Hugging Face GPT2Config

Fixture format (all little-endian): magic b"R4JGPTRF", int32 version (1), int32 entry count, then
per entry: int32 name length, UTF-8 name, int32 dtype (0 float32, 1 int32), int32 rank,
int32 dims[rank], the elements in row-major order.
"""
import json
import math
import os
import struct

import torch
import torch.nn.functional as F

VOCAB, BLOCK, N_LAYER, N_HEAD, N_EMBD = 64, 16, 2, 2, 32
B, T = 2, 16
LN_EPS = 1e-5
IGNORE = -1
STEPS = 5
LR, MIN_LR, WARMUP, DECAY_ITERS = 1e-2, 1e-3, 2, 5
BETA1, BETA2, EPS, WEIGHT_DECAY, CLIP = 0.9, 0.95, 1e-8, 0.1, 1.0
SEED = 1337

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "src", "test", "resources", "reference")


def param_shapes():
    """(HF name, shape, kind) in Hugging Face's registration order; kind picks the init and the group."""
    C = N_EMBD
    shapes = [("transformer.wte.weight", (VOCAB, C), "embedding"),
              ("transformer.wpe.weight", (BLOCK, C), "embedding")]
    for l in range(N_LAYER):
        p = f"transformer.h.{l}."
        shapes += [(p + "ln_1.weight", (C,), "ln_weight"), (p + "ln_1.bias", (C,), "bias"),
                   (p + "attn.c_attn.weight", (C, 3 * C), "linear"), (p + "attn.c_attn.bias", (3 * C,), "bias"),
                   (p + "attn.c_proj.weight", (C, C), "linear"), (p + "attn.c_proj.bias", (C,), "bias"),
                   (p + "ln_2.weight", (C,), "ln_weight"), (p + "ln_2.bias", (C,), "bias"),
                   (p + "mlp.c_fc.weight", (C, 4 * C), "linear"), (p + "mlp.c_fc.bias", (4 * C,), "bias"),
                   (p + "mlp.c_proj.weight", (4 * C, C), "linear"), (p + "mlp.c_proj.bias", (C,), "bias")]
    shapes += [("transformer.ln_f.weight", (C,), "ln_weight"), ("transformer.ln_f.bias", (C,), "bias")]
    return shapes


def init_params(gen):
    """Random weights with std 0.1 and non-trivial biases and layer-norm gains, so that every term of
    the forward pass matters (GPT-2's zero biases and unit gains would hide a misplaced bias)."""
    params = {}
    for name, shape, kind in param_shapes():
        noise = torch.randn(shape, generator=gen) * 0.1
        params[name] = (1.0 + noise if kind == "ln_weight" else noise).float().requires_grad_(True)
    return params


def gelu(x):
    # GPT-2's tanh approximation (Hendrycks and Gimpel 2016)
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x ** 3)))


def forward(P, idx):
    """GPT-2: x = wte[idx] + wpe[pos]; per block x += attn(ln_1(x)); x += mlp(ln_2(x)); logits = ln_f(x) wte^T."""
    Bn, Tn = idx.shape
    C, NH = N_EMBD, N_HEAD
    HS = C // NH
    x = P["transformer.wte.weight"][idx] + P["transformer.wpe.weight"][torch.arange(Tn)]  # (B, T, C)
    mask = torch.triu(torch.ones(Tn, Tn, dtype=torch.bool), diagonal=1)                  # future positions
    for l in range(N_LAYER):
        p = f"transformer.h.{l}."
        h = F.layer_norm(x, (C,), P[p + "ln_1.weight"], P[p + "ln_1.bias"], LN_EPS)
        qkv = h @ P[p + "attn.c_attn.weight"] + P[p + "attn.c_attn.bias"]                # (B, T, 3C)
        q, k, v = qkv.split(C, dim=2)
        q = q.view(Bn, Tn, NH, HS).transpose(1, 2)                                        # (B, NH, T, HS)
        k = k.view(Bn, Tn, NH, HS).transpose(1, 2)
        v = v.view(Bn, Tn, NH, HS).transpose(1, 2)
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(HS))                           # (B, NH, T, T)
        att = att.masked_fill(mask, float("-inf")).softmax(dim=-1)
        y = (att @ v).transpose(1, 2).contiguous().view(Bn, Tn, C)                       # (B, T, C)
        x = x + (y @ P[p + "attn.c_proj.weight"] + P[p + "attn.c_proj.bias"])
        h = F.layer_norm(x, (C,), P[p + "ln_2.weight"], P[p + "ln_2.bias"], LN_EPS)
        h = gelu(h @ P[p + "mlp.c_fc.weight"] + P[p + "mlp.c_fc.bias"])                   # (B, T, 4C)
        x = x + (h @ P[p + "mlp.c_proj.weight"] + P[p + "mlp.c_proj.bias"])
    x = F.layer_norm(x, (C,), P["transformer.ln_f.weight"], P["transformer.ln_f.bias"], LN_EPS)
    return x @ P["transformer.wte.weight"].t()                                            # (B, T, V)


def loss_of(logits, targets):
    return F.cross_entropy(logits.view(-1, VOCAB), targets.view(-1), ignore_index=IGNORE)


def get_lr(it):
    """nanoGPT's get_lr: linear warmup, then cosine decay to MIN_LR."""
    if it < WARMUP:
        return LR * (it + 1) / (WARMUP + 1)
    if it > DECAY_ITERS:
        return MIN_LR
    ratio = (it - WARMUP) / (DECAY_ITERS - WARMUP)
    return MIN_LR + 0.5 * (1.0 + math.cos(math.pi * ratio)) * (LR - MIN_LR)


class Fixture:
    def __init__(self):
        self.entries = []

    def f32(self, name, t):
        self.entries.append((name, 0, tuple(t.shape), t.detach().float().contiguous().numpy().astype("<f4").tobytes()))

    def i32(self, name, t):
        self.entries.append((name, 1, tuple(t.shape), t.to(torch.int32).contiguous().numpy().astype("<i4").tobytes()))

    def write(self, path):
        with open(path, "wb") as f:
            f.write(b"R4JGPTRF")
            f.write(struct.pack("<ii", 1, len(self.entries)))
            for name, dtype, shape, data in self.entries:
                encoded = name.encode("utf-8")
                f.write(struct.pack("<i", len(encoded)) + encoded)
                f.write(struct.pack("<ii", dtype, len(shape)) + struct.pack(f"<{len(shape)}i", *shape))
                f.write(data)


def write_safetensors(path, tensors):
    """The safetensors format by hand: u64 LE header length, JSON header (padded with spaces to a
    multiple of 8), then the raw little-endian data in header order."""
    header, blobs, offset = {"__metadata__": {"format": "pt"}}, [], 0
    for name, t in tensors.items():
        data = t.detach().float().contiguous().numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


def hf_config():
    return {"architectures": ["GPT2LMHeadModel"], "model_type": "gpt2", "vocab_size": VOCAB,
            "n_positions": BLOCK, "n_ctx": BLOCK, "n_embd": N_EMBD, "n_layer": N_LAYER, "n_head": N_HEAD,
            "n_inner": None, "activation_function": "gelu_new", "layer_norm_epsilon": LN_EPS,
            "resid_pdrop": 0.0, "embd_pdrop": 0.0, "attn_pdrop": 0.0, "initializer_range": 0.02,
            "bos_token_id": VOCAB - 1, "eos_token_id": VOCAB - 1, "tie_word_embeddings": True,
            "torch_dtype": "float32"}


def main():
    torch.set_num_threads(1)
    gen = torch.Generator().manual_seed(SEED)
    P = init_params(gen)
    idx = torch.randint(0, VOCAB, (B, T), generator=gen)
    targets = torch.randint(0, VOCAB, (B, T), generator=gen)
    targets[0, 3] = IGNORE
    targets[1, 10] = IGNORE

    fx = Fixture()
    fx.i32("config", torch.tensor([VOCAB, BLOCK, N_LAYER, N_HEAD, N_EMBD, B, T, STEPS, IGNORE]))
    fx.f32("hparams", torch.tensor([LN_EPS, LR, MIN_LR, WARMUP, DECAY_ITERS, BETA1, BETA2, EPS, WEIGHT_DECAY, CLIP],
                                   dtype=torch.float64))
    fx.i32("inputs", idx)
    fx.i32("targets", targets)
    for name, t in P.items():
        fx.f32("weights/" + name, t)
    write_safetensors(os.path.join(OUT, "model.safetensors"), P)

    logits = forward(P, idx)
    loss = loss_of(logits, targets)
    loss.backward()
    fx.f32("logits", logits)
    fx.f32("loss", loss.reshape(()))
    for name, t in P.items():
        fx.f32("grads/" + name, t.grad)

    # the optimizer: decay only the Linear weights (no decay on biases, layer norms and embeddings)
    kinds = {name: kind for name, _, kind in param_shapes()}
    decay = [t for n, t in P.items() if kinds[n] == "linear"]
    no_decay = [t for n, t in P.items() if kinds[n] != "linear"]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": WEIGHT_DECAY},
                             {"params": no_decay, "weight_decay": 0.0}],
                            lr=LR, betas=(BETA1, BETA2), eps=EPS, foreach=False)
    losses, norms, lrs = [], [], []
    for it in range(STEPS):
        opt.zero_grad(set_to_none=True)
        loss = loss_of(forward(P, idx), targets)
        loss.backward()
        norm = torch.nn.utils.clip_grad_norm_(list(P.values()), CLIP)
        lr = get_lr(it)
        for group in opt.param_groups:
            group["lr"] = lr
        opt.step()
        losses.append(loss.item())
        norms.append(norm.item())
        lrs.append(lr)
    with torch.no_grad():
        losses.append(loss_of(forward(P, idx), targets).item())
    fx.f32("step_losses", torch.tensor(losses))
    fx.f32("step_grad_norms", torch.tensor(norms))
    fx.f32("step_lrs", torch.tensor(lrs, dtype=torch.float64))
    fx.write(os.path.join(OUT, "gpt_tiny.bin"))
    with open(os.path.join(OUT, "config.json"), "w") as f:
        json.dump(hf_config(), f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
