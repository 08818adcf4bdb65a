#!/usr/bin/env bash
# Fails when Scripts/link/strata.order names a function the release binary does not have.
#
# The release link (Package.swift) hands the list to lld as --symbol-ordering-file; a name that
# no longer exists (a function renamed, moved to another module, removed) orders nothing, and
# the code that runs is spread over more pages again. lld warns about each such name while it
# links; this check lists them, and fails once they are more than ALLOWED (default 1 %) of the
# list, so the list is regenerated (Scripts/link-order.sh, a minute or two with valgrind) instead
# of going stale in silence. The allowance lets a change that renames a few functions land (and
# branches merge) without a profiling run each time; the names are printed either way.
#
#   Scripts/check-link-order.sh [BINARY] [ALLOWED]   (defaults: .build/release/strata, 1 % of the list)
#
# Run by Scripts/setup.sh right after the release build, and by LinkOrderTests when a release
# binary is there. Exits 0 when at most ALLOWED names are missing, 1 (listing them) when more
# are, 2 when the binary or the list cannot be read.
set -euo pipefail
cd "$(dirname "$0")/.."
binary=${1:-.build/release/strata}
order=Scripts/link/strata.order
[[ -x $binary ]] || { echo "check-link-order: no binary at $binary (build it: swift build -c release --static-swift-stdlib)" >&2; exit 2; }
[[ -s $order ]] || { echo "check-link-order: $order is missing or empty" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The functions the binary defines (code symbols, as link-order.sh takes them).
nm "$binary" | awk 'NF == 3 && $2 ~ /^[tTwW]$/ { print $3 }' | LC_ALL=C sort -u >"$work/defined"
[[ -s $work/defined ]] || { echo "check-link-order: $binary has no symbol table" >&2; exit 2; }
LC_ALL=C sort -u "$order" >"$work/listed"
LC_ALL=C comm -23 "$work/listed" "$work/defined" >"$work/missing"
missing=$(wc -l <"$work/missing")
listed=$(wc -l <"$work/listed")
allowed=${2:-$((listed / 100))}
if ((missing > allowed)); then
  echo "$order is stale: $missing of its $listed functions are not in $binary (more than $allowed); run Scripts/link-order.sh. The first of them:"
  head -20 "$work/missing" | sed 's/^/  /'
  exit 1
fi
if ((missing > 0)); then
  echo "$order: $missing of its $listed functions are not in $binary (at most $allowed may be; Scripts/link-order.sh renews the list):"
  head -20 "$work/missing" | sed 's/^/  /'
else
  echo "$order: all $listed functions are in $binary"
fi
