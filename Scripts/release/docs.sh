#!/usr/bin/env bash
# Writes strata's man page and shell completions, generated from the command definitions of BINARY
# by swift-argument-parser, into the standard layout under PREFIX:
#   Scripts/release/docs.sh BINARY PREFIX
#   PREFIX/share/man/man1/strata.1
#   PREFIX/share/bash-completion/completions/strata
#   PREFIX/share/zsh/site-functions/_strata
#   PREFIX/share/fish/vendor_completions.d/strata.fish
# The man page comes from swift-argument-parser's generate-manual tool, built here from the package
# dependency (a debug build in $STRATA_DOCS_SCRATCH, default .build: about 20 s); its date is the
# commit's, so the same commit gives the same page.
set -euo pipefail
binary=$(realpath "${1:?usage: docs.sh BINARY PREFIX}")
prefix=${2:?usage: docs.sh BINARY PREFIX}
cd "$(dirname "$0")/../.."
scratch=${STRATA_DOCS_SCRATCH:-.build}

swift build --product generate-manual --scratch-path "$scratch" >&2
tool="$(swift build --scratch-path "$scratch" --show-bin-path)/generate-manual"
date=$(git log -1 --format=%cs 2>/dev/null || date -u +%F)

mkdir -p "$prefix/share/man/man1" "$prefix/share/bash-completion/completions" \
  "$prefix/share/zsh/site-functions" "$prefix/share/fish/vendor_completions.d"
"$tool" "$binary" --date "$date" --output-directory "$prefix/share/man/man1"
"$binary" --generate-completion-script bash > "$prefix/share/bash-completion/completions/strata"
"$binary" --generate-completion-script zsh > "$prefix/share/zsh/site-functions/_strata"
"$binary" --generate-completion-script fish > "$prefix/share/fish/vendor_completions.d/strata.fish"
