#!/usr/bin/env bash
# Builds strata's libFuzzer targets (address sanitizer on) and runs each for a while.
#   Scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]     default 600 s; targets: archive metadata layer
# Seeds come from Fuzz/corpus/<target> (committed) plus the real fixtures; new interesting inputs
# are kept in $FUZZ_WORK/<target> (outside the repo), crashes in Fuzz/crashes/<target>/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
shift || true
targets=("${@:-archive metadata layer}")
[ $# -gt 0 ] || targets=(archive metadata layer)
work=${FUZZ_WORK:-/tmp/strata-fuzz}
scratch=.build-fuzz

swift build -c debug --product strata-fuzz --scratch-path "$scratch" \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING -Xswiftc -parse-as-library
binary="$scratch/debug/strata-fuzz"

for target in "${targets[@]}"; do
  mkdir -p "$work/$target" "Fuzz/crashes/$target"
  seeds=("Fuzz/corpus/$target")
  if [ "$target" = archive ]; then
    find Fixtures/images -name '*.tar' -size -4M -exec cp -n {} "$work/$target/" \; 2>/dev/null || true
  fi
  echo "fuzz: $target for ${seconds}s"
  STRATA_FUZZ_TARGET=$target "$binary" "$work/$target" "${seeds[@]}" \
    -max_total_time="$seconds" -timeout=20 -rss_limit_mb=4096 -max_len=1048576 \
    -artifact_prefix="Fuzz/crashes/$target/" -print_final_stats=1 2>&1 | tail -25
done
