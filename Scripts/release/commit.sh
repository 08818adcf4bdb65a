#!/usr/bin/env bash
# Prints the commit `strata --version` names: 12 hex digits, "-modified" after them when tracked
# files differ from it, "unknown" outside a git checkout. Builds pass it as STRATA_COMMIT.
cd "$(dirname "$0")/../.." || exit 1
commit=$(git rev-parse --short=12 HEAD 2>/dev/null) || { echo unknown; exit 0; }
git diff --quiet HEAD -- 2>/dev/null || commit="$commit-modified"
echo "$commit"
