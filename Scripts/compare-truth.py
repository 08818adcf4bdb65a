#!/usr/bin/env python3
"""Ground truth for `strata compare`, computed with python's tarfile only (never strata), by the
merge rules of Scripts/oci_truth.py.

Usage: compare-truth.py ARCHIVE.tar  (a `docker save` / `podman save -m` docker-archive)

Prints JSON: per image its layers (diffID, entries, header bytes), the merged filesystem's file
count and bytes, and the file-level differences of every image from the first: added, removed,
changed (with what changed: kind, size, mode, owner, link, content by sha256).
"""
import hashlib
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import oci_truth  # noqa: E402  (Scripts/oci_truth.py: the merge rules, shared by every truth script)


def record(tar, member):
    """What is compared of a path: kind, size, mode, owner, link target, content digest."""
    k = oci_truth.kind(member)
    return {
        "kind": k, "size": member.size if k == "file" else 0, "mode": member.mode & 0o7777,
        "uid": member.uid, "gid": member.gid, "link": member.linkname or None,
        "sha256": hashlib.sha256(tar.extractfile(member).read()).hexdigest() if k == "file" else None,
    }


def main():
    images = []
    trees = []
    for image in oci_truth.images(sys.argv[1]):
        diff_ids = image["config"]["rootfs"]["diff_ids"]
        merged = oci_truth.MergedTree()
        layers = []
        for index, layer in enumerate(image["layers"]):
            tar = layer.open()
            members = tar.getmembers()
            merged.apply(members, record=lambda m: record(tar, m))
            layers.append({"index": index, "diffID": diff_ids[index], "entries": len(members),
                           "sizeBytes": sum(m.size for m in members)})
        tree = {path: node.record for path, node in merged.walk() if node.record is not None}
        files = [p for p, r in tree.items() if r["kind"] != "dir"]
        images.append({
            "tag": (image["tags"] or [""])[0], "layers": layers,
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
