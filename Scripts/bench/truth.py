#!/usr/bin/env python3
"""truth.py — tar-header ground truth for a one-image archive, independent of strata.

Reads the archive and its layers' headers with Python's `tarfile` through Scripts/oci_truth.py
(uncompressed layers in place, so a million-entry image needs no copy). Prints JSON:

    {"layers": [{"entries", "sizeBytes", "whiteouts"}...], "sizeBytes", "fileCount", "finalBytes",
     "directoryCount", "whiteouts"}

per layer: entries (`.` excluded, whiteout markers included), the sum of header sizes and the
whiteout markers (`.wh.*`, opaque included; also summed for the image); for the
merged filesystem (OCI image-spec whiteout rules: a layer's `.wh.NAME` and `.wh..wh..opq` act on
the layers below it, then its entries apply; a non-directory replaces a directory's whole subtree):
non-directory paths and the bytes of regular files (hard links count 0: their target holds the bytes).

    truth.py IMAGE.tar [--compare STRATA.json]

With --compare, checks strata's summary.sizeBytes, summary.fileCount, summary.finalBytes,
layers[].sizeBytes and layers[].entries against the truth, prints PASS or FAIL with the
differences, and exits 0 or 1.
"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import oci_truth  # noqa: E402  (Scripts/oci_truth.py: the merge rules, shared by every truth script)


def truth(path):
    found = oci_truth.images(path)
    if len(found) != 1:
        sys.exit("truth.py: expected one image in %s, found %d" % (path, len(found)))
    tree = oci_truth.MergedTree()
    layers = []
    for layer in found[0]["layers"]:
        members = [m for m in layer.open() if oci_truth.norm(m.name) != ""]
        whiteouts = tree.apply(members, record=lambda m: m.size if m.isreg() else 0)
        layers.append({"entries": len(members), "sizeBytes": sum(m.size for m in members), "whiteouts": whiteouts})
    files = dirs = final = 0
    for _, node in tree.walk():
        if node.children is not None:
            dirs += 1
        else:
            files += 1
            final += node.record
    return {"layers": layers, "sizeBytes": sum(l["sizeBytes"] for l in layers),
            "fileCount": files, "finalBytes": final, "directoryCount": dirs,
            "whiteouts": sum(l["whiteouts"] for l in layers)}


def compare(t, s):
    diffs = []
    summ = s.get("summary", {})
    for k in ("sizeBytes", "fileCount", "finalBytes"):
        if summ.get(k) != t[k]:
            diffs.append("summary.%s: strata %s, tar headers %s" % (k, summ.get(k), t[k]))
    sl = s.get("layers", [])
    if len(sl) != len(t["layers"]):
        diffs.append("layer count: strata %d, tar headers %d" % (len(sl), len(t["layers"])))
    for i, (a, b) in enumerate(zip(sl, t["layers"])):
        for k in ("sizeBytes", "entries"):
            if a.get(k) != b[k]:
                diffs.append("layers[%d].%s: strata %s, tar headers %s" % (i, k, a.get(k), b[k]))
    return diffs


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("image")
    ap.add_argument("--compare", metavar="STRATA_JSON")
    ap.add_argument("--truth-json", metavar="FILE", help="reuse (or write) the computed truth here")
    a = ap.parse_args()
    t = None
    if a.truth_json:
        try:
            with open(a.truth_json) as f:
                t = json.load(f)
        except (OSError, ValueError):
            t = None
    if t is None:
        t = truth(a.image)
        if a.truth_json:
            with open(a.truth_json, "w") as f:
                json.dump(t, f)
    if not a.compare:
        json.dump(t, sys.stdout, indent=1)
        print()
        return 0
    with open(a.compare) as f:
        s = json.load(f)
    diffs = compare(t, s)
    if diffs:
        print("FAIL")
        for d in diffs[:20]:
            print("  " + d)
        return 1
    print("PASS (%d layers, %d files, %d final bytes, %d layer bytes)"
          % (len(t["layers"]), t["fileCount"], t["finalBytes"], t["sizeBytes"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
