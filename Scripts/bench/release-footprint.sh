#!/usr/bin/env bash
# The portable binary against the development build: file size and peak memory (maximum resident
# set, GNU time) of `strata analyze FIXTURE --format json`, median of RUNS runs, on the committed
# image fixtures; the portable binary also in the Debian 11 root it targets (no daemon there), where
# its report must equal the development build's.
#   Scripts/bench/release-footprint.sh DEVELOPMENT PORTABLE [RUNS]
# DEVELOPMENT: Scripts/setup.sh's build ($(swift build -c release --show-bin-path)/strata);
# PORTABLE: .build-portable/release/strata (Scripts/release.sh). Prints a Markdown table.
set -euo pipefail
development=$(realpath "${1:?usage: release-footprint.sh DEVELOPMENT PORTABLE [RUNS]}")
portable=$(realpath "${2:?usage: release-footprint.sh DEVELOPMENT PORTABLE [RUNS]}")
runs=${3:-5}
cd "$(dirname "$0")/../.."
root=$(Scripts/release/sysroot.sh)
inside="tmp/strata-footprint-$$"
mkdir -p "$root/$inside"
trap 'rm -rf "${root:?}/$inside"' EXIT
cp "$portable" "$root/$inside/strata"

# Median maximum resident set (kB) of RUNS runs of COMMAND, its output to /dev/null.
peak() {
  for _ in $(seq "$runs"); do
    /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1
  done | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

echo "| binary | size | stripped |"
echo "|---|---|---|"
for binary in "$development" "$portable"; do
  strip -o "$root/$inside/stripped" "$binary"
  echo "| $binary | $(stat -c %s "$binary") | $(stat -c %s "$root/$inside/stripped") |"
done
echo
echo "| fixture | development kB | portable kB | portable in Debian 11 kB | same JSON in Debian 11 |"
echo "|---|---|---|---|---|"
for fixture in images/wasteful/wasteful.tar images/busybox-app/busybox-app-oci-zstd.tar images/compare/compare.tar; do
  # The same relative path inside the root (the command starts in its /) and from its folder outside.
  arguments=(analyze "$inside/$(basename "$fixture")" --format json)
  [ "$fixture" = images/compare/compare.tar ] && arguments+=(--image localhost/strata/compare-app:v2)
  cp "Fixtures/$fixture" "$root/$inside/"
  same=no
  cmp -s <(Scripts/release/in-root.sh "$root" "/$inside/strata" "${arguments[@]}") \
    <(cd "$root" && "$development" "${arguments[@]}") && same=yes
  echo "| $fixture | $(cd "$root" && peak "$development" "${arguments[@]}") | $(cd "$root" && peak "$portable" "${arguments[@]}") |" \
    "$(peak Scripts/release/in-root.sh "$root" "/$inside/strata" "${arguments[@]}") | $same |"
done
