import Analysis
import JSONIO
import PackageDatabases

/// The package section of `strata analyze --packages` in Markdown, and as JSON.
package enum PackageMarkdown {
  /// Totals per ecosystem and the largest packages.
  package static func render(_ inventory: PackageInventory, exactBytes: Bool = false, top: Int = 10) -> String {
    let bytes = ByteFormat(exact: exactBytes)
    var out = "### Packages\n\n"
    guard !inventory.packages.isEmpty else { return out + "No package database found.\n" }
    let totals = inventory.totals()
    out += "| Ecosystem | Packages | Bytes |\n|---|---:|---:|\n"
    for ecosystem in inventory.ecosystems {
      guard let total = totals[ecosystem] else { continue }
      out += "| \(ecosystem.rawValue) | \(total.count) | \(bytes.format(total.bytes)) |\n"
    }
    out += "\n| Package | Version | Ecosystem | Bytes |\n|---|---|---|---:|\n"
    for package in inventory.largest(limit: top) {
      out +=
        "| \(MarkdownReport.cell(package.name)) | \(MarkdownReport.cell(package.version)) | \(package.ecosystem.rawValue) | \(package.bytes.map(bytes.format) ?? "?") |\n"
    }
    return out
  }

  /// The `packages` object of the analyze report (see docs/report-schema.md).
  package static func jsonObject(_ inventory: PackageInventory) -> JSONValue {
    var databases = JSONObject()
    for ecosystem in inventory.ecosystems {
      databases[ecosystem.rawValue] = .array((inventory.databases[ecosystem] ?? []).map { .string($0) })
    }
    return [
      "count": .integer(Int64(inventory.packages.count)), "databases": .object(databases),
      "packages": .array(inventory.largest(limit: inventory.packages.count).map(CompareJSON.packageObject)),
      "notes": .array(inventory.notes.map { .string($0) }),
    ]
  }
}
