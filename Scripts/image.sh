#!/usr/bin/env bash
# Builds strata's container image from the Dockerfile with buildah, then gates it with strata ci:
# strata checks its own image against Scripts/image-budget.strata.yaml.
#   Scripts/image.sh            → dist/strata-image-VERSION.tar (docker-archive, tag localhost/strata:VERSION)
# No registry is needed: both stages start from local Debian 12 roots made by mmdebstrap (cached),
# imported as localhost/strata-base/{swift,runtime}:bookworm and passed as SWIFT_IMAGE and
# RUNTIME_IMAGE. The build stage gets this machine's Swift toolchain and package mirror as
# read-only volumes; users building with `docker build .` get swift:… and debian:bookworm-slim.
# Needs root (buildah with chroot isolation) and what Scripts/setup.sh installs.
set -euo pipefail
cd "$(dirname "$0")/.."

version=$(sed -n 's/^  static let version = "\(.*\)"$/\1/p' Sources/strata/Strata.swift)
[ -n "$version" ] || { echo "image: no version in Sources/strata/Strata.swift" >&2; exit 1; }
toolchain=$(dirname "$(dirname "$(dirname "$(realpath "$(command -v swift)")")")")
export BUILDAH_ISOLATION=chroot

# Imports a cached root as an image, unless an image of that root is already there.
import_root() {
  local name=$1 root=$2 path=$3
  local stamp
  stamp=$(basename "$root")
  if [ "$(buildah inspect --type image --format '{{index .ImageAnnotations "org.strata.root"}}' "$name" 2>/dev/null)" = "$stamp" ]; then
    return
  fi
  local container mount
  container=$(buildah from scratch)
  mount=$(buildah mount "$container")
  cp -a "$root/." "$mount/"
  rm -f "$mount/.strata-complete"
  # The Swift package mirror of this machine, for the build stage's `swift build`.
  [ -d /opt/swift-packages ] && printf '[url "/opt/swift-packages/"]\n\tinsteadOf = https://github.com/\n' > "$mount/etc/gitconfig"
  buildah umount "$container" >/dev/null
  buildah config --env PATH="$path" --annotation org.strata.root="$stamp" "$container"
  buildah commit --quiet --rm "$container" "$name" >/dev/null
  echo "image: imported $root as $name" >&2
}

runtime_root=$(Scripts/release/runtime-root.sh)
# What the Swift toolchain runs on (as in the swift:…-bookworm images), and the static C libraries.
swift_root=$(Scripts/release/debian-root.sh bookworm \
  binutils git ca-certificates libc6-dev libcurl4 libedit2 libgcc-12-dev libstdc++-12-dev libxml2 libsqlite3-0 \
  libncurses6 libz3-4 pkg-config tzdata zlib1g-dev \
  libarchive-dev libjansson-dev libxxhash-dev libyaml-dev libbz2-dev liblzma-dev liblz4-dev libzstd-dev \
  libssl-dev dpkg-dev)
import_root localhost/strata-base/runtime:bookworm "$runtime_root" /usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
import_root localhost/strata-base/swift:bookworm "$swift_root" "$toolchain/usr/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

tag="localhost/strata:$version"
volumes=(--volume "$toolchain:$toolchain:ro")
[ -d /opt/swift-packages ] && volumes+=(--volume /opt/swift-packages:/opt/swift-packages:ro)
# --layers: a rebuild of unchanged sources reuses the build stage.
buildah build --isolation chroot --layers "${volumes[@]}" \
  --build-arg SWIFT_IMAGE=localhost/strata-base/swift:bookworm \
  --build-arg RUNTIME_IMAGE=localhost/strata-base/runtime:bookworm \
  --build-arg STRATA_COMMIT="$(Scripts/release/commit.sh)" \
  --tag "$tag" --file Dockerfile . >&2

mkdir -p dist
archive="dist/strata-image-$version.tar"
rm -f "$archive"
buildah push --quiet "$tag" "docker-archive:$PWD/$archive:$tag" >&2

# strata gates its own image, with the binary inside it.
container=$(buildah from "$tag")
trap 'buildah rm "$container" >/dev/null' EXIT
buildah run --isolation chroot --volume "$PWD:/gate:ro" "$container" -- \
  strata ci "/gate/$archive" --config /gate/Scripts/image-budget.strata.yaml >&2
echo "image: $tag, $archive ($(stat -c %s "$archive") bytes), within its budget" >&2
echo "$PWD/$archive"
