#!/usr/bin/env bash
# Re-fetches the human-judgement data that org.rlhf4j.feedback bundles in src/main/resources, from the
# npm registry by exact package@version, and checks every tarball and every extracted file against the
# sha256 sums below (recorded 2026-11-25 from `npm pack`). Nothing is copied unless every sum matches.
# The files are bundled unchanged (the loaders drop the fixtures' trailing empty item).
# Usage: scripts/fetch-feedback-data.sh [--check]   (--check: verify the bundled copies only, no network)
#
# Sources, licences and credits: NOTICE and docs/feedback.md.
set -euo pipefail
cd "$(dirname "$0")/.."

RES=src/main/resources/org/rlhf4j/feedback

# package@version | tarball sha256
VADER_PKG=vader-sentiment@1.1.3
VADER_TGZ_SHA=de3c50aee6ffe2bc7929f50a69b0a3905d7b63f6fb103c2397517aff799851d2
UCI_PKG=sentiment@5.0.2
UCI_TGZ_SHA=89302eb03d2005d03b214fe65814bb48adb7d3c42c8ca80bdee6a3ecb7e4480f

# package | file inside the tarball | sha256 | where it is bundled
FILES=(
  "$VADER_PKG package/vader_lexicon.txt ffb6117bfccf798a34e91d72f50604329946e6fd763668092618d5c5b340a298 $RES/vader/vader_lexicon.txt"
  "$UCI_PKG package/test/fixtures/imdb.json 44a7b9082ed732ee2de3c858ea5ee2e99aca34f239a1c4359d3a300bf099bdb5 $RES/uci/imdb.json"
  "$UCI_PKG package/test/fixtures/yelp.json 9f3f47983f21eeb819380767b74bfa648eca208f156241111454b3e122773ff7 $RES/uci/yelp.json"
  "$UCI_PKG package/test/fixtures/amazon.json bc5eb0cac49fc45987301f1dc2d02cf5ca356ba6c882be179dce77d74e666ed9 $RES/uci/amazon.json"
)

sha() { sha256sum "$1" | cut -d' ' -f1; }

verify() { # file expected-sum
  local got
  got=$(sha "$1")
  if [ "$got" != "$2" ]; then
    echo "fetch-feedback-data: $1 has sha256 $got, expected $2" >&2
    exit 1
  fi
}

if [ "${1:-}" = "--check" ]; then
  for entry in "${FILES[@]}"; do
    read -r _ _ sum dest <<<"$entry"
    verify "$dest" "$sum"
    echo "ok  $dest"
  done
  exit 0
fi

command -v npm >/dev/null || { echo "fetch-feedback-data: npm is needed (apt-get install npm)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

unpack() { # package@version expected-tarball-sum
  local tgz
  tgz=$(cd "$tmp" && npm pack --silent "$1" | tail -n 1)
  verify "$tmp/$tgz" "$2"
  mkdir -p "$tmp/$1"
  tar xzf "$tmp/$tgz" -C "$tmp/$1"
}

unpack "$VADER_PKG" "$VADER_TGZ_SHA"
unpack "$UCI_PKG" "$UCI_TGZ_SHA"

for entry in "${FILES[@]}"; do
  read -r pkg inner sum _ <<<"$entry"
  verify "$tmp/$pkg/$inner" "$sum"
done
for entry in "${FILES[@]}"; do
  read -r pkg inner _ dest <<<"$entry"
  mkdir -p "$(dirname "$dest")"
  cp "$tmp/$pkg/$inner" "$dest"
  echo "ok  $pkg $inner -> $dest"
done
