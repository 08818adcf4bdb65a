#!/usr/bin/env bash
# Prints the path of a slim Debian 12 root with CA certificates, made by mmdebstrap and cached:
# the base of the container image's runtime stage (Scripts/image.sh) and the fresh Debian 12 the
# .deb is installed in by the tests. Slimmed as debian:bookworm-slim is: no documentation, manual
# pages or translations (copyright files kept), no recommended packages, and /usr merged by
# mmdebstrap's hook rather than by the usrmerge package (which brings 45 MB of Perl). About 90 MB.
set -euo pipefail
exec "$(dirname "$0")/debian-root.sh" bookworm ca-certificates \
  --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr \
  --aptopt='APT::Install-Recommends "false"' \
  --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
  --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/info/*' \
  --dpkgopt='path-exclude=/usr/share/locale/*'
