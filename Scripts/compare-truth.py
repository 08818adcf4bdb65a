#!/usr/bin/env python3
"""Ground truth for `strata compare`, computed with python's tarfile only (never strata).

Usage: compare-truth.py ARCHIVE.tar  (a `docker save` / `podman save -m` docker-archive)

Prints JSON: per image its layers (diffID, entries, header bytes), the merged filesystem's file
count and bytes, and the file-level differences of every image from the first: added, removed,
changed (with what changed: kind, size, mode, owner, link, content by sha256).
"""
import hashlib
import json
import sys
import tarfile


def norm(name):
    parts = [p for p in name.split("/") if p not in ("", ".")]
    return "/".join(parts)


def kind(info):
    if info.isdir():
        return "dir"
    if info.issym():
        return "symlink"
    if info.islnk():
        return "hardlink"
    if info.isfile():
        return "file"
    return "other"


def apply(tree, layer_bytes):
    """Applies one layer tar to `tree` (path -> record) by the OCI whiteout rules."""
    import io

    tar = tarfile.open(fileobj=io.BytesIO(layer_bytes))
    members = tar.getmembers()
    for m in members:  # markers first: they act on the layers below
        path = norm(m.name)
        base = path.rsplit("/", 1)[-1]
        parent = path.rsplit("/", 1)[0] if "/" in path else ""
        if base == ".wh..wh..opq":
            prefix = parent + "/" if parent else ""
            for p in [p for p in tree if p.startswith(prefix) and p != parent]:
                del tree[p]
        elif base.startswith(".wh."):
            target = (parent + "/" if parent else "") + base[4:]
            for p in [p for p in tree if p == target or p.startswith(target + "/")]:
                del tree[p]
    for m in members:
        path = norm(m.name)
        base = path.rsplit("/", 1)[-1]
        if not path or base.startswith(".wh."):
            continue
        k = kind(m)
        if k != "dir":
            for p in [p for p in tree if p.startswith(path + "/")]:
                del tree[p]
        digest = None
        if k == "file":
            digest = hashlib.sha256(tar.extractfile(m).read()).hexdigest()
        tree[path] = {
            "kind": k, "size": m.size if k == "file" else 0, "mode": m.mode & 0o7777,
            "uid": m.uid, "gid": m.gid, "link": m.linkname or None, "sha256": digest,
        }
    return len(members), sum(m.size for m in members)


def main():
    archive = tarfile.open(sys.argv[1])
    manifest = json.load(archive.extractfile("manifest.json"))
    images = []
    trees = []
    for entry in manifest:
        config = json.load(archive.extractfile(entry["Config"]))
        diff_ids = config["rootfs"]["diff_ids"]
        tree = {}
        layers = []
        for index, name in enumerate(entry["Layers"]):
            entries, size = apply(tree, archive.extractfile(name).read())
            layers.append({"index": index, "diffID": diff_ids[index], "entries": entries, "sizeBytes": size})
        files = [p for p, r in tree.items() if r["kind"] != "dir"]
        images.append({
            "tag": (entry.get("RepoTags") or [""])[0], "layers": layers,
            "sizeBytes": sum(l["sizeBytes"] for l in layers), "fileCount": len(files),
            "finalBytes": sum(r["size"] for r in tree.values()),
        })
        trees.append(tree)
    diffs = []
    base = trees[0]
    for other in trees[1:]:
        added = {"/" + p: r["size"] for p, r in other.items() if p not in base and r["kind"] != "dir"}
        removed = {"/" + p: r["size"] for p, r in base.items() if p not in other and r["kind"] != "dir"}
        changed = {}
        for p, a in base.items():
            b = other.get(p)
            if b is None or a["kind"] == "dir" and b["kind"] == "dir":
                continue
            what = [k for k in ("kind", "size", "mode", "uid", "gid", "link") if a[k] != b[k]]
            if a["kind"] == b["kind"] == "file" and a["size"] == b["size"] and a["sha256"] != b["sha256"]:
                what.append("content")
            if what:
                changed["/" + p] = {"before": a["size"], "after": b["size"], "what": what}
        diffs.append({"added": added, "removed": removed, "changed": changed})
    json.dump({"images": images, "diffs": diffs}, sys.stdout, indent=1, sort_keys=True)
    print()


if __name__ == "__main__":
    main()
