#!/usr/bin/env bash
# check-format.sh — checks the Swift sources against .swift-format (swift-format, shipped with the
# Swift toolchain): prints each finding as file:line:column and exits 1 when there is any.
#   Scripts/check-format.sh            check Sources, Tests and Package.swift (FormatTests runs this)
#   Scripts/check-format.sh FILE...    check these files only
#   Scripts/check-format.sh --fix [FILE...]   rewrite them in place (then review the diff:
#                                             long string literals are reported, not wrapped)
set -euo pipefail
cd "$(dirname "$0")/.."
fix=0
if [[ "${1:-}" == "--fix" ]]; then fix=1; shift; fi
if [[ $# -eq 0 ]]; then set -- -r Sources Tests Package.swift; fi
if [[ $fix -eq 1 ]]; then
  exec swift format format --configuration .swift-format --in-place "$@"
fi
swift format lint --strict --configuration .swift-format "$@"
