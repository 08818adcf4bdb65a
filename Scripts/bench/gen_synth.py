#!/usr/bin/env python3
"""gen_synth.py — write a synthetic image, fast: the one generator of synthetic images.

Two layouts (--layout): `docker-archive` (the default), what Docker 20.10 and
`podman save --format docker-archive` write:

    <id>/VERSION  <id>/json  <id>/layer.tar   (one directory per layer)
    <config-hex>.json                          (rootfs.diff_ids, history)
    manifest.json                              ([{Config, RepoTags, Layers}])
    repositories

and `oci`, an OCI image layout directory (OUT/oci-layout, OUT/index.json, OUT/blobs/sha256/…).

Tar headers are written by hand from a precomputed 512-byte ustar template (only name, mode,
size, type flag and checksum change per entry), which is several times faster than the
`tarfile` module for a million members. Layer tars are streamed straight into the outer
archive while being hashed; the outer header of each `layer.tar` is patched afterwards with
its real size. All content is deterministic (seeded PRNG), so two runs give identical bytes.

Two shapes (--shape). `bench` (the default; `--files F --layers L --whiteouts W`):
  * layer 0 holds about 40 % of the files, the upper layers share the rest equally; files live
    in directories of --per-dir files under a two-level tree per layer;
  * each upper layer also rewrites a few lower files (--overwrites, spread over the upper
    layers), as `chown -R` or an upgrade would;
  * W whiteouts spread evenly over the upper layers, each removing something a lower layer
    wrote: mostly file whiteouts (`.wh.NAME`), every --dir-whiteout-every-th one a whole lower
    directory (`.wh.DIR`), and every --opaque-every-th one an opaque marker
    (`.wh..wh..opq`) on a lower directory that the layer then refills with one file.
File sizes are uniform in [0, --max-size] bytes.

`realistic` (`--files F --bytes B`): a distribution-like base layer (60 % of the files), a
dependencies layer (30 %) and an application layer (10 %), files in nested directories of
about 40 under the top directories such images have; sizes log-normal (many small files, a few
large ones) scaled to B bytes in all; each file's content unique (its path and number first),
the rest zeros. The HTML report's and the explorer's measurements use it:
    gen_synth.py DIR --layout oci --shape realistic --files 50000 --bytes 1e9
"""
import argparse
import hashlib
import io
import json
import os
import random
import sys
import zlib

BLOCK = 512
ZEROS = bytes(BLOCK)
MTIME = 1700000000


def octal(n, width):
    """ustar numeric field: zero-padded octal, NUL-terminated."""
    return b"%0*o\0" % (width - 1, n)


class HeaderMaker:
    """ustar headers from one template; checksum computed incrementally."""

    def __init__(self):
        t = bytearray(BLOCK)
        t[100:108] = octal(0, 8)          # mode (patched)
        t[108:116] = octal(0, 8)          # uid
        t[116:124] = octal(0, 8)          # gid
        t[124:136] = octal(0, 12)         # size (patched)
        t[136:148] = octal(MTIME, 12)     # mtime
        t[148:156] = b" " * 8             # checksum placeholder
        t[156:157] = b"0"                 # type (patched)
        t[257:263] = b"ustar\0"
        t[263:265] = b"00"
        t[265:269] = b"root"
        t[297:301] = b"root"
        t[329:337] = octal(0, 8)          # devmajor
        t[337:345] = octal(0, 8)          # devminor
        # zero the patched fields so their bytes can be added per entry
        t[100:108] = bytes(8)
        t[124:136] = bytes(12)
        t[156:157] = b"\0"
        self.template = bytes(t)
        self.base = sum(t)
        self.modes = {m: octal(m, 8) for m in (0o644, 0o755)}
        self.mode_sums = {m: sum(v) for m, v in self.modes.items()}

    def header(self, name, size, typeflag=b"0", mode=0o644):
        nb = name.encode()
        if len(nb) > 100:
            raise ValueError("name too long for plain ustar: " + name)
        sz = octal(size, 12)
        h = bytearray(self.template)
        h[0:len(nb)] = nb
        m = self.modes[mode]
        h[100:108] = m
        h[124:136] = sz
        h[156] = typeflag[0]
        chk = self.base + sum(nb) + self.mode_sums[mode] + sum(sz) + typeflag[0]
        h[148:156] = b"%06o\0 " % chk
        return h


