#!/usr/bin/env bash
# Issue 6's GPU measurements in one prepared call, for a machine with a GPU (the workplace's `device` tool), so
# that a session with little device time spends it measuring (docs/gpu.md, "Running on a real GPU").
#
#   here:   bench/gpu_check.sh --prepare    compiles, copies the jars to target/gpu-lib and target/gpu-testlib, and
#                                           packs a jlinked Java runtime into target/gpu-jre.tar.xz (the GPU image
#                                           has no Java; no Maven or network is needed there); carry target/classes,
#                                           target/gpu-lib, target/test-classes, target/gpu-testlib and
#                                           target/gpu-jre.tar.xz (about 44 MB)
#   there:  bench/gpu_check.sh [sections]   writes everything to $OUT/gpu_check.txt (or target/gpu-check/)
#
# Sections: tests (the OpenCL tests through org.rlhf4j.kernels.DeviceTests: properties against the scalar reference,
# the transfer discipline, the PyTorch parity fixture, a short training run; 31 tests, about 20 s on PoCL), train (a
# gpt2-124M-shaped training step, B 4, T 1024, on the opencl backend, then on the SIMD kernels), matmul (OpenCL with
# and without copies, then SIMD, at 1024, 2048, 4096 squared, GPT-2's X*W_fc and its head; then OpenCL again with
# 128 x 128 blocks), cublas (fp32 GFLOPS through PyTorch, TF32 off then on), info (`rlhf4j info` under auto with the
# first NVIDIA device, which logs auto's measured crossover). Each runs under its own time limit. With no argument it
# runs `tests train` (at most about 6.5 minutes); `matmul cublas info` (at most about 7) is the second group, to be
# named in a second call, so that each fits one 10-minute device call. The machine is described first: GPUs, OpenCL
# loader and ICDs, java. Where the NVIDIA driver's OpenCL library is present but no ICD file registers it (common in
# containers), one is written under $TMPDIR and OCL_ICD_VENDORS points there.
# Environment: JAVA (default: the packed runtime, else java on the PATH), PYTHON (default: python3), THREADS (default: nproc),
# DEVICE (default: NVIDIA, a name substring for -Drlhf4j.opencl.device under auto).
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if [[ "${1:-}" == "--prepare" ]]; then
  mvn -q -DskipTests test-compile || exit 1
  rm -rf target/gpu-lib target/gpu-testlib
  mvn -q dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=target/gpu-lib || exit 1
  # the tests section's jars: JUnit (with its launcher), jqwik, and what they need; not the browser test's
  mvn -q dependency:copy-dependencies -DincludeScope=test -DoutputDirectory=target/gpu-testlib \
    -DincludeGroupIds=org.junit.jupiter,org.junit.platform,org.opentest4j,org.apiguardian,net.jqwik || exit 1
  # aparapi-jni carries its JNI library for every platform (19 MB); the GPU machine needs the Linux x86-64 one
  zip -q -d target/gpu-lib/aparapi-jni-*.jar 'win/*' 'osx/*' linux/libaparapi_x86.so linux/libaparapi_armhf.so \
    linux/libaparapi_aarch64.so || exit 1
  # an OpenCL loader (ocl-icd's libOpenCL.so.1, 50 KB), for a GPU machine whose image has none
  mkdir -p target/gpu-lib/native
  cp -L "$(ldconfig -p | sed -n 's/.*libOpenCL\.so\.1 .*=> //p' | head -n 1)" target/gpu-lib/native/libOpenCL.so.1 \
    || echo "no libOpenCL.so.1 here to copy (apt-get install ocl-icd-libopencl1)"
  # the GPU machine's image has no Java: a runtime of the modules rlhf4j needs, jlinked from this JDK, packed
  jdk="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}"
  rm -rf target/gpu-jre target/gpu-jre.tar.xz
  "$jdk/bin/jlink" --add-modules java.base,java.logging,java.management,java.xml,jdk.incubator.vector,jdk.unsupported \
    --compress=2 --strip-debug --no-header-files --no-man-pages --output target/gpu-jre 2>/dev/null || exit 1
  tar -C target -cJf target/gpu-jre.tar.xz gpu-jre && rm -rf target/gpu-jre || exit 1
  du -sh target/classes target/gpu-lib target/test-classes target/gpu-testlib target/gpu-jre.tar.xz
  exit 0
