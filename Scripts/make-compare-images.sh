#!/usr/bin/env bash
# make-compare-images.sh — real images for `strata compare`.
#
#   Scripts/make-compare-images.sh variants   (default)
#     Builds the same small app three ways into $WORK_DIR (outside the repository; a Debian
#     minbase image is ~170 MB, never commit it):
#       minimal.tar  FROM a busybox-static base (~2 MB)          + COPY app/
#       slim.tar     FROM a Debian bookworm minbase (mmdebstrap)  + COPY app/
#       full.tar     FROM the same minbase + apt-get python3, pip, nodejs (apt lists left behind),
#                    pip install requests, node_modules copied from Debian's node-* packages, + COPY app/
#       all.tar      the three in one archive (`podman save -m`), for FILE:NAME:TAG
#     then: strata compare minimal.tar slim.tar full.tar
#
#   Scripts/make-compare-images.sh fixtures
#     Builds the small committed fixtures:
#       Fixtures/images/compare/compare.tar   two busybox-based images (app:v1, app:v2) sharing the
#                                             base layer, in one archive, plus compare.truth.json
#                                             (merged trees and their differences, computed with
#                                             python's tarfile, never with strata)
#       Fixtures/packages/                    real package-database files: a dpkg status excerpt and
#                                             .list files from the minbase image, a pip-installed
#                                             dist-info, Debian's node package.json files
#
# Requirements: Debian 12, root, Debian's archive and PyPI reachable. No Docker engine: buildah
# (chroot isolation, overlay storage in a private store under $WORK_DIR), podman, mmdebstrap.
# Knobs: WORK_DIR (default /tmp/strata-compare-images), EPOCH (default 1700000000),
#        BASE_TAR (a ready `mmdebstrap --variant=minbase --format=tar bookworm` tar to reuse).
set -euo pipefail

MODE="${1:-variants}"
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$SCRIPT_DIR/.." && pwd)"
WORK_DIR="${WORK_DIR:-/tmp/strata-compare-images}"
EPOCH="${EPOCH:-1700000000}"
NS=localhost/strata-compare

log() { printf '\n=== %s\n' "$*" >&2; }

need=()
for p in podman buildah mmdebstrap busybox-static python3 python3-pip; do
  dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
