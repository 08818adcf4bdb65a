#!/usr/bin/env bash
# Pins a published release tarball for the CI recipes:
#   Scripts/ci/pin-release.sh dist/strata-VERSION-linux-x86_64.tar.gz
# records its SHA-256 in Scripts/ci/releases.sha256 and makes VERSION and that SHA-256 the
# defaults of action.yml and Scripts/ci/strata.gitlab-ci.yml.
set -euo pipefail
tarball=$(realpath "${1:?usage: pin-release.sh TARBALL}")
cd "$(dirname "$0")"
file=$(basename "$tarball")
version=$(echo "$file" | sed -n 's/^strata-\([0-9][0-9.]*\)-linux-x86_64\.tar\.gz$/\1/p')
[ -n "$version" ] || { echo "pin-release: $file is not a strata-VERSION-linux-x86_64.tar.gz" >&2; exit 1; }
sha=$(sha256sum "$tarball" | cut -d' ' -f1)

pins=releases.sha256
touch "$pins"
{ grep -v "  $file\$" "$pins" || true; echo "$sha  $file"; } | sort -k2 -V > "$pins.new"
mv "$pins.new" "$pins"
sed -i "s/^    STRATA_VERSION: \".*\"/    STRATA_VERSION: \"$version\"/; s/^    STRATA_SHA256: \".*\"/    STRATA_SHA256: \"$sha\"/" \
  strata.gitlab-ci.yml
# action.yml: the default of the version input (the line after "description: The strata release to use.").
sed -i "/description: The strata release to use\./{n;n;s/default: \".*\"/default: \"$version\"/}" ../../action.yml
echo "pin-release: $file $sha" >&2
