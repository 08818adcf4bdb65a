#!/usr/bin/env bash
# Prints the path of a Debian root made by mmdebstrap, making it first if it is not cached.
#   Scripts/release/debian-root.sh SUITE [PACKAGE...] [--MMDEBSTRAP-OPTION...]
# Roots are cached under $STRATA_ROOTS (default ~/.cache/strata/roots), one per suite and package
# list, so that CI runs on the same machine reuse them (a root takes a minute or two to make).
# Made as root with mmdebstrap's default mode; the release tests chroot into them.
set -euo pipefail
suite=${1:?usage: debian-root.sh SUITE [PACKAGE...] [--MMDEBSTRAP-OPTION...]}
shift
names=() options=()
for argument in "$@"; do
  if [[ $argument == --* ]]; then options+=("$argument"); else names+=("$argument"); fi
done
packages=$( ((${#names[@]})) && printf '%s\n' "${names[@]}" | sort -u | paste -sd, -)
cache=${STRATA_ROOTS:-$HOME/.cache/strata/roots}
key=$(printf '%s %s%s\n' "$suite" "$packages" "${options[*]:+ ${options[*]}}" | sha256sum | cut -c1-12)
root="$cache/$suite-$key"
if [ ! -f "$root/.strata-complete" ]; then
  command -v mmdebstrap >/dev/null || { echo "debian-root: mmdebstrap is not installed (Scripts/setup.sh installs it)" >&2; exit 1; }
  mkdir -p "$cache"
  rm -rf "$root" "$root.partial"
  include=()
  [ -n "$packages" ] && include=(--include="$packages")
  echo "debian-root: making $suite root with ${packages:-no extra packages} (cached in $root)" >&2
  mmdebstrap --quiet --variant=minbase "${include[@]}" "${options[@]}" "$suite" "$root.partial" http://deb.debian.org/debian >&2
  mv "$root.partial" "$root"
  touch "$root/.strata-complete"
fi
echo "$root"
