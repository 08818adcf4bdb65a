#!/usr/bin/env bash
# Downloads a strata release tarball, checks it against a pinned SHA-256, unpacks it and puts its
# bin/ on the PATH. The install step of action.yml; runs anywhere with bash, curl, sha256sum, tar.
#   STRATA_VERSION   release to install (required)
#   STRATA_SHA256    its tarball's SHA-256; empty: the pin for STRATA_VERSION in Scripts/ci/releases.sha256
#   STRATA_DOWNLOAD  where releases are: the tarball is $STRATA_DOWNLOAD/vVERSION/strata-VERSION-linux-x86_64.tar.gz
#   STRATA_HOME      where to unpack (default $RUNNER_TEMP/strata, else /tmp/strata)
# On GitHub Actions it appends the bin/ folder to $GITHUB_PATH; it always prints it.
set -euo pipefail
version=${STRATA_VERSION:?STRATA_VERSION is not set}
download=${STRATA_DOWNLOAD:?STRATA_DOWNLOAD is not set}
home=${STRATA_HOME:-${RUNNER_TEMP:-/tmp}/strata}
file="strata-$version-linux-x86_64.tar.gz"

expected=${STRATA_SHA256:-}
if [ -z "$expected" ]; then
  pins="$(dirname "$0")/releases.sha256"
  expected=$(awk -v f="$file" '$2 == f { print $1 }' "$pins")
  [ -n "$expected" ] || { echo "strata: no pinned SHA-256 for $file in $pins; pass sha256" >&2; exit 2; }
fi

mkdir -p "$home"
curl --fail --silent --show-error --location --retry 3 -o "$home/$file" "$download/v$version/$file"
actual=$(sha256sum "$home/$file" | cut -d' ' -f1)
if [ "$actual" != "$expected" ]; then
  echo "strata: $file has SHA-256 $actual, expected $expected: not installed" >&2
  rm -f "$home/$file"
  exit 2
fi
tar -xzf "$home/$file" -C "$home"
bin="$home/strata-$version-linux-x86_64/bin"
"$bin/strata" --version >&2
if [ -n "${GITHUB_PATH:-}" ]; then echo "$bin" >> "$GITHUB_PATH"; fi
echo "$bin"