if ((${#need[@]})); then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
fi

mkdir -p "$WORK_DIR"
WORK_DIR="$(cd "$WORK_DIR" && pwd)"
STORE="$WORK_DIR/storage"
mkdir -p "$STORE" "$WORK_DIR/run"
cat >"$WORK_DIR/storage.conf" <<EOF
[storage]
driver = "overlay"
graphroot = "$STORE"
runroot = "$WORK_DIR/run"
EOF
export CONTAINERS_STORAGE_CONF="$WORK_DIR/storage.conf"
export BUILDAH_ISOLATION=chroot
trap 'buildah --log-level=error umount -a >/dev/null 2>&1 || true' EXIT

bud() { # bud TAG CONTEXT DOCKERFILE
  log "buildah bud $1"
  buildah bud -q --isolation chroot --layers --format docker --timestamp "$EPOCH" \
    --identity-label=false -t "$1" -f "$3" "$2" >/dev/null
}

# ---- the busybox base (the same recipe as Scripts/make-fixtures.sh: the same layer) ----------
busybox_base() {
  local ctx="$WORK_DIR/ctx/busybox-base"
  rm -rf "$ctx"
  "$SCRIPT_DIR/busybox-rootfs.sh" "$ctx" "$EPOCH"
  bud "$NS/busybox:1" "$ctx" "$ctx/Dockerfile"
}

# ---- the Debian minbase base --------------------------------------------------------------
minbase_tar() {
  local tar="$WORK_DIR/minbase.tar"
  if [[ -n "${BASE_TAR:-}" && ! "$BASE_TAR" -ef "$tar" ]]; then cp "$BASE_TAR" "$tar"; fi
  if [[ ! -s "$tar" ]]; then
    log "mmdebstrap --variant=minbase bookworm"
    SOURCE_DATE_EPOCH="$EPOCH" mmdebstrap --quiet --variant=minbase --format=tar bookworm "$tar"
  fi
}

minbase_base() {
  minbase_tar
  local ctx="$WORK_DIR/ctx/minbase"
  mkdir -p "$ctx"
  ln -f "$WORK_DIR/minbase.tar" "$ctx/minbase.tar" 2>/dev/null || cp "$WORK_DIR/minbase.tar" "$ctx/minbase.tar"
  printf 'FROM scratch\nADD minbase.tar /\nCMD ["/bin/bash"]\n' >"$ctx/Dockerfile"
  bud "$NS/debian:bookworm-minbase" "$ctx" "$ctx/Dockerfile"
}

# ---- the app (the same bytes in every variant) ---------------------------------------------
make_app() { # make_app DIR VERSION
  python3 - "$1" "$2" <<'PY'
import json, os, random, sys
root, version = sys.argv[1], sys.argv[2]
def w(path, data, mode=0o644):
    p = os.path.join(root, path)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())
    os.chmod(p, mode)
rnd = lambda seed, n: random.Random(seed).randbytes(n)
w("run.sh", "#!/bin/sh\n# strata compare app: serves /app/static\nexec httpd -f -p 8080 -h /app/static\n", 0o755)
w("static/index.html", "<!doctype html><title>catalog</title><script src=app.js></script>\n")
w("static/app.js", "// catalog viewer\n" + "".join(f"function f{i}(x){{return x*{i};}}\n" for i in range(600)))
w("static/logo.bin", rnd("logo", 48 * 1024))
items = [{"id": i, "name": f"item-{i}", "price": random.Random(i).randint(1, 9999)} for i in range(2500)]
w("data/catalog.json", json.dumps(items, indent=1))
w("VERSION", version + "\n")
PY
}

variants() {
  busybox_base
  minbase_base
  local ctx="$WORK_DIR/ctx/app"
  rm -rf "$ctx"; mkdir -p "$ctx"
  make_app "$ctx/app" "1.0.0"
  # Wheels come from PyPI through the host's pip (its proxy settings and CA); the build installs
  # them offline from a bind mount, so they leave no layer of their own.
  python3 -m pip download -q --only-binary=:all: --platform any --python-version 3.11 \
    -d "$ctx/wheels" requests==2.31.0 >/dev/null
  cat >"$ctx/Dockerfile.minimal" <<EOF
FROM $NS/busybox:1
COPY app/ /app/
CMD ["/app/run.sh"]
EOF
  cat >"$ctx/Dockerfile.slim" <<EOF
FROM $NS/debian:bookworm-minbase
COPY app/ /app/
CMD ["/app/run.sh"]
EOF
  # The "full" variant is written the naive way on purpose: apt lists stay, one layer per step.
  cat >"$ctx/Dockerfile.full" <<EOF
FROM $NS/debian:bookworm-minbase
RUN apt-get update && apt-get install -y --no-install-recommends python3 python3-pip nodejs node-ms node-debug ca-certificates
RUN --mount=type=bind,source=wheels,target=/wheels pip install --break-system-packages --no-cache-dir --no-index --find-links /wheels requests==2.31.0
RUN mkdir -p /app/node_modules && cp -rL /usr/share/nodejs/ms /usr/share/nodejs/debug /app/node_modules/
COPY app/ /app/
CMD ["/app/run.sh"]
EOF
  for v in minimal slim full; do bud "$NS/app:$v" "$ctx" "$ctx/Dockerfile.$v"; done
  log "saving archives in $WORK_DIR"
  for v in minimal slim full; do
    rm -f "$WORK_DIR/$v.tar"
    podman save -q --format docker-archive -o "$WORK_DIR/$v.tar" "$NS/app:$v"
  done
  rm -f "$WORK_DIR/all.tar"
  podman save -q -m --format docker-archive -o "$WORK_DIR/all.tar" "$NS/app:minimal" "$NS/app:slim" "$NS/app:full"
  cp "$ctx"/Dockerfile.* "$WORK_DIR/"
  ls -l "$WORK_DIR"/*.tar >&2
}

# ---- committed fixtures ----------------------------------------------------------------------
fixtures() {
  busybox_base
  minbase_tar
  local out="$REPO_DIR/Fixtures/images/compare" pk="$REPO_DIR/Fixtures/packages"
  local ctx="$WORK_DIR/ctx/fixture"
  rm -rf "$ctx"; mkdir -p "$ctx/debs" "$out" "$pk"
  # Real Debian packages (their files and their dpkg records), real pip dist-infos, real node
  # package.json files: nothing here is invented except the app's own files.
  (cd "$ctx/debs" && apt-get download -q hostname node-ms node-debug >/dev/null 2>&1)
  for w in six==1.15.0 six==1.16.0 idna==3.6; do
    python3 -m pip download -q --no-deps --only-binary=:all: -d "$ctx/wheels" "$w" >/dev/null
  done
  python3 - "$ctx" "$WORK_DIR/minbase.tar" "$pk" <<'PY'
import io, os, random, shutil, subprocess, sys, tarfile, zipfile, glob
ctx, minbase, pk = sys.argv[1:4]
def w(path, data, mode=0o644):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())
    os.chmod(path, mode)
rnd = lambda seed, n: random.Random(seed).randbytes(n)
# --- the app, v1 and v2 -----------------------------------------------------------------
for v in ("v1", "v2"):
    a = f"{ctx}/{v}/app"
    w(f"{a}/run.sh", "#!/bin/sh\nexec httpd -f -p 8080 -h /app/static\n", 0o755 if v == "v1" else 0o750)
    w(f"{a}/data/catalog.bin", rnd(f"catalog-{v}", 100 * 1024))           # same size, new content
    w(f"{a}/static/logo.bin", rnd("logo", 20 * 1024 if v == "v1" else 30 * 1024))
    w(f"{a}/static/index.html", "<!doctype html><title>app</title>\n")   # unchanged
    if v == "v1": w(f"{a}/notes-old.txt", "removed in v2\n" * 40)
    if v == "v2": w(f"{a}/static/new-feature.js", "// new in v2\n" * 300)
# --- python: six (1.15.0 in v1, 1.16.0 in v2) and idna (v2 only), as pip installs them --------
def install(wheel, target):
    with zipfile.ZipFile(wheel) as z: z.extractall(target)
for v, wheels in (("v1", ["six-1.15.0"]), ("v2", ["six-1.16.0", "idna-3.6"])):
    for name in wheels:
        install(glob.glob(f"{ctx}/wheels/{name}-*.whl")[0], f"{ctx}/{v}/site/usr/local/lib/python3.11/site-packages")
# --- npm: Debian's node-ms (v1, v2) and node-debug (v2) as node_modules ---------------------
def deb_extract(name, dest):
    deb = glob.glob(f"{ctx}/debs/{name}_*.deb")[0]
    os.makedirs(dest, exist_ok=True)
    subprocess.run(["dpkg-deb", "-x", deb, dest], check=True)
    return deb
for name in ("node-ms", "node-debug", "hostname"): deb_extract(name, f"{ctx}/x/{name}")
for v, names in (("v1", ["ms"]), ("v2", ["ms", "debug"])):
    for n in names:
        src = f"{ctx}/x/node-{n}/usr/share/nodejs/{n}"
        shutil.copytree(src, f"{ctx}/{v}/node/app/node_modules/{n}", symlinks=False)
# --- dpkg: the real `hostname` package (files + status record + .list), in v2 only ----------
tf = tarfile.open(minbase)
def member(name):
    for candidate in (name, "./" + name):
        try: return tf.extractfile(candidate).read()
        except KeyError: pass
    raise KeyError(name)
status = member("var/lib/dpkg/status").decode()
stanzas = {s.split("\n", 1)[0].split(": ", 1)[1]: s for s in status.strip().split("\n\n")}
shutil.copytree(f"{ctx}/x/hostname", f"{ctx}/v2/dpkg", symlinks=True, dirs_exist_ok=True)
w(f"{ctx}/v2/dpkg/var/lib/dpkg/status", stanzas["hostname"] + "\n\n")
w(f"{ctx}/v2/dpkg/var/lib/dpkg/info/hostname.list", member("var/lib/dpkg/info/hostname.list"))
# --- Fixtures/packages: real excerpts for the parsers' tests --------------------------------
keep = ["base-files", "dpkg", "hostname", "libc6", "tzdata", "mawk", "debianutils"]
w(f"{pk}/dpkg/status", "\n\n".join(stanzas[k] for k in keep if k in stanzas) + "\n")
for k in ("hostname", "base-files", "libc6:amd64", "mawk"):
    w(f"{pk}/dpkg/info/{k}.list", member(f"var/lib/dpkg/info/{k}.list"))
for n in ("six-1.16.0", "idna-3.6"):
    d = glob.glob(f"{ctx}/v2/site/usr/local/lib/python3.11/site-packages/{n.replace('-', '-', 1)}.dist-info")[0]
    for f in ("METADATA", "RECORD"): w(f"{pk}/python/{os.path.basename(d)}/{f}", open(f"{d}/{f}", "rb").read())
for n in ("ms", "debug"):
    w(f"{pk}/npm/{n}/package.json", open(f"{ctx}/x/node-{n}/usr/share/nodejs/{n}/package.json", "rb").read())
w(f"{pk}/npm/@types/ms/package.json", open(f"{ctx}/x/node-ms/usr/share/nodejs/@types/ms/package.json", "rb").read())
PY
  for v in v1 v2; do
    {
      echo "FROM $NS/busybox:1"
      echo "COPY $v/app/ /app/"
      echo "COPY $v/site/ /"
      echo "COPY $v/node/ /"
      [[ -d "$ctx/$v/dpkg" ]] && echo "COPY $v/dpkg/ /"
      [[ "$v" == v2 ]] && echo "RUN rm -rf /usr/share/doc"
      echo 'CMD ["/app/run.sh"]'
    } >"$ctx/Dockerfile.$v"
    bud "localhost/strata/compare-app:$v" "$ctx" "$ctx/Dockerfile.$v"
  done
  rm -f "$out/compare.tar"
  podman save -q -m --format docker-archive -o "$out/compare.tar" \
    localhost/strata/compare-app:v1 localhost/strata/compare-app:v2
  cp "$ctx/Dockerfile.v1" "$ctx/Dockerfile.v2" "$out/"
  python3 "$SCRIPT_DIR/compare-truth.py" "$out/compare.tar" >"$out/compare.truth.json"
  ls -l "$out" >&2
}

case "$MODE" in
  variants) variants ;;
  fixtures) fixtures ;;
  *) echo "usage: $0 [variants|fixtures]" >&2; exit 2 ;;
esac
