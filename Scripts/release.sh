#!/usr/bin/env bash
# Makes the portable release tarball, dist/strata-VERSION-linux-x86_64.tar.gz (and its .sha256):
#   strata-VERSION-linux-x86_64/
#     bin/strata                 needs nothing but glibc ≥ 2.31 on Linux x86_64
#     share/man/man1/strata.1    share/bash-completion/…  share/zsh/…  share/fish/…
#     LICENSE                    strata's licence (Apache-2.0)
#     LICENSES/                  the licences of everything linked into the binary
#     CHANGELOG.md README.md
# Needs what Scripts/setup.sh installs (mmdebstrap makes the Debian 11 sysroot, cached).
# Takes a release build (several minutes on two cores) in .build-portable.
set -euo pipefail
cd "$(dirname "$0")/.."

binary=$(Scripts/release/portable-build.sh)
Scripts/release/check-portable.sh "$binary" 2.31 >&2
version=$("$binary" --version | sed -n 's/^strata \([0-9][0-9.]*\) .*/\1/p')
[ -n "$version" ] || { echo "release: could not read the version from $binary --version" >&2; exit 1; }

name="strata-$version-linux-x86_64"
stage=".build-portable/stage/$name"
rm -rf "$stage" && mkdir -p "$stage/bin" "$stage/LICENSES"
# The symbol table is 30-40 % of the file and only helps a debugger.
strip -o "$stage/bin/strata" "$binary"
STRATA_DOCS_SCRATCH=.build-portable Scripts/release/docs.sh "$stage/bin/strata" "$stage" >&2
cp CHANGELOG.md README.md LICENSE "$stage/"
Scripts/release/licenses.sh "$stage/LICENSES" >&2

mkdir -p dist
tarball="dist/$name.tar.gz"
# Fixed order, owners and times: the archive depends only on the files in it.
mtime=$(git log -1 --format=%ct)
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$mtime" \
  -C "$(dirname "$stage")" -cf - "$name" | gzip -9n > "$tarball"
(cd dist && sha256sum "$name.tar.gz" > "$name.tar.gz.sha256")
echo "release: $tarball ($(stat -c %s "$tarball") bytes), binary $(stat -c %s "$stage/bin/strata") bytes" >&2
echo "$PWD/$tarball"
