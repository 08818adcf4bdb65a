#!/usr/bin/env bash
# Writes the busybox base image's build context: CONTEXT/busybox-rootfs.tar (Debian's
# busybox-static, one absolute symlink per applet as `busybox --install -s` makes, a few /etc
# files; an Alpine-like ~2 MB root) and CONTEXT/Dockerfile (`FROM scratch` + `ADD` of it: one
# layer). The tar is reproducible (sorted, owner 0, mtime EPOCH), so every image built from it
# has the same base layer. Used by Scripts/make-fixtures.sh and Scripts/make-compare-images.sh.
#
#   Scripts/busybox-rootfs.sh CONTEXT EPOCH
set -euo pipefail
context=$1 epoch=$2
rootfs=$(mktemp -d)
chmod 755 "$rootfs" # the root entry of the tar: as mkdir makes a directory, not mktemp
trap 'rm -rf "$rootfs"' EXIT
mkdir -p "$context"
(
  cd "$rootfs"
  mkdir -p bin sbin usr/bin usr/sbin etc root tmp var/tmp home dev proc sys
  chmod 1777 tmp var/tmp
  chmod 700 root
  cp /bin/busybox bin/busybox
  /bin/busybox --list-full | while read -r p; do
    [[ "$p" == bin/busybox ]] && continue
    mkdir -p "$(dirname "$p")"
    ln -sf /bin/busybox "$p"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\napp:x:1000:1000:app:/app:/bin/sh\n' >etc/passwd
  printf 'root:x:0:\nnogroup:x:65534:\napp:x:1000:\n' >etc/group
  printf 'busybox-static %s (strata fixture base)\n' "$(dpkg-query -W -f='${Version}' busybox-static)" >etc/os-release
)
tar --sort=name --mtime="@$epoch" --owner=0 --group=0 --numeric-owner -C "$rootfs" -cf "$context/busybox-rootfs.tar" .
printf 'FROM scratch\nADD busybox-rootfs.tar /\nENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\nCMD ["/bin/sh"]\n' \
  >"$context/Dockerfile"
