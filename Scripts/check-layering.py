#!/usr/bin/env python3
"""Checks the one-way layering of strata's targets against docs/architecture.md's table.

Fails (exit 1, one line per problem) when
  - a file under Sources/<Target>/ imports a target its row does not list,
  - a row lists a target on the same layer or above (an arrow pointing the wrong way),
  - Package.swift gives a target a dependency its row does not list, or a target has no row.
The platform's modules (Foundation, Glibc, Darwin, Dispatch, Synchronization) are allowed
everywhere. Run by Tests/ToolTests/LayeringTests.swift. Usage: check-layering.py [REPOSITORY]
"""
import os
import re
import sys

# The repository (or, for the check's own test, the directory given as the argument).
ROOT = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PLATFORM = {"Foundation", "Glibc", "Darwin", "Dispatch", "Synchronization", "Testing"}
EXTERNAL_LAYER = {"ArgumentParser": 0}
IMPORT = re.compile(r"^\s*(?:@\w+\s+)*(?:(?:public|package|internal|private|fileprivate)\s+)?import\s+(?:(?:struct|class|enum|func|var|let|protocol|typealias)\s+)?([A-Za-z_][A-Za-z0-9_]*)", re.M)


def table():
    """{target: (layer, set of allowed imports)} from docs/architecture.md."""
    rows = {}
    with open(os.path.join(ROOT, "docs/architecture.md"), encoding="utf-8") as doc:
        for line in doc:
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            if len(cells) != 4 or not cells[1].isdigit():
                continue
            allowed = {name.strip() for name in cells[3].split(",") if name.strip()}
            rows[cells[0]] = (int(cells[1]), allowed)
    return rows


def package_dependencies():
    """{target: set of dependencies} from Package.swift (names and .product names)."""
    text = open(os.path.join(ROOT, "Package.swift"), encoding="utf-8").read()
    result = {}
    pattern = re.compile(r"\.(?:target|executableTarget|systemLibrary)\(\s*name:\s*\"([^\"]+)\"(.*?)(?=\n\s*\.(?:target|executableTarget|systemLibrary|testTarget)\(|\n\s*\],\s*\n\s*swiftLanguageModes|\Z)", re.S)
    for match in pattern.finditer(text):
        name, rest = match.group(1), match.group(2)
        deps = set()
        found = re.search(r"dependencies:\s*\[(.*?)\]", rest, re.S)
        if found:
            deps |= set(re.findall(r"\.product\(name:\s*\"([^\"]+)\"", found.group(1)))
            deps |= set(re.findall(r"(?<![:\w])\"([A-Za-z][A-Za-z0-9_-]*)\"", re.sub(r"\.product\([^)]*\)", "", found.group(1))))
        result[name] = deps
    return result


def main():
    rows = table()
    problems = []
    layer_of = {name: layer for name, (layer, _) in rows.items()} | EXTERNAL_LAYER
    for target, (layer, allowed) in sorted(rows.items()):
        for name in sorted(allowed):
            if name not in layer_of:
                problems.append(f"docs/architecture.md: {target} may import {name}, which has no row")
            elif layer_of[name] >= layer:
                problems.append(
                    f"docs/architecture.md: {target} (layer {layer}) may import {name} (layer {layer_of[name]}): "
                    "arrows must point down")
    sources = os.path.join(ROOT, "Sources")
    for target in sorted(os.listdir(sources)):
        if target not in rows:
            problems.append(f"Sources/{target}: no row in docs/architecture.md")
            continue
        allowed = rows[target][1] | PLATFORM | {target}
        for directory, _, files in os.walk(os.path.join(sources, target)):
            for file in sorted(files):
                if not file.endswith(".swift"):
                    continue
                path = os.path.join(directory, file)
                for name in IMPORT.findall(open(path, encoding="utf-8").read()):
                    if name not in allowed:
                        problems.append(f"{os.path.relpath(path, ROOT)}: imports {name}, which {target} may not")
    for target, deps in sorted(package_dependencies().items()):
        if not os.path.isdir(os.path.join(sources, target)):
            continue  # test support, under Tests/
        if target not in rows:
            problems.append(f"Package.swift: target {target} has no row in docs/architecture.md")
            continue
        for name in sorted(deps - rows[target][1]):
            problems.append(f"Package.swift: {target} depends on {name}, which its row does not list")
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
