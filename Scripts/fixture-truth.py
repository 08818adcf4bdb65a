#!/usr/bin/env python3
"""Ground truth for strata's image fixtures, computed with python's tarfile module only.

Usage: fixture-truth.py OUT_DIR DESCRIPTIONS.json (run by Scripts/make-fixtures.sh, which writes
the descriptions). For every archive under OUT_DIR/<image>/ this writes <archive-stem>.truth.json
and (re)writes OUT_DIR/<image>/README.md (description + Dockerfile + tables + dive summary). The
archives are read and merged by Scripts/oci_truth.py.

Definitions (so tests can assert on them without ambiguity):
  layer.entries        number of tar headers in the (uncompressed) layer tar, whiteouts included
  layer.sum_sizes      sum of TarInfo.size over all those headers (hard links/dirs/symlinks are 0)
  layer.whiteouts      entries whose basename starts with ".wh." (opaque markers included)
  layer.opaque         entries whose basename is ".wh..wh..opq"
  merged               the final filesystem after applying layers in manifest order with OCI/Docker
                       whiteout rules (a whiteout hides lower-layer paths only; an opaque marker hides
                       all lower-layer children of its directory; a non-directory replaces a lower
                       directory with its whole subtree). Paths are normalised (no "./", no "/" ends).
  merged.files         non-directory entries (regular + symlink + hardlink + other)
  merged.total_bytes   sum of TarInfo.size over merged entries (i.e. regular files' bytes; a hard
                       link's own header has size 0)
"""
import hashlib, json, os, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import oci_truth  # noqa: E402  (Scripts/oci_truth.py: the merge rules, shared by every truth script)

OUT = sys.argv[1]
DESCRIPTIONS = json.load(open(sys.argv[2]))

def layer_stats(raw, members):
    wh = [m for m in members if os.path.basename(oci_truth.norm(m.name)).startswith(".wh.")]
    op = [m for m in wh if os.path.basename(oci_truth.norm(m.name)) == ".wh..wh..opq"]
    return {
        "entries": len(members),
        "sum_sizes": sum(m.size for m in members),
        "whiteouts": len(wh),
        "opaque": len(op),
        "whiteout_paths": [oci_truth.norm(m.name) for m in wh],
        "diff_id": "sha256:" + hashlib.sha256(raw).hexdigest(),
    }

def merged_counts(tree):
    """Counts of the merged tree's paths that a layer names (implied parents left out)."""
    state = [node.record for _, node in tree.walk() if node.record is not None]
    counts = {"dir": 0, "file": 0, "symlink": 0, "hardlink": 0, "other": 0}
    for m in state:
        counts[oci_truth.kind(m)] += 1
    return {
        "entries": len(state),
        "files": len(state) - counts["dir"],
        "regular_files": counts["file"], "dirs": counts["dir"], "symlinks": counts["symlink"],
        "hardlinks": counts["hardlink"], "other": counts["other"],
        "total_bytes": sum(m.size for m in state),
    }

def history_commands(config):
    return [(h.get("created_by", ""), bool(h.get("empty_layer"))) for h in config.get("history", [])]

def image_truth(image):
    hist = [c for c, empty in history_commands(image["config"]) if not empty]
    out_layers, tree = [], oci_truth.MergedTree()
    for i, layer in enumerate(image["layers"]):
        members = layer.open().getmembers()
        tree.apply(members)
        st = {"index": i, "path": layer.path, **({"media_type": layer.media_type} if layer.media_type else {}),
              "blob_bytes": layer.blob_bytes, **layer_stats(layer.raw(), members),
              "created_by": hist[i] if i < len(hist) else None}
        out_layers.append(st)
    diff_ids = image["config"].get("rootfs", {}).get("diff_ids", [])
    assert diff_ids == [l["diff_id"] for l in out_layers], f"{image['ref']}: diff_ids mismatch"
    return {"ref": image["ref"], "layers": out_layers, "merged": merged_counts(tree)}

def layout_of(path, images):
    names = oci_truth.archive_members(path)
    if "manifest.json" not in names:
        return "oci-archive", "OCI image layout (oci-layout + index.json + blobs/sha256)"
    if "oci-layout" in names:
        return "docker-archive", "Docker 25+ layout (manifest.json -> blobs/sha256/..., plus index.json and oci-layout)"
    if all(l.path.endswith("/layer.tar") for image in images for l in image["layers"]):
        return "docker-archive", "legacy layout (manifest.json -> <id>/layer.tar)"
    return "docker-archive", "legacy manifest.json layout, podman flavour (manifest.json -> top-level <diffid>.tar; <id>/layer.tar are symlinks to them)"

def truth_for(path):
    images = oci_truth.images(path)
    form, layout = layout_of(path, images)
    tr = {"format": form, "layout": layout, "images": [image_truth(image) for image in images]}
    tr["archive"] = os.path.basename(path)
    tr["archive_bytes"] = os.path.getsize(path)
    tr["archive_sha256"] = hashlib.sha256(open(path, "rb").read()).hexdigest()
    return tr

