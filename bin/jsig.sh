# Sourced by bin/rlhf4j and bin/bench: preload the JDK's signal-chaining library (lib/libjsig.so, shipped by
# Linux JDKs) into the JVM they start, so that a native library which installs its own signal handlers (an
# OpenCL runtime: PoCL's LLVM replaces SIGSEGV's) chains behind the JVM's handlers instead of replacing them.
# Without it the JVM can die of its own safepoint polls after an OpenCL kernel is compiled (docs/gpu.md,
# "Signal handlers"). No effect where the JDK has no libjsig.so or LD_PRELOAD already names one.
rlhf4j_preload_jsig() {
  local java_path home
  java_path="$(command -v "$1" 2>/dev/null)" || return 0
  java_path="$(readlink -f "$java_path" 2>/dev/null)" || return 0
  home="$(dirname "$(dirname "$java_path")")"
  [[ "$home" != *[[:space:]:]* ]] || return 0 # ld.so splits LD_PRELOAD at spaces and colons
  if [[ -f "$home/lib/libjsig.so" && "${LD_PRELOAD:-}" != *libjsig* ]]; then
    export LD_PRELOAD="$home/lib/libjsig.so${LD_PRELOAD:+:$LD_PRELOAD}"
  fi
}
