#!/usr/bin/env python3
"""Writes a large synthetic `docker save` archive for timing strata (never committed).

usage: Scripts/make-large-image.py OUT.tar [--files N] [--layers N] [--seed N]

The image looks like a language runtime image grown by many Dockerfile steps: a base layer with
most of the files, layers that add packages, caches that later layers delete (whiteouts), a
chown that rewrites a tree, an opaque directory, UTF-8 and wide-character names. Contents are
deterministic (seeded) and mostly zero-padded, so the archive is large but cheap to write.
"""
import argparse
import hashlib
import io
import json
import random
import tarfile

EPOCH = 1700000000


def layer_tar(entries):
    """entries: list of (name, kind, size_or_target, mode, uid). Returns the tar bytes."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, kind, extra, mode, uid in entries:
            info = tarfile.TarInfo(name)
            info.mtime = EPOCH
            info.mode = mode
            info.uid = info.gid = uid
            if kind == "dir":
                info.type = tarfile.DIRTYPE
                tar.addfile(info)
            elif kind == "symlink":
                info.type = tarfile.SYMTYPE
                info.linkname = extra
                tar.addfile(info)
            else:
                size = extra
                head = hashlib.sha256(name.encode()).hexdigest().encode() * 2
                data = (head + b"\0" * size)[:size] if size > len(head) else head[:size]
                info.size = size
                tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def tree(prefix, rng, files, depth=3, fanout=12):
    """A directory tree under prefix with about `files` files."""
    entries = [(prefix, "dir", 0, 0o755, 0)]
    made = 0
    stack = [(prefix, 0)]
    while made < files and stack:
        directory, level = stack.pop(0)
        count = max(1, files // (fanout ** (depth - level))) if level < depth else fanout * 4
        for index in range(min(count, files - made)):
            size = int(min(rng.lognormvariate(7.0, 1.8), 40_000_000))
            name = f"{directory}/f{index:05d}{rng.choice(['.py', '.so', '.js', '.txt', '.h', ''])}"
            entries.append((name, "file", size, 0o644, 0))
            made += 1
        if level < depth:
            for sub in range(fanout):
                child = f"{directory}/d{level}{sub:02d}"
                entries.append((child, "dir", 0, 0o755, 0))
                stack.append((child, level + 1))
    return entries


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--files", type=int, default=300_000)
    parser.add_argument("--layers", type=int, default=12)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    layers = []
    base = args.files // 2
    layers.append(("ADD rootfs.tar /", tree("usr", rng, base) + [("bin", "symlink", "usr/bin", 0o777, 0)]))
    layers.append(("RUN apt-get update", tree("var/lib/apt/lists", rng, 400, depth=1)))
    layers.append(("RUN pip install -r requirements.txt", tree("root/.cache/pip", rng, 3000, depth=2)
                   + tree("opt/venv", rng, args.files // 6)))
    remaining = args.files - base - 3400 - args.files // 6
    per = max(1, remaining // max(1, args.layers - 6))
    for number in range(args.layers - 6):
        layers.append((f"COPY pkg{number} /srv/pkg{number}", tree(f"srv/pkg{number}", rng, per, depth=2)))
    layers.append(("RUN rm -rf /root/.cache/pip /var/lib/apt/lists/*",
                   [("root/.cache/.wh.pip", "file", 0, 0o644, 0), ("var/lib/apt/lists/.wh..wh..opq", "file", 0, 0o644, 0)]))
    chown = [(n, k, e, m, 1000) for (n, k, e, m, _) in tree("srv/pkg0", random.Random(args.seed), per, depth=2)]
    layers.append(("RUN chown -R 1000:1000 /srv/pkg0", chown))
    layers.append(("COPY docs /usr/share/doc/名前", [("usr/share", "dir", 0, 0o755, 0), ("usr/share/doc", "dir", 0, 0o755, 0),
                   ("usr/share/doc/名前", "dir", 0, 0o755, 0), ("usr/share/doc/名前/読んでください.txt", "file", 2048, 0o644, 0),
                   ("usr/share/doc/名前/tab\tname", "file", 10, 0o644, 0)]))

    manifest_layers = []
    diff_ids = []
    history = []
    with tarfile.open(args.out, "w", format=tarfile.PAX_FORMAT) as out:
        for index, (command, entries) in enumerate(layers):
            data = layer_tar(entries)
            digest = hashlib.sha256(data).hexdigest()
            name = f"{digest}/layer.tar"
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mtime = EPOCH
            out.addfile(info, io.BytesIO(data))
            manifest_layers.append(name)
            diff_ids.append("sha256:" + digest)
            history.append({"created": "2023-11-14T22:13:20Z", "created_by": "/bin/sh -c " + command})
            print(f"layer {index}: {len(entries)} entries, {len(data) / 1e6:.1f} MB  {command}")
        config = json.dumps({"architecture": "amd64", "os": "linux", "rootfs": {"type": "layers", "diff_ids": diff_ids},
                             "history": history}).encode()
        config_name = hashlib.sha256(config).hexdigest() + ".json"
        for name, data in [(config_name, config),
                           ("manifest.json", json.dumps([{"Config": config_name, "RepoTags": ["localhost/strata/large:latest"],
                                                          "Layers": manifest_layers}]).encode())]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mtime = EPOCH
            out.addfile(info, io.BytesIO(data))


if __name__ == "__main__":
    main()
