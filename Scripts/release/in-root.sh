#!/usr/bin/env bash
# Runs COMMAND inside a Debian root made by debian-root.sh, as root, with /proc mounted (the Swift
# runtime reads a program's arguments from /proc/self/cmdline) in a private mount namespace, so
# nothing stays mounted when the command ends:
#   Scripts/release/in-root.sh ROOT COMMAND [ARGUMENT...]
# The command starts in the root's /.
set -euo pipefail
root=${1:?usage: in-root.sh ROOT COMMAND [ARGUMENT...]}
shift
exec unshare --mount --propagation private -- /bin/sh -c 'mount -t proc proc "$0/proc" && exec chroot "$0" "$@"' "$root" "$@"
