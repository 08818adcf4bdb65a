/// Debian's dpkg database: `/var/lib/dpkg/status` (or one file per package under distroless's
/// `status.d/`), and the files of each package from `info/<name>[:<arch>].list`.
package enum DpkgStatus {
  /// One stanza of the status file.
  package struct Record: Sendable, Hashable {
    /// `Package`.
    package var name: String
    /// `Version`.
    package var version: String
    /// `Architecture`.
    package var architecture: String?
    /// `Multi-Arch`.
    package var multiArch: String?
    /// `Installed-Size`, in KiB.
    package var installedSizeKiB: Int64?
    /// The third word of `Status` (`installed`, `config-files`, …).
    package var state: String

    /// Whether its files are on disk (not `not-installed` or `config-files`).
    package var hasFiles: Bool { state != "not-installed" && state != "config-files" }

    /// The name of its `.list` file without the extension: `name:arch` for `Multi-Arch: same`.
    package var listName: String {
      if multiArch == "same", let architecture { return "\(name):\(architecture)" }
      return name
    }
  }

  /// The records of a status file (every stanza with a `Package` field; others are skipped).
  package static func parse(_ bytes: [UInt8]) -> [Record] {
    var records: [Record] = []
    for stanza in stanzas(String(decoding: bytes, as: UTF8.self)) {
      guard let name = stanza["package"], !name.isEmpty else { continue }
      let status = stanza["status"]?.split(separator: " ") ?? []
      records.append(
        Record(
          name: name, version: stanza["version"] ?? "", architecture: stanza["architecture"],
          multiArch: stanza["multi-arch"], installedSizeKiB: stanza["installed-size"].flatMap { Int64($0) },
          // distroless `status.d/` stanzas have no Status field: they are installed.
          state: status.count == 3 ? String(status[2]) : "installed"))
    }
    return records
  }

  /// The paths of a `.list` file, normalised (no leading `/`), the root entry `/.` left out.
  package static func parseList(_ bytes: [UInt8]) -> [String] {
    var paths: [String] = []
    for line in String(decoding: bytes, as: UTF8.self).split(
      omittingEmptySubsequences: true, whereSeparator: \.isNewline)
    {
      let path = normalized(line)
      if !path.isEmpty { paths.append(path) }
    }
    return paths
  }

  /// The paths of a distroless `status.d/<name>.md5sums` file (`<md5>  <path>` per line).
  package static func parseMD5Sums(_ bytes: [UInt8]) -> [String] {
    var paths: [String] = []
    for line in String(decoding: bytes, as: UTF8.self).split(
      omittingEmptySubsequences: true, whereSeparator: \.isNewline)
    {
      guard let space = line.firstIndex(of: " ") else { continue }
      let path = normalized(line[space...].drop { $0 == " " })
      if !path.isEmpty { paths.append(path) }
    }
    return paths
  }

  static func normalized(_ text: Substring) -> String {
    PathName.components(of: String(text)).filter { $0 != "." }.joined(separator: "/")
  }

  /// RFC 822-style stanzas: `Key: value` fields (keys lowercased), continuation lines joined,
  /// blank lines between stanzas.
  static func stanzas(_ text: String) -> [[String: String]] {
    var result: [[String: String]] = []
    var current: [String: String] = [:]
    var lastKey: String?
    for line in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
      let trimmed = line.hasSuffix("\r") ? line.dropLast() : line
      if trimmed.allSatisfy({ $0 == " " || $0 == "\t" }) {
        if !current.isEmpty { result.append(current) }
        current = [:]
        lastKey = nil
        continue
      }
      if trimmed.first == " " || trimmed.first == "\t" {
        if let lastKey { current[lastKey, default: ""] += "\n" + trimmed.dropFirst() }
        continue
      }
      guard let colon = trimmed.firstIndex(of: ":") else { continue }
      let key = trimmed[..<colon].lowercased()
      let value = trimmed[trimmed.index(after: colon)...].drop { $0 == " " || $0 == "\t" }
      current[key] = String(value)
      lastKey = key
    }
    if !current.isEmpty { result.append(current) }
    return result
  }
}

import Analysis
import ImageModel
