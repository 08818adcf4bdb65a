#!/usr/bin/env bash
# Prints the path of the Debian 11 (glibc 2.31) root the portable binary is linked against and
# tested in: a minbase root with the C libraries' static archives, made by mmdebstrap and cached.
set -euo pipefail
root=$("$(dirname "$0")/debian-root.sh" bullseye \
  libc6-dev libgcc-10-dev libstdc++-10-dev \
  libarchive-dev libjansson-dev libxxhash-dev libyaml-dev \
  zlib1g-dev libbz2-dev liblzma-dev liblz4-dev libzstd-dev)
# Debian 11 is not merged-/usr: its libm.so, /lib64/ld-linux-x86-64.so.2 … are absolute symlinks,
# which the linker, outside a chroot, would follow into the build machine's newer glibc. Made
# relative, they point inside the root from outside and inside alike.
find "$root/lib" "$root/lib64" "$root/usr/lib" -type l -lname '/*' -print0 |
  while IFS= read -r -d '' link; do
    ln -sfn "$(realpath -m --relative-to="$(dirname "$link")" "$root$(readlink "$link")")" "$link"
  done
echo "$root"
