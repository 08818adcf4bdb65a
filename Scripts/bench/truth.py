#!/usr/bin/env python3
"""truth.py — tar-header ground truth for a legacy docker-archive, independent of strata.

Reads the outer archive with Python's `tarfile`, follows manifest.json to the layer tars (plain,
or symlinked inside the archive as Docker dedupes them), and reads every layer's headers with
`tarfile` too. Prints JSON:

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
import posixpath
import sys
import tarfile


class Window:
    """A read-only view of [start, start+size) of a file, for tarfile."""

    def __init__(self, f, start, size):
        self.f, self.start, self.size, self.pos = f, start, size, 0

    def read(self, n=-1):
        if n is None or n < 0 or self.pos + n > self.size:
            n = self.size - self.pos
        self.f.seek(self.start + self.pos)
        b = self.f.read(n)
        self.pos += len(b)
        return b

    def seek(self, off, whence=0):
        self.pos = off if whence == 0 else (self.pos + off if whence == 1 else self.size + off)
        return self.pos

    def tell(self):
        return self.pos


def norm(name):
    n = posixpath.normpath("/" + name).lstrip("/")
    return "" if n == "." else n


class Node:
    __slots__ = ("kind", "size", "children")

    def __init__(self, kind, size=0):
        self.kind = kind              # 'd' dir, 'f' regular, 'o' other non-directory
        self.size = size
        self.children = {} if kind == "d" else None


def lookup(root, parts):
    n = root
    for p in parts:
        if n.children is None:
            return None
        n = n.children.get(p)
        if n is None:
            return None
    return n


def ensure_dir(root, parts):
    n = root
    for p in parts:
        c = n.children.get(p)
        if c is None or c.kind != "d":
            c = Node("d")
            n.children[p] = c
        n = c
    return n


def layer_truth(f, start, size, root):
    t = tarfile.open(fileobj=Window(f, start, size), mode="r:")
    entries = 0
    total = 0
    whiteouts, opaques, adds = [], [], []
    for m in t:
        n = norm(m.name)
        if n == "":
            continue
        entries += 1
        total += m.size
        d, _, base = n.rpartition("/")
        if base == ".wh..wh..opq":
            opaques.append(d)
        elif base.startswith(".wh."):
            whiteouts.append((d, base[4:]))
        else:
            kind = "d" if m.isdir() else ("f" if m.isreg() else "o")
            adds.append((n, kind, m.size if kind == "f" else 0))
    t.close()
    nwh = len(whiteouts) + len(opaques)
    # whiteouts act on the layers below only: apply them before this layer's entries
    for d in opaques:
        node = lookup(root, d.split("/") if d else [])
        if node is not None and node.children is not None:
            node.children.clear()
    for d, name in whiteouts:
        node = lookup(root, d.split("/") if d else [])
        if node is not None and node.children is not None:
            node.children.pop(name, None)
    for n, kind, sz in adds:
        parts = n.split("/")
        parent = ensure_dir(root, parts[:-1])
        old = parent.children.get(parts[-1])
        if kind == "d":
            if old is None or old.kind != "d":
                parent.children[parts[-1]] = Node("d")
        else:
            parent.children[parts[-1]] = Node(kind, sz)
    return entries, total, nwh


def truth(path):
    with open(path, "rb") as f:
        outer = tarfile.open(fileobj=f, mode="r:")
        members = {}
        for m in outer:
            members[norm(m.name)] = m
        man = json.load(outer.extractfile(members["manifest.json"]))
        if len(man) != 1:
            sys.exit("truth.py: expected one image in manifest.json")
        root = Node("d")
        layers = []
        for name in man[0]["Layers"]:
            m = members[norm(name)]
            hops = 0
            while m.issym() and hops < 10:          # Docker's deduplicated layers
                m = members[norm(posixpath.join(posixpath.dirname(norm(m.name)), m.linkname))]
                hops += 1
            e, s, wh = layer_truth(f, m.offset_data, m.size, root)
            layers.append({"entries": e, "sizeBytes": s, "whiteouts": wh})
    files = dirs = final = 0
    stack = [root]
    while stack:
        n = stack.pop()
        for c in n.children.values():
            if c.kind == "d":
                dirs += 1
                stack.append(c)
            else:
                files += 1
                final += c.size
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
