#!/usr/bin/env bash
# make-real-image.sh OUT.tar [PROFILE] — build a real Debian image of >= 1 GB (uncompressed) and
# save it with `podman save --format docker-archive` (the legacy `docker save` layout).
#
# PROFILE jdk (the default):
#   layer 0  mmdebstrap --variant=minbase bookworm (podman import)
#   layer 1  python3 + python3-pip          (apt lists left in the layer)
#   layer 2  build-essential (gcc, g++, libc6-dev, make)
#   layer 3  default-jdk-headless
#   layer 4  clang + llvm
#   layer 5  rm -rf /var/lib/apt/lists/* + apt-get clean   (real whiteouts)
#
# PROFILE dev (many packages with many files of equal size: headers and documentation):
#   layer 0  mmdebstrap --variant=minbase bookworm (podman import)
#   layer 1  build-essential + gfortran
#   layer 2  python3-numpy + python3-scipy
#   layer 3  libboost-all-dev
#   layer 4  linux-headers-amd64
#
# Everything comes from Debian's archive. Uses a private containers-storage (overlay driver) under
# $WORK/real-build so the machine's image store is never touched. Needs root and the Debian
# packages mmdebstrap, podman, buildah (installed when missing).
set -euo pipefail
OUT="${1:?usage: make-real-image.sh OUT.tar [jdk|dev]}"
PROFILE="${2:-jdk}"
WORK="$(dirname "$(readlink -f "$OUT")")/real-build-$PROFILE"
SUITE="${SUITE:-bookworm}"
IMG=localhost/strata-bench/real-$PROFILE:latest
BASE=localhost/strata-bench/real-base:latest
log() { printf '[real-image %s] %s\n' "$(date +%T)" "$*" >&2; }

need=()
for p in mmdebstrap podman buildah uidmap fuse-overlayfs; do dpkg -s "$p" >/dev/null 2>&1 || need+=("$p"); done
if ((${#need[@]})); then
  log "apt-get install ${need[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

mkdir -p "$WORK"
STORE="$WORK/storage"
rm -rf "$STORE" "$WORK/run"; mkdir -p "$STORE" "$WORK/run"
cat >"$WORK/storage.conf" <<CONF
[storage]
driver = "overlay"
graphroot = "$STORE"
runroot = "$WORK/run"
CONF
export CONTAINERS_STORAGE_CONF="$WORK/storage.conf" BUILDAH_ISOLATION=chroot
cleanup() {
  podman --log-level=error unmount -a >/dev/null 2>&1 || true
  buildah --log-level=error umount -a >/dev/null 2>&1 || true
}
trap cleanup EXIT

if [[ ! -s "$WORK/base.tar" ]]; then
  log "mmdebstrap --variant=minbase $SUITE"
  SOURCE_DATE_EPOCH=1700000000 mmdebstrap --quiet --variant=minbase --format=tar "$SUITE" "$WORK/base.tar.tmp"
  mv "$WORK/base.tar.tmp" "$WORK/base.tar"
fi
log "podman import ($(du -h "$WORK/base.tar" | cut -f1))"
podman import -q --change 'CMD ["/bin/bash"]' "$WORK/base.tar" "$BASE" >/dev/null

case "$PROFILE" in
  jdk) cat >"$WORK/Dockerfile" <<DF
FROM $BASE
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update && apt-get install -y --no-install-recommends python3 python3-pip python3-venv
RUN apt-get install -y --no-install-recommends build-essential
RUN apt-get install -y --no-install-recommends default-jdk-headless
RUN apt-get install -y --no-install-recommends clang llvm
RUN rm -rf /var/lib/apt/lists/* && apt-get clean
DF
  ;;
  dev) cat >"$WORK/Dockerfile" <<DF
FROM $BASE
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update && apt-get install -y build-essential gfortran
RUN apt-get install -y python3-numpy python3-scipy
RUN apt-get install -y libboost-all-dev
RUN apt-get install -y linux-headers-amd64
DF
  ;;
  *) echo "make-real-image.sh: unknown profile $PROFILE (jdk or dev)" >&2; exit 2 ;;
esac
log "buildah bud ($PROFILE; downloads from Debian's archive)"
buildah bud -q --isolation chroot --layers --format docker -t "$IMG" -f "$WORK/Dockerfile" "$WORK" >/dev/null
log "podman save --format docker-archive"
rm -f "$OUT.tmp"
podman save -q --format docker-archive -o "$OUT.tmp" "$IMG"
mv "$OUT.tmp" "$OUT"
log "done: $OUT ($(du -h "$OUT" | cut -f1))"
# the store is only scratch: free its disk (the saved archive is what the benchmark uses)
cleanup
podman --log-level=error rmi -a -f >/dev/null 2>&1 || true
rm -rf "$STORE" "$WORK/run"