class HashingWriter:
    """Buffers writes to the outer file and hashes the bytes of the current layer."""

    def __init__(self, f):
        self.f = f
        self.buf = []
        self.n = 0
        self.h = None
        self.count = 0

    def write(self, b):
        self.buf.append(b)
        self.n += len(b)
        if self.n >= 1 << 22:
            self.flush()

    def flush(self):
        if not self.buf:
            return
        data = b"".join(self.buf)
        if self.h is not None:
            self.h.update(data)
        self.f.write(data)
        self.count += len(data)
        self.buf = []
        self.n = 0


def pad(n):
    return ZEROS[: (-n) % BLOCK]


def plan_bench(a):
    """The bench shape: each layer's entries (name, kind, size; kind f=file d=dir w=whiteout),
    the content of the n-th file, and each layer's history line."""
    rng = random.Random(a.seed)
    pool = rng.randbytes(1 << 20)      # content slices come from this pool
    L = a.layers
    # files per layer: 40 % in the base, the rest shared by the upper layers
    if L == 1:
        counts = [a.files]
    else:
        base = a.files * 2 // 5
        rest = a.files - base
        counts = [base] + [rest // (L - 1) + (1 if i < rest % (L - 1) else 0) for i in range(L - 1)]

    # ---- plan every layer: list of (name, kind, size); kind f=file d=dir w=whiteout
    # lower files still present, per layer: list of (dir, fname) ; dirs per layer: list of dir
    live_dirs = []            # (dir path, [file names alive], layer) — candidates for removal
    plans = []
    uppers = max(L - 1, 1)
    wo_per_layer = [a.whiteouts // uppers + (1 if i < a.whiteouts % uppers else 0) for i in range(uppers)]
    ow_per_layer = [a.overwrites // uppers + (1 if i < a.overwrites % uppers else 0) for i in range(uppers)]
    wo_counter = 0
    for li in range(L):
        entries = []
        emitted_dirs = set()

        def ensure_dir(d):
            # parent directories first, as real layer tars have them
            parts = d.rstrip("/").split("/")
            for k in range(1, len(parts) + 1):
                p = "/".join(parts[:k]) + "/"
                if p not in emitted_dirs:
                    emitted_dirs.add(p)
                    entries.append((p, "d", 0))

        touched = set()           # lower dirs this layer already acts on: act on each once

        def size_of(name):
            # from the path alone, so an image with and without whiteouts has the same files
            return zlib.crc32(name.encode()) % (a.max_size + 1)

        if li > 0 and live_dirs:
            # whiteouts against lower layers (never against this layer's own entries)
            nwo = wo_per_layer[li - 1]
            for _ in range(nwo):
                wo_counter += 1
                cand = [x for x in rng.sample(live_dirs, min(8, len(live_dirs)))
                        if x[1] and x[0] not in touched]
                if not cand:
                    continue
                d = cand[0]
                touched.add(d[0])
                if a.opaque_every and wo_counter % a.opaque_every == 0:
                    ensure_dir(d[0])
                    entries.append((d[0] + ".wh..wh..opq", "w", 0))
                    entries.append((d[0] + "refilled.txt", "f", size_of(d[0] + "refilled.txt")))
                    d[1].clear()
                    d[1].append("refilled.txt")
                elif a.dir_whiteout_every and wo_counter % a.dir_whiteout_every == 0:
                    parent, _, leaf = d[0].rstrip("/").rpartition("/")
                    ensure_dir(parent + "/")
                    entries.append((parent + "/.wh." + leaf, "w", 0))
                    live_dirs.remove(d)
                else:
                    fname = d[1].pop(rng.randrange(len(d[1])))
                    ensure_dir(d[0])
                    entries.append((d[0] + ".wh." + fname, "w", 0))
            # rewrite some lower files (same path, new content)
            for _ in range(ow_per_layer[li - 1]):
                d = rng.choice(live_dirs)
                if not d[1] or d[0] in touched:
                    continue
                touched.add(d[0])
                ensure_dir(d[0])
                p = d[0] + rng.choice(d[1])
                entries.append((p, "f", size_of(p + "#%d" % li)))
        # new files of this layer
        n = counts[li]
        ndirs = (n + a.per_dir - 1) // a.per_dir
        for j in range(ndirs):
            d = "data/l%d/g%03d/d%05d/" % (li, j // 100, j)
            ensure_dir(d)
            names = []
            for k in range(min(a.per_dir, n - j * a.per_dir)):
                fname = "f%07d.bin" % (j * a.per_dir + k)
                entries.append((d + fname, "f", size_of(d + fname)))
                names.append(fname)
            live_dirs.append([d, names, li])
        plans.append(entries)


    def content(pos, name, size):
        o = (pos * 7919) % ((1 << 20) - size)
        yield pool[o:o + size]

    names = ["synthetic layer %d (%d entries)" % (li, len(plans[li])) for li in range(L)]
    return plans, content, names


def plan_realistic(a):
    """The realistic shape (see the module's doc): plans, content and history lines as plan_bench."""
    rng = random.Random(a.seed)

    def tree(prefix, count, per_dir):
        """`count` file paths under `prefix`, in nested directories of about `per_dir` files."""
        paths, directory = [], 0
        while len(paths) < count:
            depth = rng.randint(1, 4)
            parts = [prefix] + ["d%d_%d" % (directory, level) if level else "pkg%d" % directory
                                for level in range(depth)]
            for number in range(min(count - len(paths), rng.randint(per_dir // 2, per_dir * 3 // 2))):
                paths.append("/".join(parts + ["f%d.%s" % (number, rng.choice(["so", "py", "txt", "gz", "json", "bin"]))]))
            directory += 1
        return paths

    shares = [("base", 0.6, ["usr/lib/x86_64-linux-gnu", "usr/share/doc", "usr/share/locale", "usr/bin", "etc",
                             "var/lib/dpkg"]),
              ("deps", 0.3, ["usr/lib/python3/dist-packages", "usr/local/lib/node_modules", "var/lib/apt/lists"]),
              ("app", 0.1, ["app/src", "app/static", "app/.git"])]
    layers = []
    for name, share, tops in shares:
        count = int(a.files * share)
        paths = []
        for index, top in enumerate(tops):
            paths += tree(top, count // len(tops) + (1 if index < count % len(tops) else 0), 40)
        layers.append((name, paths))
    sizes = [rng.lognormvariate(7.5, 2.2) for _ in range(sum(len(p) for _, p in layers))]
    scale = a.bytes / sum(sizes)
    sizes = iter([max(0, int(s * scale)) for s in sizes])
    plans = [[(path, "f", next(sizes)) for path in paths] for _, paths in layers]

    def content(pos, name, size):
        head = ("%s %d\n" % (name, pos + 1)).encode()[:size]
        yield head
        left = size - len(head)
        while left > 0:
            chunk = min(left, 1 << 20)
            yield bytes(chunk)
            left -= chunk

    return plans, content, ["ADD %s.tar /" % name for name, _ in layers]


def write_layer(w, hm, entries, content, start=0):
    """Writes one layer tar's entries and end blocks; returns the next file number."""
    pos = start
    for name, kind, size in entries:
        if kind == "d":
            w.write(hm.header(name, 0, b"5", 0o755))
        elif kind == "w":
            w.write(hm.header(name, 0))
        else:
            w.write(hm.header(name, size))
            if size:
                for chunk in content(pos, name, size):
                    w.write(chunk)
                w.write(pad(size))
            pos += 1
    w.write(ZEROS)
    w.write(ZEROS)
    return pos


def history_of(names):
    return [{"created": "2023-11-14T22:13:20Z", "created_by": "/bin/sh -c #(nop) " + name} for name in names]


def write_oci(a, plans, content, names):
    """An OCI image layout directory at a.out."""
    hm = HeaderMaker()
    blobs = os.path.join(a.out, "blobs", "sha256")
    os.makedirs(blobs, exist_ok=True)
    descriptors, diff_ids, pos = [], [], 0
    for li, entries in enumerate(plans):
        temporary = os.path.join(a.out, "layer.tmp")
        with open(temporary, "wb") as f:
            w = HashingWriter(f)
            w.h = hashlib.sha256()
            pos = write_layer(w, hm, entries, content, pos)
            w.flush()
        digest = w.h.hexdigest()
        os.replace(temporary, os.path.join(blobs, digest))
        descriptors.append({"mediaType": "application/vnd.oci.image.layer.v1.tar", "digest": "sha256:" + digest,
                            "size": w.count})
        diff_ids.append("sha256:" + digest)
        print("layer %d: %d entries, %d bytes" % (li, len(entries), w.count), file=sys.stderr)

    def blob(document):
        data = json.dumps(document).encode()
        digest = hashlib.sha256(data).hexdigest()
        with open(os.path.join(blobs, digest), "wb") as handle:
            handle.write(data)
        return {"digest": "sha256:" + digest, "size": len(data)}

    config = blob({"architecture": "amd64", "os": "linux", "created": "2023-11-14T22:13:20Z",
                   "rootfs": {"type": "layers", "diff_ids": diff_ids}, "history": history_of(names)})
    manifest = blob({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                     "config": dict(config, mediaType="application/vnd.oci.image.config.v1+json"),
                     "layers": descriptors})
    with open(os.path.join(a.out, "index.json"), "w") as handle:
        json.dump({"schemaVersion": 2, "manifests": [dict(
            manifest, mediaType="application/vnd.oci.image.manifest.v1+json",
            annotations={"org.opencontainers.image.ref.name": a.tag})]}, handle)
    with open(os.path.join(a.out, "oci-layout"), "w") as handle:
        json.dump({"imageLayoutVersion": "1.0.0"}, handle)
    print("%d files" % pos, file=sys.stderr)


def write_docker_archive(a, plans, content, names):
    """A legacy `docker save` archive at a.out."""
    hm = HeaderMaker()
    L = len(plans)
    layer_ids = [hashlib.sha256(b"strata-bench layer %d seed %d" % (i, a.seed)).hexdigest() for i in range(L)]
    tmp = a.out + ".tmp"
    diff_ids = []
    with open(tmp, "wb") as f:
        w = HashingWriter(f)
        for li, entries in enumerate(plans):
            lid = layer_ids[li]
            w.write(hm.header(lid + "/", 0, b"5", 0o755))
            v = b"1.0"
            w.write(hm.header(lid + "/VERSION", len(v)))
            w.write(v + pad(len(v)))
            j = json.dumps({"id": lid, "created": "2023-11-14T22:13:20Z"}).encode()
            w.write(hm.header(lid + "/json", len(j)))
            w.write(j + pad(len(j)))
            w.flush()
            hdr_pos = f.tell()
            w.write(hm.header(lid + "/layer.tar", 0))   # patched below
            w.flush()
            start = f.tell()
            w.h = hashlib.sha256()
            write_layer(w, hm, entries, content)  # file numbers start again in each layer
            w.flush()
            diff_ids.append("sha256:" + w.h.hexdigest())
            w.h = None
            end = f.tell()
            f.seek(hdr_pos)
            f.write(hm.header(lid + "/layer.tar", end - start))
            f.seek(end)
            nwh = sum(1 for e in entries if e[1] == "w")
            print("layer %d: %d entries (%d whiteouts), %d bytes" % (li, len(entries), nwh, end - start),
                  file=sys.stderr)
        history = history_of(names)
        config = {
            "architecture": "amd64", "os": "linux", "created": "2023-11-14T22:13:20Z",
            "config": {"Cmd": ["/bin/sh"], "Env": ["PATH=/usr/bin:/bin"]},
            "rootfs": {"type": "layers", "diff_ids": diff_ids},
            "history": history,
        }
        cb = json.dumps(config, indent=None, separators=(",", ":")).encode()
        chex = hashlib.sha256(cb).hexdigest()
        w.write(hm.header(chex + ".json", len(cb)))
        w.write(cb + pad(len(cb)))
        repo, _, tag = a.tag.rpartition(":")
        man = json.dumps([{"Config": chex + ".json", "RepoTags": [a.tag],
                           "Layers": [lid + "/layer.tar" for lid in layer_ids]}]).encode()
        w.write(hm.header("manifest.json", len(man)))
        w.write(man + pad(len(man)))
        reps = json.dumps({repo: {tag: layer_ids[-1]}}).encode()
        w.write(hm.header("repositories", len(reps)))
        w.write(reps + pad(len(reps)))
        w.write(ZEROS * 2)
        w.flush()
    os.replace(tmp, a.out)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out")
    ap.add_argument("--files", type=int, required=True, help="files added over all layers")
    ap.add_argument("--layout", choices=["docker-archive", "oci"], default="docker-archive")
    ap.add_argument("--shape", choices=["bench", "realistic"], default="bench")
    ap.add_argument("--bytes", type=float, default=1e9, help="realistic: the files' bytes in all")
    ap.add_argument("--layers", type=int, default=5)
    ap.add_argument("--whiteouts", type=int, default=0)
    ap.add_argument("--overwrites", type=int, default=0, help="lower files rewritten by upper layers")
    ap.add_argument("--dir-whiteout-every", type=int, default=20, help="every Nth whiteout removes a directory")
    ap.add_argument("--opaque-every", type=int, default=100, help="every Nth whiteout is an opaque marker")
    ap.add_argument("--per-dir", type=int, default=50, help="files per leaf directory")
    ap.add_argument("--max-size", type=int, default=2048)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--tag", default="localhost/strata-bench/synthetic:latest")
    a = ap.parse_args()

    if a.shape == "bench":
        plans, content, names = plan_bench(a)
    else:
        plans, content, names = plan_realistic(a)
    if a.layout == "oci":
        write_oci(a, plans, content, names)
    else:
        write_docker_archive(a, plans, content, names)


if __name__ == "__main__":
    main()
