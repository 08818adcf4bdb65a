#!/usr/bin/env bash
# Copies the licence of everything the portable binary links in statically into DIR:
#   Scripts/release/licenses.sh DIR
# The Swift runtime and Foundation (the toolchain's LICENSE.txt), swift-argument-parser, and the
# Debian 11 packages whose static archives Scripts/release/portable-build.sh links (their
# debian/copyright files, from the cached sysroot), and curl (Debian's copyright file and curl's
# COPYING, kept with the libcurl Scripts/release/libcurl.sh built).
set -euo pipefail
dir=${1:?usage: licenses.sh DIR}
cd "$(dirname "$0")/../.."
mkdir -p "$dir"

swift_root=$(dirname "$(dirname "$(realpath "$(command -v swift)")")")
cp "$swift_root/share/swift/LICENSE.txt" "$dir/swift.txt"
parser=$(find .build-portable/checkouts .build/checkouts -maxdepth 2 -name LICENSE.txt -path '*swift-argument-parser*' 2>/dev/null | head -1)
[ -n "$parser" ] || { echo "licenses: swift-argument-parser's LICENSE.txt not found (build first)" >&2; exit 1; }
cp "$parser" "$dir/swift-argument-parser.txt"

sysroot=$(Scripts/release/sysroot.sh)
for package in libarchive13 libjansson4 libxxhash0 libyaml-0-2 zlib1g libbz2-1.0 liblzma5 liblz4-1 libzstd1 \
  libstdc++6 libgcc-10-dev; do
  copyright="$sysroot/usr/share/doc/$package/copyright"
  [ -f "$copyright" ] || { echo "licenses: $copyright is missing" >&2; exit 1; }
  cp "$copyright" "$dir/$package.txt"
done
# OpenSSL's static archives are this machine's (Debian 12's libssl-dev).
cp /usr/share/doc/libssl3/copyright "$dir/libssl3.txt"
cp "$(Scripts/release/libcurl.sh "$sysroot")/COPYRIGHT" "$dir/curl.txt"
