#!/usr/bin/env bash
# Regenerates Scripts/link/strata.order, the list of functions a typical run executes.
#
# The release link (Package.swift) gives it to lld as --symbol-ordering-file, which puts those
# functions next to each other at the start of the code. The kernel maps a binary's code in
# 64 KiB windows around each page a process touches, so code that runs is otherwise spread over
# most of the 17 MB of text, and all of it counts in peak memory (RSS). Measured on
# real-1gb.tar (Scripts/bench.sh): code resident 7.0 → 4.6 MB, `strata --version` 14.0 → 12.4 MB.
#
# A stale list costs only memory, never correctness: functions it does not name go after it.
# A list naming functions that no longer exist fails Scripts/check-link-order.sh (setup.sh runs
# it after the release build; LinkOrderTests too when a release binary is there).
# Run after renaming or moving code:  Scripts/link-order.sh [extra image.tar ...]
# Needs valgrind (apt install valgrind); takes a minute or two.
set -euo pipefail
cd "$(dirname "$0")/.."
touch Scripts/link/strata.order # the release link reads it
swift build -c release --static-swift-stdlib >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# valgrind cannot read the DWARF 5 that swiftc writes: profile a copy without it.
strip -g -o "$work/strata" .build/release/strata
images=(Fixtures/images/wasteful/wasteful.tar Fixtures/images/wasteful-clean/wasteful-clean.tar
  Fixtures/images/busybox-app/busybox-app-oci-zstd.tar "$@")
runs=(
  "analyze ${images[0]}"
  "analyze --format json ${images[2]}"
  "ci ${images[0]}"
  "compare ${images[0]} ${images[1]}"
  "--help"
)
for extra in "$@"; do runs+=("analyze --format json $extra" "analyze $extra"); done
n=0
for run in "${runs[@]}"; do
  n=$((n + 1))
  # shellcheck disable=SC2086 # the run is a list of words
  valgrind --tool=callgrind --demangle=no --callgrind-out-file="$work/run$n.out" "$work/strata" $run \
    >/dev/null 2>&1 || true
done
nm .build/release/strata | awk 'NF == 3 && $2 ~ /^[tTwW]$/ { print $1, $3 }' >"$work/symbols"
python3 - "$work" >Scripts/link/strata.order <<'PY'
import glob, re, sys
work = sys.argv[1]
executed = set()
for path in glob.glob(f"{work}/run*.out"):
    for line in open(path, errors="replace"):
        match = re.match(r"^c?fn=\(\d+\) (.*)$", line.rstrip("\n"))
        if match:
            executed.add(match.group(1))
address = {}
for line in open(f"{work}/symbols"):
    value, name = line.split(None, 1)
    address.setdefault(name.strip(), int(value, 16))
# Keep the functions in their current order: neighbours that run together stay together.
for name in sorted((n for n in executed if n in address), key=address.get):
    print(name)
PY
echo "Scripts/link/strata.order: $(wc -l <Scripts/link/strata.order) functions"
# SwiftPM does not know the link reads the list: relink by hand.
rm -f .build/release/strata
swift build -c release --static-swift-stdlib >/dev/null
