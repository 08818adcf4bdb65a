#!/usr/bin/env bash
# Installs everything strata needs on Debian 12 (and Chromium for the browser tests) and builds a
# release binary.
# Safe to run again: apt-get skips what is installed, swift build is incremental.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  pkg-config           # SwiftPM finds the C libraries through it
  libarchive-dev       # every tar / gzip / zstd read
  libjansson-dev       # JSON in and out
  libxxhash-dev        # content fingerprints (XXH3)
  libyaml-dev          # .strata.yaml and .dive-ci
  libcurl4-openssl-dev # HTTP to the Docker Engine and podman (Unix sockets, TCP)
  tmux                 # the explorer's screen tests drive it
  docker.io            # a real dockerd (20.10) the daemon-source tests start on a private socket
  podman               # podman's Docker-compatible API (`podman system service`), for the same tests
  libssl-dev           # SHA-256 through libcrypto (registry digests)
  docker-registry      # a real registry (distribution 2.8) the registry-source tests start on loopback
  skopeo               # pushes the fixtures into it (gzip and zstd layers)
  openssl              # the tests' CA and server certificate for the TLS registry
  apache2-utils        # htpasswd (bcrypt) for the registry's Basic auth
  # The release tests (Scripts/release.sh, package-deb.sh, image.sh; run under CI=true):
  mmdebstrap           # Debian 11/12 roots: the portable build's sysroot, chroots to run the artefacts in
  dpkg-dev             # dpkg-shlibdeps computes the .deb's Depends; dpkg-source, make, patch build libcurl
  debian-archive-keyring # checks the curl source Scripts/release/libcurl.sh downloads
  libssl-dev           # OpenSSL's static archives, linked into the portable binary with its libcurl
  binutils             # readelf/objdump check what the portable binary needs
  buildah              # builds the container image from the Dockerfile
  man-db               # the man page test renders strata.1
  openssl              # a TLS server and its certificate: the portable binary's HTTPS in a Debian 11 root
)
# The HTML report's browser tests open pages in headless Chromium (about 300 MB installed).
# CI needs it; set STRATA_SKIP_BROWSER=1 to leave it out (those tests then skip, saying why).
if [ -z "${STRATA_SKIP_BROWSER:-}" ]; then
  packages+=(chromium)
fi
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

command -v swift >/dev/null || { echo "setup: swift is not on PATH (install Swift 6 from swift.org)" >&2; exit 1; }
# The Swift runtime and FoundationEssentials linked in statically: one self-contained binary to copy into a
# CI image. The release link flags (lld, packed relocations, function order) are in Package.swift.
# STRATA_COMMIT: the commit `strata --version` prints.
STRATA_COMMIT=$(Scripts/release/commit.sh) swift build -c release --static-swift-stdlib --product strata
binary="$(swift build -c release --show-bin-path)/strata"
echo "setup: built $binary"
# The function order the link was given must name functions the binary has (else regenerate it).
Scripts/check-link-order.sh "$binary"

# The man page and the bash, zsh and fish completions, generated from the command definitions.
prefix=/usr/local
docs=$(mktemp -d)
Scripts/release/docs.sh "$binary" "$docs"
$SUDO cp -r "$docs/share" "$prefix/"
rm -rf "$docs"
echo "setup: installed the man page and completions under $prefix/share (strata itself stays in the build folder)"
