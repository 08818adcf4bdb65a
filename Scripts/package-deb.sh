#!/usr/bin/env bash
# Makes dist/strata_VERSION_amd64.deb from the release tarball (Scripts/release.sh, run first if
# dist/ has none for this version):
#   /usr/bin/strata
#   /usr/share/man/man1/strata.1.gz
#   /usr/share/bash-completion/completions/strata
#   /usr/share/zsh/vendor-completions/_strata
#   /usr/share/fish/vendor_completions.d/strata.fish
#   /usr/share/doc/strata/{copyright,changelog.gz}   copyright: strata's LICENSE, then the linked libraries'
# Depends is computed by dpkg-shlibdeps from what the binary links, not written by hand.
set -euo pipefail
cd "$(dirname "$0")/.."

tarball=${1:-}
if [ -z "$tarball" ]; then tarball=$(Scripts/release.sh); fi
name=$(basename "$tarball" .tar.gz)
version=$(echo "$name" | sed -n 's/^strata-\([0-9][0-9.]*\)-linux-x86_64$/\1/p')
[ -n "$version" ] || { echo "package-deb: $tarball is not a strata-VERSION-linux-x86_64.tar.gz" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tar -xzf "$tarball" -C "$work"
from="$work/$name"
root="$work/root"
install -D -m 755 "$from/bin/strata" "$root/usr/bin/strata"
install -D -m 644 "$from/share/man/man1/strata.1" "$root/usr/share/man/man1/strata.1"
gzip -9n "$root/usr/share/man/man1/strata.1"
install -D -m 644 "$from/share/bash-completion/completions/strata" "$root/usr/share/bash-completion/completions/strata"
install -D -m 644 "$from/share/zsh/site-functions/_strata" "$root/usr/share/zsh/vendor-completions/_strata"
install -D -m 644 "$from/share/fish/vendor_completions.d/strata.fish" "$root/usr/share/fish/vendor_completions.d/strata.fish"
doc="$root/usr/share/doc/strata"
mkdir -p "$doc"
gzip -9nc "$from/CHANGELOG.md" > "$doc/changelog.gz"
{
  # strata's own notice: its copyright line; the licence's text is in base-files.
  head -1 "$from/LICENSE"
  echo "License: Apache-2.0 (the full text is in /usr/share/common-licenses/Apache-2.0)"
  echo
  echo "strata links these libraries into its binary statically; their copyright and licence notices follow."
  for license in "$from/LICENSES/"*; do
    printf '\n==== %s ====\n\n' "$(basename "$license" .txt)"
    cat "$license"
  done
} > "$doc/copyright"

# dpkg-shlibdeps reads the package name from debian/control in the directory it runs in.
mkdir -p "$work/debian"
printf 'Source: strata\n\nPackage: strata\nArchitecture: amd64\n' > "$work/debian/control"
depends=$(cd "$work" && dpkg-shlibdeps -O -e root/usr/bin/strata 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
[ -n "$depends" ] || { echo "package-deb: dpkg-shlibdeps computed no dependencies" >&2; exit 1; }

mkdir -p "$root/DEBIAN"
cat > "$root/DEBIAN/control" <<CONTROL
Package: strata
Version: $version
Architecture: amd64
Maintainer: strata maintainers <strata@users.noreply.github.com>
Depends: $depends
Section: utils
Priority: optional
Installed-Size: $(du -sk --exclude=DEBIAN "$root" | cut -f1)
Description: where the bytes of a container image come from
 strata reads docker save / podman save / OCI archives, merges the layers, attributes every
 byte to a layer, reports dive's efficiency figures exactly, names waste with fixes, and gates
 image size in CI (JUnit, Markdown, GitHub step summary).
CONTROL

mkdir -p dist
deb="dist/strata_${version}_amd64.deb"
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >&2
echo "package-deb: $deb ($(stat -c %s "$deb") bytes), Depends: $depends" >&2
echo "$PWD/$deb"
