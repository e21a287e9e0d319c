#!/usr/bin/python3
"""Writes small Hugging Face-style GPT-2 checkpoints with the real safetensors library, for HfSafetensorsFixtureTest.

An independent writer for rlhf4j's reader: the files come from safetensors' own save_file, laid
out as transformers saves a GPT-2 (1 layer, n_embd 8, 2 heads, vocab 10, 4 positions), in three
variants:
    f32/   GPT2Model names (no "transformer." prefix), F32, with the attention-mask buffers
           h.0.attn.bias (BOOL, lower-triangular) and h.0.attn.masked_bias (F32 scalar, -1e4)
    f16/   GPT2LMHeadModel names ("transformer." prefix) plus lm_head.weight, F16
    bf16/  GPT2Model names, BF16
each with the same config.json, and expected.json: for every variant and canonical parameter name,
the shape and the values as float32 after the variant's rounding (what the reader must return).

safetensors is not a Debian package; install its wheel next to Debian's torch, then run:
    /usr/bin/python3 -m venv --system-site-packages /tmp/stvenv
    /tmp/stvenv/bin/pip install --no-index safetensors-0.8.0-*.whl
    /tmp/stvenv/bin/python dev/reference/hf_safetensors_fixture.py
It writes under src/test/resources/io/hf-gpt2/.
"""
import json
import os

import torch
from safetensors.torch import save_file

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "src", "test", "resources", "io", "hf-gpt2")
C, V, T, L, NH = 8, 10, 4, 1, 2

CONFIG = {
    "activation_function": "gelu_new", "architectures": ["GPT2LMHeadModel"], "attn_pdrop": 0.1,
    "bos_token_id": 9, "embd_pdrop": 0.1, "eos_token_id": 9, "initializer_range": 0.02,
    "layer_norm_epsilon": 1e-05, "model_type": "gpt2", "n_ctx": T, "n_embd": C, "n_head": NH,
    "n_inner": None, "n_layer": L, "n_positions": T, "resid_pdrop": 0.1, "torch_dtype": "float32",
    "transformers_version": "4.40.0", "vocab_size": V,
}


def parameters():
    """GPT-2's parameters with GPT2Model names; Conv1D weights are (in, out)."""
    g = torch.Generator().manual_seed(1234)
    shapes = {"wte.weight": (V, C), "wpe.weight": (T, C)}
    for i in range(L):
        h = f"h.{i}."
        shapes.update({h + "ln_1.weight": (C,), h + "ln_1.bias": (C,),
                       h + "attn.c_attn.weight": (C, 3 * C), h + "attn.c_attn.bias": (3 * C,),
                       h + "attn.c_proj.weight": (C, C), h + "attn.c_proj.bias": (C,),
                       h + "ln_2.weight": (C,), h + "ln_2.bias": (C,),
                       h + "mlp.c_fc.weight": (C, 4 * C), h + "mlp.c_fc.bias": (4 * C,),
                       h + "mlp.c_proj.weight": (4 * C, C), h + "mlp.c_proj.bias": (C,)})
    shapes.update({"ln_f.weight": (C,), "ln_f.bias": (C,)})
    return {name: torch.randn(shape, generator=g) for name, shape in shapes.items()}


def canonical(name):
    return name if name.startswith("transformer.") or name == "lm_head.weight" else "transformer." + name


def main():
    params = parameters()
    variants = {
        "f32": {name: p.clone() for name, p in params.items()},
        "f16": {"transformer." + name: p.half() for name, p in params.items()},
        "bf16": {name: p.bfloat16() for name, p in params.items()},
    }
    variants["f32"]["h.0.attn.bias"] = torch.tril(torch.ones(T, T, dtype=torch.bool)).view(1, 1, T, T)
    variants["f32"]["h.0.attn.masked_bias"] = torch.tensor(-1e4)
    variants["f16"]["lm_head.weight"] = params["wte.weight"].half().clone()  # tied, stored again
    expected = {}
    for variant, tensors in variants.items():
        d = os.path.join(OUT, variant)
        os.makedirs(d, exist_ok=True)
        save_file(tensors, os.path.join(d, "model.safetensors"), metadata={"format": "pt"})
        with open(os.path.join(d, "config.json"), "w") as f:
            json.dump(CONFIG, f, indent=2, sort_keys=True)
            f.write("\n")
        expected[variant] = {
            canonical(name): {"shape": list(t.shape), "values": t.float().flatten().tolist()}
            for name, t in tensors.items() if name.split(".")[-2:] not in (["attn", "bias"], ["attn", "masked_bias"])
        }
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
