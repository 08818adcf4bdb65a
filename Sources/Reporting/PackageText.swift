import Analysis
import Comparison
import PackageDatabases

/// Draws package inventories (`strata analyze --packages`) and package differences.
package struct PackageText: Sendable {
  let exactBytes: Bool
  let style: Style
  let top: Int

  /// Creates a renderer.
  package init(exactBytes: Bool = false, style: Style = .plain, top: Int = 10) {
    self.exactBytes = exactBytes
    self.style = style
    self.top = top
  }

  init(options: CompareText.Options) {
    self.init(exactBytes: options.exactBytes, style: options.style, top: options.top)
  }

  var bytes: ByteFormat { ByteFormat(exact: exactBytes) }

  /// One image's packages: totals per ecosystem and the largest packages.
  package func inventory(_ inventory: PackageInventory) -> String {
    var out =
      style.apply(.heading, "Packages") + style.apply(.muted, "  (bytes: present files each package owns)") + "\n"
    if inventory.packages.isEmpty { out += "  no package database found\n" }
    let totals = inventory.totals()
    for ecosystem in inventory.ecosystems {
      guard let total = totals[ecosystem] else { continue }
      let where_ =
        (inventory.databases[ecosystem]?.count ?? 0) == 1 ? "  " + (inventory.databases[ecosystem]?.first ?? "") : ""
      out +=
        "  " + SafeText.pad(ecosystem.rawValue, to: 7) + SafeText.padLeft(String(total.count), to: 6) + " packages  "
        + SafeText.padLeft(bytes.format(total.bytes), to: 9) + style.apply(.muted, SafeText.escape(where_)) + "\n"
    }
    let largest = inventory.largest(limit: top)
    if !largest.isEmpty {
      out += "\n  " + style.apply(.heading, "Largest packages") + "\n"
      out += list(largest, symbol: " ", role: .emphasis)
    }
    for note in inventory.notes { out += style.apply(.warning, "  note: ") + SafeText.escape(note) + "\n" }
    return out
  }

  /// Every image's largest packages and each image's package differences from the baseline.
  package func comparison(_ comparison: ImageComparison, inventories: [PackageInventory]) -> String {
    var out =
      style.apply(.heading, "Packages") + style.apply(.muted, "  (bytes: present files each package owns)") + "\n"
    for (image, inventory) in zip(comparison.images, inventories) {
      let largest = inventory.largest(limit: top)
      out +=
        "\n  " + style.apply(.heading, SafeText.escape(image.label))
        + ": \(inventory.packages.count) \(inventory.packages.count == 1 ? "package" : "packages")"
      out += largest.isEmpty ? " (no package database found)\n" : ", largest:\n"
      out += list(largest, symbol: " ", role: .emphasis)
      for note in inventory.notes { out += style.apply(.warning, "    note: ") + SafeText.escape(note) + "\n" }
    }
    for (offset, diff) in (comparison.packageDiffs ?? []).enumerated() {
      let label = comparison.images[offset + 1].label
      out +=
        "\n  " + style.apply(.heading, "\(SafeText.escape(label)) vs \(SafeText.escape(comparison.baselineLabel))")
        + ": "
      out += style.apply(.added, "+\(diff.added.count) (\(bytes.format(diff.addedBytes)))") + "  "
      out += style.apply(.removed, "-\(diff.removed.count) (\(bytes.format(diff.removedBytes)))") + "  "
      out += style.apply(.changed, "~\(diff.changed.count)") + "  =\(diff.unchangedCount) unchanged"
      out += style.apply(.muted, byEcosystem(diff)) + "\n"
      out += list(Array(diff.added.prefix(top)), symbol: "+", role: .added)
      if diff.added.count > top { out += style.apply(.muted, "      … \(diff.added.count - top) more added") + "\n" }
      out += list(Array(diff.removed.prefix(top)), symbol: "-", role: .removed)
      if diff.removed.count > top {
        out += style.apply(.muted, "      … \(diff.removed.count - top) more removed") + "\n"
      }
      out += changes(Array(diff.changed.prefix(top)))
      if diff.changed.count > top {
        out += style.apply(.muted, "      … \(diff.changed.count - top) more changed") + "\n"
      }
    }
    return out
  }

  private func list(_ packages: [InstalledPackage], symbol: String, role: Style.Role) -> String {
    let sizes = packages.map { $0.bytes.map(bytes.format) ?? "?" }
    let width = max(8, sizes.map { SafeText.width($0) }.max() ?? 0)
    let nameWidth = min(40, packages.map { SafeText.width(SafeText.escape($0.name)) }.max() ?? 0)
    var out = ""
    for (package, size) in zip(packages, sizes) {
      out +=
        "    " + style.apply(role, symbol) + " " + SafeText.padLeft(size, to: width) + "  "
        + SafeText.pad(package.ecosystem.rawValue, to: 6) + " "
        + SafeText.pad(SafeText.escape(package.name), to: nameWidth)
        + "  " + SafeText.escape(package.version)
      if package.ecosystem == .python || package.ecosystem == .npm {
        out += style.apply(.muted, "  " + SafeText.escape(package.location))
      }
      if let owner = package.managedBy { out += style.apply(.muted, "  (from \(SafeText.escape(owner)))") }
      out += "\n"
    }
    return out
  }

  /// `  (dpkg +3 -1 ~2; python +1)`: the counts per ecosystem.
  private func byEcosystem(_ diff: PackageDiff) -> String {
    var parts: [String] = []
    for ecosystem in PackageEcosystem.allCases {
      let added = diff.added.filter { $0.ecosystem == ecosystem }.count
      let removed = diff.removed.filter { $0.ecosystem == ecosystem }.count
      let changed = diff.changed.filter { $0.after.ecosystem == ecosystem }.count
      let counts = [(added, "+"), (removed, "-"), (changed, "~")].filter { $0.0 > 0 }.map { "\($0.1)\($0.0)" }
      if !counts.isEmpty { parts.append(ecosystem.rawValue + " " + counts.joined(separator: " ")) }
    }
    return parts.isEmpty ? "" : "  (" + parts.joined(separator: "; ") + ")"
  }

  private func changes(_ changes: [PackageDiff.Change]) -> String {
    var out = ""
    for change in changes {
      let delta = change.deltaBytes
      let size = delta > 0 ? "+" + bytes.format(delta) : bytes.format(delta)
      let version =
        change.versionChanged
        ? SafeText.escape(change.before.version) + " → " + SafeText.escape(change.after.version)
        : SafeText.escape(change.after.version) + " (same version)"
      out +=
        "    " + style.apply(.changed, "~") + " " + SafeText.padLeft(size, to: 8) + "  "
        + SafeText.pad(change.after.ecosystem.rawValue, to: 6) + " " + SafeText.escape(change.after.name) + "  "
        + version + "\n"
    }
    return out
  }
}
