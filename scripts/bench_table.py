#!/usr/bin/env python3
"""Turns benchmark lines into the markdown table of docs/benchmarks.md.

Reads lines of the form `matmul MxKxN impl=<impl> threads=<t> gflops=<value> [shape=<tag>]` (from
bin/bench matmul and scripts/bench_numpy.py, any number of runs, concatenated) on stdin, keeps the
best GFLOPS per shape, implementation and thread count, and prints one row per shape with the ratio
of `--ratio NUM DEN` columns (default: simd t2 over numpy t2). `--columns "a t1,b t2,..."` fixes
which columns appear and their order (default: all, in order of first appearance).
"""
import re
import sys
from collections import OrderedDict

LINE = re.compile(r"^matmul (\d+x\d+x\d+) impl=(\S+) threads=(\d+) gflops=([\d.]+)(?: shape=(\S+))?")


def main(argv):
    num, den, only = "simd t2", "numpy t2", None
    while argv:
        if argv[0] == "--ratio":
            num, den, argv = argv[1], argv[2], argv[3:]
        elif argv[0] == "--columns":
            only, argv = argv[1].split(","), argv[2:]
        else:
            sys.exit(f"unknown argument {argv[0]}")
    best, tags, columns = OrderedDict(), {}, []
    for line in sys.stdin:
        m = LINE.match(line.strip())
        if not m:
            continue
        dims, impl, threads, gflops, tag = m.groups()
        col = f"{impl} t{threads}"
        if col not in columns:
            columns.append(col)
        key = (dims, col)
        best[key] = max(best.get(key, 0.0), float(gflops))
        tags.setdefault(dims, tag or "")
    if only is not None:
        columns = only
    print("| shape | " + " | ".join(columns) + f" | {num} / {den} |")
    print("|---" * (len(columns) + 2) + "|")
    for dims, tag in tags.items():
        cells = [f"{best[(dims, c)]:.1f}" if (dims, c) in best else "" for c in columns]
        n, d = best.get((dims, num)), best.get((dims, den))
        ratio = f"{100 * n / d:.0f}%" if n and d else ""
        print(f"| {dims} {tag if tag != 'square' else ''} | " + " | ".join(cells) + f" | {ratio} |")


if __name__ == "__main__":
    main(sys.argv[1:])
