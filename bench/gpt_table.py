#!/usr/bin/env python3
"""Turns the lines of bench/gpt_vs_torch.sh into the Markdown table of docs/benchmarks.md (GPT section).

    bench/gpt_vs_torch.sh --rounds 3 | tee gpt-run.txt
    python3 bench/gpt_table.py gpt-run.txt        # or: ... | python3 bench/gpt_table.py

For every measurement (train at each batch, generate for each model and length) and each side
(rlhf4j, pytorch) it keeps the run with the highest tokens_per_sec (over rounds and rlhf4j thread
counts), and prints the best of each side with its details and the ratio rlhf4j / pytorch. Lines
starting with "#", and anything else, are skipped. Needs only the standard library (any python3).
"""
import fileinput


def parse(line):
    words = line.split()
    return words[0], dict(w.split("=", 1) for w in words[1:] if "=" in w)


def main():
    best = {}  # (kind, model, batch) -> {impl: fields}
    for line in fileinput.input():
        if not line.startswith(("train ", "generate ")):
            continue
        kind, f = parse(line)
        key = (kind, f["model"], f.get("batch") or f["new_tokens"])
        side = best.setdefault(key, {})
        if f["impl"] not in side or float(f["tokens_per_sec"]) > float(side[f["impl"]]["tokens_per_sec"]):
            side[f["impl"]] = f

    def cell(f, kind):
        if f is None:
            return "–"
        threads = f" [threads {f['threads']}]" if "threads" in f else ""
        return value(f, kind) + threads

    def value(f, kind):
        if kind == "train":
            return (f"{float(f['tokens_per_sec']):,.0f} ({f['ms_per_iter']} ms;"
                    f" {f['mfu_gflops']} GFLOPS, {f['mfu_pct']}%)")
        return (f"{float(f['tokens_per_sec']):,.1f} (decode {float(f['decode_tokens_per_sec']):,.1f};"
                f" prefill {f['prefill_ms']} ms)")

    print("| measurement | rlhf4j | PyTorch | rlhf4j / PyTorch |")
    print("|---|---|---|---|")
    for (kind, model, size), side in best.items():
        j, t = side.get("rlhf4j"), side.get("pytorch")
        what = (f"train {model} B={size}, tokens/s (ms/iter; model GFLOPS, MFU)" if kind == "train"
                else f"generate {model}, {size} new tokens, tokens/s")
        ratio = f"{float(j['tokens_per_sec']) / float(t['tokens_per_sec']):.2f}" if j and t else "–"
        print(f"| {what} | {cell(j, kind)} | {cell(t, kind)} | {ratio} |")


if __name__ == "__main__":
    main()
