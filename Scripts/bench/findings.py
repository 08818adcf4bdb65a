#!/usr/bin/env python3
"""findings.py — checks on strata's JSON report for Scripts/bench.sh.

  findings.py --read REPORT.json IMAGE.tar   how much of the archive strata read, by purpose
  findings.py --same BEFORE.json AFTER.json  whether the waste findings are the same

Prints one line starting with PASS or FAIL (for --read, PASS means file contents read, every
purpose but the header pass, come to at most 5 % of the archive)."""
import json
import os
import sys


def read_share(report, image):
    """Content read (every purpose but the header pass) as a share of the archive; PASS at 5 %."""
    with open(report) as f:
        doc = json.load(f)
    total = os.path.getsize(image)
    img = doc.get("image", {})
    by = img.get("bytesReadBy")
    if by is None:
        print("FAIL (this strata does not report image.bytesReadBy; it read %.1f MB in its header pass)" % (
            img.get("bytesRead", 0) / 1e6))
        return
    headers = by.get("headers", 0)
    content = sum(v for k, v in by.items() if k != "headers")
    share = content / total * 100 if total else 0
    parts = ", ".join("%s %.1f MB" % (k, v / 1e6) for k, v in sorted(by.items()))
    print("%s %.2f%% of the archive read for contents (%.1f MB of %.1f MB; with the header pass %.1f MB = %.1f%%; %s)" % (
        "PASS" if share <= 5 else "FAIL", share, content / 1e6, total / 1e6, (headers + content) / 1e6,
        (headers + content) / total * 100 if total else 0, parts))


def findings(path):
    with open(path) as f:
        waste = json.load(f).get("waste") or {}
    return {"findings": waste.get("findings"), "reclaimableBytes": waste.get("reclaimableBytes"),
            "bytesByCategory": waste.get("bytesByCategory")}


def same(before, after):
    a, b = findings(before), findings(after)
    if a == b:
        print("PASS (%d findings, %d reclaimable bytes, identical)" % (len(a["findings"] or []), a["reclaimableBytes"] or 0))
        return
    fa, fb = a["findings"] or [], b["findings"] or []
    key = lambda f: (f.get("category"), f.get("layer"), f.get("hiddenBy"), f.get("title"))
    ka, kb = {key(f): f for f in fa}, {key(f): f for f in fb}
    diffs = []
    for k in sorted(set(ka) | set(kb), key=str):
        if ka.get(k) != kb.get(k):
            x, y = ka.get(k), kb.get(k)
            diffs.append("%s: %s → %s" % (k, x and (x["bytes"], x["fileCount"]), y and (y["bytes"], y["fileCount"])))
    print("FAIL (%d vs %d findings; reclaimable %s vs %s; %s)" % (
        len(fa), len(fb), a["reclaimableBytes"], b["reclaimableBytes"], "; ".join(diffs[:5]) or "order differs"))


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--read":
        read_share(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 4 and sys.argv[1] == "--same":
        same(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
