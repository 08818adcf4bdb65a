#!/usr/bin/env python3
"""make-estargz.py IN.tar OUT.tar [--chunk-size N] [--bad-toc-digest] [--bad-chunk-digest] [--no-footer]

Converts an image archive (docker save layout, or an OCI archive with uncompressed or gzip
layers) into an OCI archive whose layers are eStargz (containerd's stargz-snapshotter,
docs/estargz.md): each regular file's payload starts a gzip member of its own (large files in
chunks of --chunk-size), then the TOC (`stargz.index.json` in a gzip'd tar), then the 51-byte
footer; each layer descriptor carries the TOC digest annotation. The uncompressed blob is the
original layer tar with the TOC appended after its end, as the reference writer does.

Test and benchmark data only (skopeo 1.9 and buildah here cannot write eStargz). Fault options:
--bad-toc-digest writes a wrong annotation; --bad-chunk-digest a wrong chunkDigest for every
chunk (in a TOC the annotation vouches for); --no-footer leaves the footer out (a plain gzip
layer that still carries the annotation).
"""
import argparse, gzip, hashlib, io, json, os, sys, tarfile

TYPES = {tarfile.REGTYPE: "reg", tarfile.AREGTYPE: "reg", tarfile.DIRTYPE: "dir", tarfile.SYMTYPE: "symlink",
         tarfile.LNKTYPE: "hardlink", tarfile.CHRTYPE: "char", tarfile.BLKTYPE: "block", tarfile.FIFOTYPE: "fifo"}


def sha(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


def footer(toc_offset):
    extra = b"SG" + (22).to_bytes(2, "little") + b"%016xSTARGZ" % toc_offset
    header = bytes([0x1F, 0x8B, 8, 4, 0, 0, 0, 0, 0, 255]) + len(extra).to_bytes(2, "little") + extra
    return header + bytes([1, 0, 0, 0xFF, 0xFF]) + bytes(8)


def convert(raw, chunk_size, no_footer, bad_chunks=False):
    """Returns (blob, toc digest, uncompressed digest) for one uncompressed layer tar."""
    members = tarfile.open(fileobj=io.BytesIO(raw)).getmembers()
    end = 0
    for m in members:
        end = max(end, m.offset_data + ((m.size + 511) // 512) * 512 if m.isreg() else m.offset_data)
    stream = raw[:end] + bytes(1024)
    # Gzip members start at 0 and at each chunk of each non-empty regular file.
    cuts = {0}
    plan = []  # (member, [(file offset, length)])
    for m in members:
        if m.type not in TYPES:
            sys.exit(f"make-estargz: unsupported entry type {m.type!r} ({m.name})")
        pieces = []
        if m.isreg() and m.size > 0:
            for start in range(0, m.size, chunk_size):
                cuts.add(m.offset_data + start)
                pieces.append((start, min(chunk_size, m.size - start)))
        plan.append((m, pieces))
    cuts = sorted(cuts) + [len(stream)]
    blob = bytearray()
    compressed_at = {}
    for a, b in zip(cuts, cuts[1:]):
        compressed_at[a] = len(blob)
        blob += gzip.compress(stream[a:b], compresslevel=6, mtime=0)
    entries = []
    for m, pieces in plan:
        entry = {"name": m.name + ("/" if m.isdir() else ""), "type": TYPES[m.type], "mode": m.mode,
                 "uid": m.uid, "gid": m.gid}
        if m.issym() or m.islnk():
            entry["linkName"] = m.linkname
        if m.isreg():
            entry["size"] = m.size
        entries.append(entry)
        if pieces:
            content = raw[m.offset_data:m.offset_data + m.size]
            entry["digest"] = sha(content)
        for i, (start, length) in enumerate(pieces):
            item = entry if i == 0 else {"name": entry["name"], "type": "chunk", "chunkOffset": start}
            item["offset"] = compressed_at[m.offset_data + start]
            if i + 1 < len(pieces):
                item["chunkSize"] = length
            item["chunkDigest"] = sha(content[start:start + length] + (b"x" if bad_chunks else b""))
            if i > 0:
                entries.append(item)
    toc_json = json.dumps({"version": 1, "entries": entries}, indent="\t").encode()
    toc_tar = io.BytesIO()
    with tarfile.open(fileobj=toc_tar, mode="w", format=tarfile.USTAR_FORMAT) as t:
        info = tarfile.TarInfo("stargz.index.json")
        info.size = len(toc_json)
        t.addfile(info, io.BytesIO(toc_json))
    toc_offset = len(blob)
    blob += gzip.compress(toc_tar.getvalue(), compresslevel=6, mtime=0)
    if not no_footer:
        blob += footer(toc_offset)
    uncompressed = stream + toc_tar.getvalue()
    return bytes(blob), sha(toc_json), sha(uncompressed)


def read_image(path):
    """(config bytes, the uncompressed layer tars one at a time) of a docker-archive or OCI archive."""
    t = tarfile.open(path)
    names = t.getnames()
    read = lambda name: t.extractfile(name).read()
    plain = lambda data: gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data
    if "manifest.json" in names:
        manifest = json.loads(read("manifest.json"))[0]
        return read(manifest["Config"]), (plain(read(name)) for name in manifest["Layers"])
    index = json.loads(read("index.json"))
    blob = lambda d: read("blobs/" + d["digest"].replace(":", "/"))
    manifest = json.loads(blob(index["manifests"][0]))
    return blob(manifest["config"]), (plain(blob(layer)) for layer in manifest["layers"])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("input")
    parser.add_argument("output")
    parser.add_argument("--chunk-size", type=int, default=4 << 20)
    parser.add_argument("--bad-toc-digest", action="store_true")
    parser.add_argument("--bad-chunk-digest", action="store_true")
    parser.add_argument("--no-footer", action="store_true")
    args = parser.parse_args()
    config_bytes, layers = read_image(args.input)
    config = json.loads(config_bytes)
    blobs = {}
    descriptors, diff_ids = [], []
    out = tarfile.open(args.output + ".tmp", "w")

    def add(name, data):
        info = tarfile.TarInfo(name)
        info.size = len(data)
        out.addfile(info, io.BytesIO(data))

    add("oci-layout", b'{"imageLayoutVersion":"1.0.0"}')
    for raw in layers:
        blob, toc_digest, diff_id = convert(raw, args.chunk_size, args.no_footer, args.bad_chunk_digest)
        del raw
        if args.bad_toc_digest:
            toc_digest = sha(b"not the TOC")
        add("blobs/" + sha(blob).replace(":", "/"), blob)
        diff_ids.append(diff_id)
        descriptors.append({"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": sha(blob),
                            "size": len(blob), "annotations": {"containerd.io/snapshot/stargz/toc.digest": toc_digest}})
    config["rootfs"] = {"type": "layers", "diff_ids": diff_ids}
    config_out = json.dumps(config).encode()
    blobs[sha(config_out)] = config_out
    manifest = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": sha(config_out),
                           "size": len(config_out)}, "layers": descriptors}
    manifest_out = json.dumps(manifest).encode()
    blobs[sha(manifest_out)] = manifest_out
    index = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
             "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": sha(manifest_out),
                            "size": len(manifest_out)}]}
    add("index.json", json.dumps(index).encode())
    for digest, data in blobs.items():
        add("blobs/" + digest.replace(":", "/"), data)
    out.close()
    os.replace(args.output + ".tmp", args.output)


if __name__ == "__main__":
    main()
