#!/usr/bin/env bash
# update-samples.sh — rewrites every sample output in README.md and docs/*.md from the fixtures.
#
# A sample is written in Markdown as
#
#   <!-- sample: strata analyze Fixtures/images/wasteful/wasteful.tar -->
#   ```
#   $ strata analyze Fixtures/images/wasteful/wasteful.tar
#   …what that command prints, run at the repository root with standard output not a terminal…
#   ```
#   <!-- /sample -->
#
# This script runs each command (arguments split at spaces, no quoting) with the built binary
# and replaces the block. Tests/ToolTests/SampleTests.swift runs the same commands and fails
# when a block differs, so the documentation cannot drift from what strata prints.
#
# Usage: Scripts/update-samples.sh   (after `swift build`; STRATA_BINARY overrides the binary)
set -euo pipefail
REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_DIR"
BINARY="${STRATA_BINARY:-$(swift build --show-bin-path)/strata}"
[[ -x "$BINARY" ]] || { echo "update-samples.sh: $BINARY is not built (run swift build)" >&2; exit 2; }
export BINARY NO_COLOR=1
python3 - README.md docs/*.md <<'PY'
import os, re, subprocess, sys
pattern = re.compile(r"<!-- sample: strata (.*?) -->\n```\n.*?```\n<!-- /sample -->", re.S)
def render(match):
    args = match.group(1).split()
    run = subprocess.run([os.environ["BINARY"], *args], capture_output=True, text=True)
    if run.returncode not in (0, 1):
        sys.exit(f"update-samples.sh: strata {match.group(1)} exited {run.returncode}: {run.stderr}")
    return f"<!-- sample: strata {match.group(1)} -->\n```\n$ strata {match.group(1)}\n{run.stdout}```\n<!-- /sample -->"
for path in sys.argv[1:]:
    text = open(path, encoding="utf-8").read()
    updated, count = pattern.subn(render, text)
    if updated != text:
        open(path, "w", encoding="utf-8").write(updated)
    if count:
        print(f"{path}: {count} sample(s)")
PY
