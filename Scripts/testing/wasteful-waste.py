#!/usr/bin/env python3
"""The reclaimable waste of Fixtures/images/wasteful/wasteful.tar under
Fixtures/budgets/every-rule.strata.yaml, from the tar headers (Python's tarfile), never from strata.

Tests/ToolTests/CIBudgetTests.swift runs it and expects `strata ci`'s `max-waste` figure to equal
what it prints. The budget excludes /app/.git/** and /opt/app/**; what stays reclaimable, by the
Dockerfile's steps (see Fixtures/images/wasteful/README.md):

  package-cache          W1, layer 1: every file (apt lists)
  language-cache         W2, layer 2: every file (pip cache)
  hidden-by-later-layer  W3, layer 3: the files under etc/myapp, hidden by W9's opaque whiteout
                         W4, layer 4: the installer, deleted by W7's whiteout
  metadata-rewrite       W5, layer 5: the files under app/ that W8's chown/chmod rewrote with the
                         same bytes, less the excluded app/.git
The duplicate model (W6, /opt/app) is excluded; bytecode is to review, not reclaimable.

Prints one JSON object: each category's bytes and their total.
"""
import io
import json
import os
import sys
import tarfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ARCHIVE = os.path.join(ROOT, "Fixtures/images/wasteful/wasteful.tar")


def layers(path):
    """Each layer of the archive's first image, as a list of TarInfo."""
    with tarfile.open(path) as archive:
        manifest = json.load(archive.extractfile("manifest.json"))[0]
        result = []
        for name in manifest["Layers"]:
            data = archive.extractfile(name).read()
            with tarfile.open(fileobj=io.BytesIO(data)) as layer:
                result.append(layer.getmembers())
        return result


def files(members, prefix=""):
    """Regular files whose path starts with `prefix`, by path."""
    return {m.name.lstrip("./"): m.size for m in members if m.isfile() and m.name.lstrip("./").startswith(prefix)}


def main():
    image = layers(sys.argv[1] if len(sys.argv) > 1 else ARCHIVE)
    rewritten = files(image[8], "app/")
    same = {p: s for p, s in files(image[5], "app/").items() if rewritten.get(p) == s and not p.startswith("app/.git/")}
    categories = {
        "package-cache": sum(files(image[1]).values()),
        "language-cache": sum(files(image[2]).values()),
        "hidden-by-later-layer": sum(files(image[3], "etc/myapp/").values()) + sum(files(image[4]).values()),
        "metadata-rewrite": sum(same.values()),
    }
    print(json.dumps({"categories": categories, "total": sum(categories.values())}, sort_keys=True))


if __name__ == "__main__":
    main()
