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
    for stanza in stanzas(bytes, keeping: recordFields) {
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

  /// The fields a `Record` is made of: a status file's other fields (descriptions, dependencies,
  /// most of its bytes) are never turned into strings.
  static let recordFields: Set<String> = [
    "package", "version", "architecture", "multi-arch", "installed-size", "status",
  ]

  /// The paths of a `.list` file, normalised (no leading `/`), the root entry `/.` left out.
  package static func parseList(_ bytes: [UInt8]) -> [String] {
    var paths: [String] = []
    forEachLine(of: bytes) { line in
      let path = normalized(line)
      if !path.isEmpty { paths.append(path) }
    }
    return paths
  }

  /// The paths of a distroless `status.d/<name>.md5sums` file (`<md5>  <path>` per line).
  package static func parseMD5Sums(_ bytes: [UInt8]) -> [String] {
    var paths: [String] = []
    forEachLine(of: bytes) { line in
      guard let space = line.firstIndex(of: UInt8(ascii: " ")) else { return }
      let path = normalized(line[space...].drop { $0 == UInt8(ascii: " ") })
      if !path.isEmpty { paths.append(path) }
    }
    return paths
  }

  /// A path with its empty and `.` components dropped and no leading `/` (`/usr//./bin/` is
  /// `usr/bin`; `/.`, the root, is empty). Works on the bytes: only `/` and `.` matter, and
  /// invalid UTF-8 is repaired once, in the result, as decoding the whole file would.
  static func normalized<Bytes: Collection<UInt8>>(_ text: Bytes) -> String {
    if let done = text.withContiguousStorageIfAvailable({ normalized(bytes: $0) }) { return done }
    return Array(text).withUnsafeBufferPointer { normalized(bytes: $0) }
  }

  /// `normalized(_:)` of bytes in memory, written straight into the string (a package list has
  /// a line per path, tens of thousands in an image).
  static func normalized(bytes: UnsafeBufferPointer<UInt8>) -> String {
    String(unsafeUninitializedCapacity: bytes.count) { output in
      var used = 0
      var start = 0
      for end in 0...bytes.count where end == bytes.count || bytes[end] == UInt8(ascii: "/") {
        let length = end - start
        if length > 0 && !(length == 1 && bytes[start] == UInt8(ascii: ".")) {
          if used > 0 {
            output[used] = UInt8(ascii: "/")
            used += 1
          }
          for offset in 0..<length { output[used + offset] = bytes[start + offset] }
          used += length
        }
        start = end + 1
      }
      return used
    }
  }

  /// Calls `body` with each line of `bytes` as dpkg reads its files: split at `\n`, a `\r` before
  /// it dropped (a file saved with CRLF line ends); empty lines only when `omittingEmpty` is false.
  static func forEachLine(of bytes: [UInt8], omittingEmpty: Bool = true, _ body: (ArraySlice<UInt8>) -> Void) {
    var start = bytes.startIndex
    while start < bytes.endIndex {
      let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.endIndex
      var line = bytes[start..<end]
      if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
      if !(omittingEmpty && line.isEmpty) { body(line) }
      start = end + 1
    }
  }

  /// RFC 822-style stanzas: `Key: value` fields (keys lowercased), continuation lines joined,
  /// blank lines between stanzas; only the fields named in `keeping` are kept.
  static func stanzas(_ bytes: [UInt8], keeping fields: Set<String>) -> [[String: String]] {
    var result: [[String: String]] = []
    var current: [String: String] = [:]
    var lastKey: String?
    let space = UInt8(ascii: " ")
    let tab = UInt8(ascii: "\t")
    forEachLine(of: bytes, omittingEmpty: false) { line in
      if line.allSatisfy({ $0 == space || $0 == tab }) {
        if !current.isEmpty { result.append(current) }
        current = [:]
        lastKey = nil
        return
      }
      if line.first == space || line.first == tab {
        if let lastKey { current[lastKey, default: ""] += "\n" + String(decoding: line.dropFirst(), as: UTF8.self) }
        return
      }
      guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { return }
      let key = String(decoding: line[..<colon], as: UTF8.self).lowercased()
      guard fields.contains(key) else {
        lastKey = nil
        return
      }
      let value = line[(colon + 1)...].drop { $0 == space || $0 == tab }
      current[key] = String(decoding: value, as: UTF8.self)
      lastKey = key
    }
    if !current.isEmpty { result.append(current) }
    return result
  }
}