fi

sections=("$@")
(( ${#sections[@]} )) || sections=(tests train) # the second group, matmul cublas info, must be named
out="${OUT:-target/gpu-check}"
mkdir -p "$out"
log="$out/gpu_check.txt"
exec > >(tee -a "$log") 2>&1
if [[ -z "${JAVA:-}" && -f target/gpu-jre.tar.xz ]]; then # the runtime --prepare packed (the GPU image has no Java)
  jre="${TMPDIR:-/tmp}/rlhf4j-jre"
  rm -rf "$jre" && mkdir -p "$jre" && tar -C "$jre" -xJf target/gpu-jre.tar.xz && JAVA="$jre/gpu-jre/bin/java"
fi
JAVA="${JAVA:-java}"
PYTHON="${PYTHON:-python3}"
THREADS="${THREADS:-$(nproc)}"
DEVICE="${DEVICE:-NVIDIA}"
section() { printf '\n## %s (%s)\n' "$1" "$(date -u +%H:%M:%S)"; }

section "machine"
date -u
nvidia-smi -L 2>&1 || echo "no nvidia-smi"
echo "cpus: $(nproc)"
ldconfig -p 2>/dev/null | grep -E 'libOpenCL\.so|libnvidia-opencl' || echo "no libOpenCL.so / libnvidia-opencl.so in the linker cache"
# the NVIDIA driver's OpenCL library: in the linker cache, in the driver's usual folders, or anywhere under /usr
nvcl="$(ldconfig -p 2>/dev/null | sed -n 's/.*libnvidia-opencl\.so\.1 .*=> //p' | head -n 1)"
for d in /usr/local/nvidia/lib64 /usr/local/nvidia/lib /usr/lib/x86_64-linux-gnu /usr/lib64; do
  [[ -z "$nvcl" && -e "$d/libnvidia-opencl.so.1" ]] && nvcl="$d/libnvidia-opencl.so.1"
done
[[ -z "$nvcl" ]] && nvcl="$(timeout 30 find /usr -name 'libnvidia-opencl.so.1' 2>/dev/null | head -n 1)"
echo "NVIDIA OpenCL library: ${nvcl:-none found}"
if grep -qs nvidia /etc/OpenCL/vendors/*.icd; then
  grep -H . /etc/OpenCL/vendors/*.icd
elif [[ -n "$nvcl" ]]; then
  icd="${TMPDIR:-/tmp}/rlhf4j-icd"
  mkdir -p "$icd" && echo "$nvcl" > "$icd/nvidia.icd"
  export OCL_ICD_VENDORS="$icd"
  echo "no NVIDIA ICD in /etc/OpenCL/vendors: registered $nvcl through OCL_ICD_VENDORS=$icd"
else
  echo "no NVIDIA OpenCL library: OpenCL will find no GPU"
fi
# the OpenCL loader (libOpenCL.so.1): the system's, CUDA's, or the one --prepare copied from this machine
if ! ldconfig -p 2>/dev/null | grep -q 'libOpenCL\.so\.1'; then
  for d in /usr/local/cuda/lib64 /usr/local/cuda/targets/x86_64-linux/lib "$root/target/gpu-lib/native"; do
    if [[ -e "$d/libOpenCL.so.1" ]]; then
      export LD_LIBRARY_PATH="$d${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
      echo "OpenCL loader from $d (LD_LIBRARY_PATH)"
      break
    fi
  done
fi
have_java=1
if ! command -v "$JAVA" >/dev/null 2>&1; then
  echo "no java ($JAVA): the Java sections are skipped; set JAVA to a JDK 17+ java"
  have_java=0
else
  echo "java: $JAVA"
  "$JAVA" -version 2>&1
fi
if [[ ! -d target/classes || ! -d target/gpu-lib ]]; then
  echo "target/classes or target/gpu-lib missing: run bench/gpu_check.sh --prepare here and carry both"
  have_java=0
fi

# the JDK's signal chaining for the JVMs only (docs/gpu.md, "Signal handlers"), not for python
jsig="$(
  # shellcheck source=bin/jsig.sh
  source "$root/bin/jsig.sh"; unset LD_PRELOAD; rlhf4j_preload_jsig "$JAVA"; echo "${LD_PRELOAD:-}"
)"
cp="target/classes:target/gpu-lib/*"
jrun() { # limit, then JVM flags, main class and arguments
  local limit="$1"; shift
  env ${jsig:+LD_PRELOAD="$jsig${LD_PRELOAD:+:$LD_PRELOAD}"} timeout -k 10 "$limit" "$JAVA" \
    --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp "$cp" "$@"
  (( $? == 124 )) && echo "(stopped after ${limit} s)"
  return 0
}

for s in "${sections[@]}"; do
  case "$s" in
    train)
      (( have_java )) || continue
      section "gpt2-124M-shaped training step, B 4, T 1024, opencl backend"
      jrun 170 -Drlhf4j.backend=opencl org.rlhf4j.bench.Bench train --model=gpt2 --batch=4 --iters=2 --warmup=1 \
        --threads="$THREADS"
      section "gpt2-124M-shaped training step, B 4, T 1024, SIMD kernels"
      jrun 100 -Drlhf4j.backend=simd org.rlhf4j.bench.Bench train --model=gpt2 --batch=4 --iters=2 --warmup=1 \
        --threads="$THREADS" ;;
    matmul)
      (( have_java )) || continue
      section "OpenCL matmul (with copies, then kernel only: transfers=none), then SIMD"
      jrun 150 org.rlhf4j.bench.Bench matmul --quick --shapes=1024,2048,4096,gpt2fc,gpt2head --impl=opencl,simd \
        --threads="$THREADS"
      section "OpenCL matmul with 128 x 128 blocks, 8 x 8 outputs per item (-Drlhf4j.opencl.matmulBlock=128)"
      jrun 100 -Drlhf4j.opencl.matmulBlock=128 org.rlhf4j.bench.Bench matmul --quick \
        --shapes=1024,2048,4096,gpt2fc,gpt2head --impl=opencl --threads="$THREADS" ;;
    cublas)
      section "cuBLAS fp32 (TF32 off, then on), operands on the device"
      timeout -k 10 90 "$PYTHON" bench/cublas_matmul.py --shapes=1024,2048,4096,gpt2fc,gpt2head 2>&1 \
        || echo "(the cuBLAS run failed or was stopped)" ;;
    tests)
      (( have_java )) || continue
      if [[ ! -d target/test-classes || ! -d target/gpu-testlib ]]; then
        echo "target/test-classes or target/gpu-testlib missing: run --prepare here and carry both"; continue
      fi
      section "the OpenCL tests on the GPU (properties against the scalar reference, transfers, parity, training)"
      cp="target/classes:target/test-classes:target/gpu-lib/*:target/gpu-testlib/*" \
        jrun 120 -Drlhf4j.opencl.device="$DEVICE" -Drlhf4j.requireOpenCl=true org.rlhf4j.kernels.DeviceTests ;;
    info)
      (( have_java )) || continue
      section "rlhf4j info under auto with OpenCL device '$DEVICE' (logs the measured crossover)"
      jrun 90 -Drlhf4j.backend=auto -Drlhf4j.opencl.device="$DEVICE" org.rlhf4j.cli.Rlhf4j info ;;
    *) echo "unknown section '$s' (tests, train, matmul, cublas, info)" ;;
  esac
done
section "done"
exec >&- 2>&-
wait
