#!/usr/bin/env python3
"""report.py — the Markdown results table of Scripts/bench.sh (medians, ratios, targets)."""
import argparse
import json
import os
import platform
import statistics
import subprocess
from collections import defaultdict

TOOLS = ["strata-file", "strata-redirect", "strata-pipe", "strata-text", "strata-csv", "strata-markdown",
         "strata-html", "strata-ci", "strata-compare", "strata-explore", "pipe-floor", "dive", "tar", "floor"]
REAL = ("real-dev", "real-1gb")


def machine():
    cpu = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = 0
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                mem = int(line.split()[1]) / 1024 / 1024
    return "%d cores (nproc), %.0f GiB RAM, %s, Linux %s" % (os.cpu_count(), mem, cpu, platform.release())


def version(cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=30).stdout.strip().splitlines()[0]
    except Exception:
        return "?"


def fmt_s(v):
    # Milliseconds shown: the header walk of a 1 GB image takes 0.04 s.
    return "%.3f" % v if v < 10 else "%.2f" % v if v < 100 else "%.0f" % v


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--raw", required=True)
    ap.add_argument("--check", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--strata", required=True)
    ap.add_argument("--dive", default="")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--dive-timeout", type=int, default=900)
    ap.add_argument("--strata-timeout", type=int, default=1800)
    a = ap.parse_args()

    runs = defaultdict(list)        # (img, tool) -> [(wall, rss_kb, status, cpu)]
    order = []
    loads = []
    with open(a.raw) as f:
        for line in f:
            img, tool, _, wall, rss, status, cpu, load = line.rstrip("\n").split("\t")
            if img not in order:
                order.append(img)
            runs[(img, tool)].append((float(wall or 0), int(rss or 0), status, float(cpu or 0)))
            loads.append(float(load or 0))

    med = {}                        # (img, tool) -> (wall, rss_mb, note, cpu)  wall None if unknown
    for key, rs in runs.items():
        ok = [r for r in rs if r[2] == "ok"]
        if ok:
            med[key] = (statistics.median(r[0] for r in ok), statistics.median(r[1] for r in ok) / 1024,
                        "" if len(ok) == len(rs) else "%d of %d runs failed" % (len(rs) - len(ok), len(rs)),
                        statistics.median(r[3] for r in ok))
        elif any(r[2] == "timeout" for r in rs):
            med[key] = (None, max(r[1] for r in rs) / 1024, "timeout", max(r[3] for r in rs))
        else:
            med[key] = (None, None, rs[0][2], None)

    harness = os.path.join(os.path.dirname(a.raw), "harness-ns")
    harness_ms = int(open(harness).read().strip() or 0) / 1e6 if os.path.exists(harness) else 0.0
    print("### Results\n")
    print("Machine: %s.  " % machine())
    print("strata: `%s` (%s); dive: %s; %d runs each, medians; page cache warm; "
          "1-minute load average during the runs %.1f–%.1f (cpu s = user + system, "
          "less sensitive to other load than wall time); wall times are less the harness's own "
          "start (`/usr/bin/time` and `timeout` around `true`: %.1f ms).\n"
          % (a.strata, version([a.strata, "--version"]),
             version([a.dive, "--version"]) if a.dive else "not run", a.runs,
             min(loads or [0]), max(loads or [0]), harness_ms))
    print("| image | archive | layers | files (final) | whiteouts | built in |")
    print("|---|---:|---:|---:|---:|---:|")
    for img in order:
        t = {}
        try:
            with open(os.path.join(a.work, img + ".truth.json")) as f:
                t = json.load(f)
        except (OSError, ValueError):
            pass
        size = os.path.getsize(os.path.join(a.work, img + ".tar")) / 1e9
        bt = "?"
        try:
            with open(os.path.join(a.work, img + ".buildtime")) as f:
                bt = "%s s" % f.read().strip()
        except OSError:
            pass
        wh = "{:,}".format(t["whiteouts"]) if "whiteouts" in t else "?"
        print("| %s | %.2f GB | %s | %s | %s | %s |" % (
            img, size, len(t.get("layers", [])) or "?",
            "{:,}".format(t["fileCount"]) if "fileCount" in t else "?", wh, bt))
    print()
    print("`floor` is Scripts/bench/headerwalk.c: libarchive reading every header of the image and of its "
          "layers, seeking over contents. `strata-compare` compares the image with itself (two loads); "
          "`strata-explore` is the time to the explorer's first screen in a pseudo-terminal.\n")
    print("| image | tool | wall s | cpu s | peak RSS MB | wall ÷ floor | wall ÷ dive | RSS ÷ dive |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for img in order:
        dv = med.get((img, "dive"))
        fl = med.get((img, "floor"))
        for tool in TOOLS:
            m = med.get((img, tool))
            if m is None:
                continue
            wall, rss, note, cpu = m
            if wall is None and note == "timeout":
                ws = "> %d (killed)" % (a.dive_timeout if tool == "dive" else a.strata_timeout)
            elif wall is None:
                ws = "failed (%s)" % note
            else:
                ws = fmt_s(wall) + (" (%s)" % note if note else "")
            rs = "%.0f" % rss if rss is not None else "?"
            rw = rr = rf = ""
            if tool.startswith("strata") and fl and fl[0] and wall is not None:
                rf = "%.1f" % (wall / fl[0])
            if tool.startswith("strata") and dv and wall is not None:
                if dv[0] is not None:
                    rw = "%.2f" % (wall / dv[0])
                elif dv[2] == "timeout":       # dive was killed: its real figures are larger
                    rw = "< %.3f" % (wall / a.dive_timeout)
                if dv[1] and rss is not None:
                    rr = ("%.2f" if dv[0] is not None else "< %.2f") % (rss / dv[1])
            cs = ("%.2f" % cpu if cpu < 100 else "%.0f" % cpu) if cpu is not None else "?"
            print("| %s | %s | %s | %s | %s | %s | %s | %s |" % (img, tool, ws, cs, rs, rf, rw, rr))
    print()

    # ---- targets
    def w(img, tool):
        m = med.get((img, tool))
        return m[0] if m else None

    def r(img, tool):
        m = med.get((img, tool))
        return m[1] if m else None

    rows = []

    def target(name, ok, detail):
        rows.append("| %s | %s | %s |" % (name, "—" if ok is None else ("met" if ok else "**MISSED**"), detail))

    if w("synth-50k-wh", "strata-file") is not None and w("synth-50k", "strata-file"):
        x = w("synth-50k-wh", "strata-file") / w("synth-50k", "strata-file")
        d = ""
        if w("synth-50k-wh", "dive") and w("synth-50k", "dive"):
            d = "; dive %.3f s vs %.3f s (%.1f×)" % (w("synth-50k-wh", "dive"), w("synth-50k", "dive"),
                                                      w("synth-50k-wh", "dive") / w("synth-50k", "dive"))
        target("whiteouts: strata on 50k+400 whiteouts ≤ 2× without", x <= 2,
               "%.3f s vs %.3f s = %.2f×%s" % (w("synth-50k-wh", "strata-file"), w("synth-50k", "strata-file"), x, d))
    for img in REAL:
        sw, fw, dw = w(img, "strata-file"), w(img, "floor"), w(img, "dive")
        if sw is None:
            continue
        if dw:
            target("%s: strata ≥ 10× faster than dive" % img, dw / sw >= 10,
                   "%.3f s vs %.3f s: %.1f× faster" % (sw, dw, dw / sw))
            y = r(img, "strata-file") / r(img, "dive")
            target("%s: strata peak RSS ≤ 1/3 of dive's" % img, y <= 1 / 3,
                   "%.0f MB vs %.0f MB = %.2f" % (r(img, "strata-file"), r(img, "dive"), y))
        if fw:
            target("%s: strata ≤ 2× the header walk" % img, sw / fw <= 2,
                   "%.3f s vs %.3f s = %.1f×" % (sw, fw, sw / fw))
            ew = w(img, "strata-explore")
            if ew is not None:
                target("%s: explorer's first screen ≤ 2× the header walk" % img, ew / fw <= 2,
                       "%.3f s vs %.3f s = %.1f×" % (ew, fw, ew / fw))
    if w("synth-1m", "strata-file") is not None and w("synth-1m", "floor"):
        sw, fw = w("synth-1m", "strata-file"), w("synth-1m", "floor")
        target("1M files: ≤ 3× the header walk", sw / fw <= 3, "%.3f s vs %.3f s = %.1f×" % (sw, fw, sw / fw))
        target("1M files: peak RSS < 200 MB", r("synth-1m", "strata-file") < 200, "%.0f MB" % r("synth-1m", "strata-file"))
    if w("real-1gb", "strata-file") is not None and w("real-1gb", "dive"):
        x = w("real-1gb", "dive") / w("real-1gb", "strata-file")
        target("real ≥ 1 GB: strata ≥ 5× faster than dive", x >= 5,
               "%.3f s vs %.3f s: %.2f× faster" % (w("real-1gb", "strata-file"), w("real-1gb", "dive"), x))
        y = r("real-1gb", "strata-file") / r("real-1gb", "dive")
        target("real ≥ 1 GB: strata peak RSS ≤ 1/3 of dive's", y <= 1 / 3,
               "%.0f MB vs %.0f MB = %.2f" % (r("real-1gb", "strata-file"), r("real-1gb", "dive"), y))
    if ("synth-1m", "strata-file") in med:
        sw, sr = w("synth-1m", "strata-file"), r("synth-1m", "strata-file")
        if sw is None:
            target("1M files: completes", False, med[("synth-1m", "strata-file")][2])
        else:
            target("1M files: peak RSS < 400 MB", sr < 400, "%.0f MB" % sr)
            dm = med.get(("synth-1m", "dive"))
            if dm and dm[0] is not None:
                target("1M files: faster than dive", sw < dm[0], "%.1f s vs %.1f s" % (sw, dm[0]))
            elif dm and dm[2] == "timeout":
                target("1M files: faster than dive", sw < a.dive_timeout,
                       "%.1f s vs dive > %d s (killed)" % (sw, a.dive_timeout))
    for img in order:
        f, rd, pp, fl = w(img, "strata-file"), w(img, "strata-redirect"), w(img, "strata-pipe"), w(img, "pipe-floor")
        if f and rd is not None:
            target("%s: stdin (`- < IMG`) ≤ 1.5× file mode" % img, rd / f <= 1.5,
                   "%.3f s vs %.3f s = %.2f×" % (rd, f, rd / f))
        if f and pp is not None:
            floor = ""
            if fl is not None:
                floor = "; `cat IMG | cat > /dev/null` alone takes %.3f s = %.2f× file mode%s" % (
                    fl, fl / f, " (a pipe cannot be read faster)" if fl / f > 1.5 else "")
            target("%s: stdin (`cat IMG |`) ≤ 1.5× file mode" % img, pp / f <= 1.5,
                   "%.3f s vs %.3f s = %.2f×%s" % (pp, f, pp / f, floor))
    with open(a.check) as f:
        for line in f:
            img, mode, res = line.rstrip("\n").split("\t", 2)
            if mode == "read":
                target("%s: content read ≤ 5%% of the archive" % img,
                       res.startswith("PASS") if img in REAL else None, res.strip())
                continue
            if mode == "findings":
                target("%s: waste findings = BASELINE_STRATA's" % img, res.startswith("PASS"), res.strip())
                continue
            target("%s: strata %s-mode totals = tar headers" % (img, mode), res.startswith("PASS"), res.strip())
    print("| target | | |")
    print("|---|---|---|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
