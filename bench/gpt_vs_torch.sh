#!/usr/bin/env bash
# rlhf4j against PyTorch on the same GPT work, one line per measurement (docs/benchmarks.md (GPT section)):
#   train:    baby GPT, batch 12 and 32, block 64: forward + loss + backward + clip + AdamW step, tokens/s
#   generate: KV-cache generation, batch 1, baby and gpt2-124M shapes, tokens/s
# Usage: bench/gpt_vs_torch.sh [--quick] [--java-only | --torch-only] [--rounds N] [--java-threads 2]
#   --rounds N repeats all measurements N times, interleaved (rlhf4j, PyTorch, rlhf4j, ...).
#   --java-threads 1,2 runs rlhf4j at each -Drlhf4j.threads in the list (default 2).
# JAVA picks the JVM (default: java on the PATH); PYTHON the interpreter with torch (default /usr/bin/python3).
# Both sides use 2 threads by default: -Drlhf4j.threads=2; torch threads 1 + OpenBLAS threads 2 (PyTorch's
# best here).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
java_bin="${JAVA:-java}"
python_bin="${PYTHON:-/usr/bin/python3}"

usage="usage: bench/gpt_vs_torch.sh [--quick] [--java-only | --torch-only] [--rounds N] [--java-threads 1,2]"
quick=() run_java=1 run_torch=1 rounds=1 java_threads=2
while (( $# )); do
  case "$1" in
    --quick) quick=(--quick) ;;
    --java-only) run_torch=0 ;;
    --torch-only) run_java=0 ;;
    --rounds) (( $# >= 2 )) || { echo "$usage" >&2; exit 2; }; rounds="$2"; shift ;;
    --java-threads) (( $# >= 2 )) || { echo "$usage" >&2; exit 2; }; java_threads="$2"; shift ;;
    *) echo "$usage" >&2; exit 2 ;;
  esac
  shift
done
if ! [[ "$rounds" =~ ^[1-9][0-9]*$ && "$java_threads" =~ ^[1-9][0-9]*(,[1-9][0-9]*)*$ ]]; then
  echo "$usage (N >= 1; thread counts >= 1, comma-separated)" >&2; exit 2
fi

mkdir -p target
out="target/gpt-vs-torch-$(date -u +%Y%m%dT%H%M%SZ).txt" # every line printed, for bench/gpt_table.py
say() { echo "$*" | tee -a "$out"; }

# 0. The machine, so a reader can tell a quiet run from a loaded one.
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | xargs)
commit=$(git rev-parse --short HEAD 2>/dev/null || echo no-git)
say "# $(date -u +%FT%TZ) $commit on $(nproc) cpus ($cpu), load $(cut -d' ' -f1-3 /proc/loadavg)"

if (( run_torch )); then
  if ! "$python_bin" -c 'import torch' 2>/dev/null; then
    echo "gpt_vs_torch: $python_bin cannot import torch (apt-get install -y python3-torch; or set PYTHON)" >&2; exit 2
  fi
  blas=$(update-alternatives --query libblas.so.3-x86_64-linux-gnu 2>/dev/null | sed -n 's/^Value: //p')
  if [[ "$blas" != *openblas* ]]; then
    echo "gpt_vs_torch: the system BLAS is '${blas:-unknown}', not OpenBLAS; PyTorch would run on" \
         "the reference BLAS (apt-get install -y libopenblas0-pthread)" >&2; exit 2
  fi
  say "# system BLAS: $blas"
fi

# 1. Build rlhf4j (classes + the runtime classpath; Maven's output goes to a log shown on failure).
if (( run_java )); then
  cpfile="target/gpt-bench-classpath.txt" log="target/gpt-bench-build.log"
  if ! { mvn -q -B -DskipTests compile && mvn -q -B dependency:build-classpath -DincludeScope=runtime \
           -Dmdep.outputFile="$cpfile"; } >"$log" 2>&1; then
    cat "$log" >&2; echo "gpt_vs_torch: the Maven build failed (log above, also in $log)" >&2; exit 1
  fi
  java_run() { # java_run MAIN_CLASS ARGS...: once per thread count of --java-threads
    local t
    for t in ${java_threads//,/ }; do
      "$java_bin" --add-modules jdk.incubator.vector -Drlhf4j.threads="$t" -cp "target/classes:$(cat "$cpfile")" "$@"
    done
  }
  say "# $("$java_bin" -version 2>&1 | head -n 1)"
fi

# 2. Training, then generation: rlhf4j first, PyTorch right after on the same work.
measure() {
  for (( round = 1; round <= rounds; round++ )); do
    echo "# round $round of $rounds, load $(cut -d' ' -f1-3 /proc/loadavg)"
    if (( run_java )); then java_run org.rlhf4j.bench.TrainBench "${quick[@]}"; fi
    if (( run_torch )); then "$python_bin" bench/torch_gpt_bench.py --what train "${quick[@]}"; fi
    if (( run_java )); then java_run org.rlhf4j.bench.GenBench "${quick[@]}"; fi
    if (( run_torch )); then "$python_bin" bench/torch_gpt_bench.py --what generate "${quick[@]}"; fi
  done
  echo "# done $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg)"
}
measure | tee -a "$out"

# 3. The best of each side per measurement, as docs/benchmarks.md (GPT section)'s table.
echo
"$python_bin" bench/gpt_table.py "$out"
echo "# lines saved in $out"