def md_escape(s):
    return (s or "").replace("|", "\\|").replace("\n", " ")

def short(s, n=90):
    s = md_escape(s)
    return s if len(s) <= n else s[: n - 1] + "…"

for image in sorted(os.listdir(OUT)):
    d = os.path.join(OUT, image)
    if not os.path.isdir(d):
        continue
    archives = sorted(f for f in os.listdir(d) if f.endswith(".tar"))
    if not archives:
        continue
    desc = DESCRIPTIONS.get(image, {})
    lines = [f"# Fixture: `{image}`", "", desc.get("intro", ""), ""]
    lines += ["## Archives", "", "| file | bytes | how it was produced |", "|---|---:|---|"]
    for a in archives:
        lines.append(f"| `{a}` | {os.path.getsize(os.path.join(d, a))} | {md_escape(desc.get('archives', {}).get(a, ''))} |")
    lines += ["", "All of it is reproduced by `Scripts/make-fixtures.sh` (see the comments there).", ""]
    if os.path.exists(os.path.join(d, "Dockerfile")):
        lines += ["## Dockerfile", "", "Built with `buildah bud --isolation chroot --layers --format docker --timestamp 1700000000` "
                  "on the overlay storage driver, from the base image `localhost/strata/busybox-base:1.35` "
                  "(Debian's busybox-static binary plus one absolute symlink per applet, added to `FROM scratch` with `ADD busybox-rootfs.tar /` as a single layer).", "",
                  "```dockerfile", open(os.path.join(d, "Dockerfile")).read().rstrip(), "```", ""]
    for note in desc.get("notes", []):
        lines.append(f"- {note}")
    if desc.get("notes"):
        lines.append("")
    lines += ["## Ground truth", "",
              "Computed by `Scripts/fixture-truth.py` with `tarfile` only (never strata). "
              "Per archive, the same numbers are in `<archive>.truth.json` (plus each layer's whiteout paths and diff_id). "
              "`entries` = tar headers in the uncompressed layer tar; `sum sizes` = sum of `TarInfo.size` over them; "
              "`wh` = whiteouts (basename starts with `.wh.`, opaque markers included); `opq` = `.wh..wh..opq` markers. "
              "Merged: layers applied in manifest order with whiteout rules; `files` = non-directory entries "
              "(regular + symlink + hardlink); `bytes` = sum of `TarInfo.size` of the merged entries.", ""]
    for a in archives:
        tr = truth_for(os.path.join(d, a))
        stem = a[:-4]
        with open(os.path.join(d, stem + ".truth.json"), "w") as f:
            json.dump(tr, f, indent=1, ensure_ascii=False); f.write("\n")
        lines += [f"### `{a}` — {tr['format']}, {tr['layout']}", ""]
        for img in tr["images"]:
            if len(tr["images"]) > 1:
                lines += [f"#### image `{img['ref']}`", ""]
            lines += ["| # | layer tar path | blob bytes | entries | sum sizes | wh | opq | created by |",
                      "|---:|---|---:|---:|---:|---:|---:|---|"]
            for l in img["layers"]:
                mt = f" ({l['media_type'].rsplit('.', 1)[-1]})" if l.get("media_type") else ""
                lines.append(f"| {l['index']} | `{l['path']}`{mt} | {l['blob_bytes']} | {l['entries']} | {l['sum_sizes']} | "
                             f"{l['whiteouts']} | {l['opaque']} | {short(l['created_by'])} |")
            m = img["merged"]
            lines += ["", f"Merged: **{m['files']} files** (non-directories: {m['regular_files']} regular, {m['symlinks']} symlinks, "
                      f"{m['hardlinks']} hard links, {m['other']} other) + {m['dirs']} directories = {m['entries']} entries; "
                      f"**{m['total_bytes']} bytes** total.", ""]
            wh = [p for l in img["layers"] for p in l["whiteout_paths"]]
            if wh:
                lines += ["Whiteouts: " + ", ".join(f"`{p}`" for p in wh), ""]
        dj = os.path.join(d, stem + ".dive.json")
        if os.path.exists(dj):
            dv = json.load(open(dj))
            if "image" in dv:
                im = dv["image"]
                lines += [f"dive 0.13.1 (`{stem}.dive.json`): efficiency **{im['efficiencyScore']:.6f}**, "
                          f"inefficientBytes **{im['inefficientBytes']}**, image sizeBytes {im['sizeBytes']}; "
                          "per-layer sizeBytes: " + ", ".join(str(l["sizeBytes"]) for l in dv["layer"]) + ".", ""]
                if im.get("fileReference"):
                    lines += ["dive's inefficient paths: " + ", ".join(f"`{r['file']}` (x{r['count']}, {r['sizeBytes']} B)" for r in im["fileReference"]), ""]
            else:
                lines += [f"dive 0.13.1 could **not** read this archive: {md_escape(dv.get('error',''))} (log tail in `{stem}.dive.json`).", ""]
    with open(os.path.join(d, "README.md"), "w") as f:
        f.write("\n".join(lines).rstrip() + "\n")
    print("wrote", os.path.join(d, "README.md"))
