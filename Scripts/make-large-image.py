#!/usr/bin/env python3
"""Writes a synthetic OCI image layout of about 1 GB in 50,000 files, shaped like a real image:
a distribution-like base layer, a dependencies layer, an application layer; file sizes
log-normal (many small files, a few large ones); each file's content unique (its first bytes),
the rest zeros. Usage: make-large-image.py OUT_DIR [--files 50000] [--bytes 1e9] [--seed 1]."""
import argparse, hashlib, io, json, math, os, random, tarfile

def tree(rng, prefix, count, per_dir):
    """`count` file paths under `prefix`, in nested directories of about `per_dir` files."""
    paths, directory = [], 0
    while len(paths) < count:
        depth = rng.randint(1, 4)
        parts = [prefix] + ["d%d_%d" % (directory, level) if level else "pkg%d" % directory for level in range(depth)]
        for number in range(min(count - len(paths), rng.randint(per_dir // 2, per_dir * 3 // 2))):
            paths.append("/".join(parts + ["f%d.%s" % (number, rng.choice(["so", "py", "txt", "gz", "json", "bin"]))]))
        directory += 1
    return paths

def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("out"); ap.add_argument("--files", type=int, default=50_000)
    ap.add_argument("--bytes", type=float, default=1e9); ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    shares = [("base", 0.6, ["usr/lib/x86_64-linux-gnu", "usr/share/doc", "usr/share/locale", "usr/bin", "etc", "var/lib/dpkg"]),
              ("deps", 0.3, ["usr/lib/python3/dist-packages", "usr/local/lib/node_modules", "var/lib/apt/lists"]),
              ("app", 0.1, ["app/src", "app/static", "app/.git"])]
    layers = []
    for name, share, tops in shares:
        count = int(args.files * share)
        paths = []
        for index, top in enumerate(tops):
            paths += tree(rng, top, count // len(tops) + (1 if index < count % len(tops) else 0), 40)
        layers.append((name, paths))
    sizes = [rng.lognormvariate(7.5, 2.2) for _ in range(sum(len(p) for _, p in layers))]
    scale = args.bytes / sum(sizes)
    sizes = [max(0, int(s * scale)) for s in sizes]
    os.makedirs(os.path.join(args.out, "blobs", "sha256"), exist_ok=True)
    descriptors, diff_ids, history, position = [], [], [], 0
    for name, paths in layers:
        temporary = os.path.join(args.out, "layer.tmp")
        with tarfile.open(temporary, "w", format=tarfile.PAX_FORMAT) as tar:
            for path in paths:
                size = sizes[position]; position += 1
                head = ("%s %d\n" % (path, position)).encode()[:size]
                info = tarfile.TarInfo(path); info.size = size; info.mtime = 1700000000
                tar.addfile(info, io.BytesIO(head + bytes(size - len(head))))
        digest = hashlib.sha256()
        with open(temporary, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""): digest.update(chunk)
        hexdigest = digest.hexdigest()
        os.replace(temporary, os.path.join(args.out, "blobs", "sha256", hexdigest))
        descriptors.append({"mediaType": "application/vnd.oci.image.layer.v1.tar", "digest": "sha256:" + hexdigest,
                            "size": os.path.getsize(os.path.join(args.out, "blobs", "sha256", hexdigest))})
        diff_ids.append("sha256:" + hexdigest)
        history.append({"created_by": "/bin/sh -c #(nop) ADD %s.tar /" % name})
    def blob(document):
        data = json.dumps(document).encode(); hexdigest = hashlib.sha256(data).hexdigest()
        with open(os.path.join(args.out, "blobs", "sha256", hexdigest), "wb") as handle: handle.write(data)
        return {"digest": "sha256:" + hexdigest, "size": len(data)}
    config = blob({"architecture": "amd64", "os": "linux", "rootfs": {"type": "layers", "diff_ids": diff_ids}, "history": history})
    manifest = blob({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                     "config": dict(config, mediaType="application/vnd.oci.image.config.v1+json"), "layers": descriptors})
    with open(os.path.join(args.out, "index.json"), "w") as handle:
        json.dump({"schemaVersion": 2, "manifests": [dict(manifest, mediaType="application/vnd.oci.image.manifest.v1+json",
                   annotations={"org.opencontainers.image.ref.name": "synthetic:%d-files" % position})]}, handle)
    with open(os.path.join(args.out, "oci-layout"), "w") as handle: json.dump({"imageLayoutVersion": "1.0.0"}, handle)
    print("%d files, %d bytes" % (position, sum(sizes)))

main()
