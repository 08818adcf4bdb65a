import Analysis
import ImageModel

/// Installed Python distributions: `NAME-VERSION.dist-info/` (`METADATA` for name and version,
/// `RECORD` for the files, relative to the directory holding the dist-info) and the older
/// `NAME-VERSION.egg-info/` (`PKG-INFO`, `installed-files.txt` relative to the egg-info).
package enum PythonDistributions {
  /// Name and version from a `METADATA` or `PKG-INFO` file (its header block).
  package static func parseMetadata(_ bytes: [UInt8]) -> (name: String, version: String)? {
    var name: String?
    var version: String?
    for line in String(decoding: bytes, as: UTF8.self).split(
      omittingEmptySubsequences: false, whereSeparator: \.isNewline)
    {
      let text = line.hasSuffix("\r") ? line.dropLast() : line
      if text.isEmpty { break }  // the body (the long description) starts here
      if text.hasPrefix("Name:") && name == nil { name = String(text.dropFirst(5)).trimmingSpaces() }
      if text.hasPrefix("Version:") && version == nil { version = String(text.dropFirst(8)).trimmingSpaces() }
    }
    guard let name, !name.isEmpty else { return nil }
    return (name, version ?? "")
  }

  /// Name and version from a directory name (`six-1.16.0.dist-info`), for when `METADATA` is missing.
  package static func parseDirectoryName(_ name: String) -> (name: String, version: String)? {
    var stem = name
    for suffix in [".dist-info", ".egg-info"] where stem.hasSuffix(suffix) { stem.removeLast(suffix.count) }
    guard let dash = stem.firstIndex(of: "-") else { return stem.isEmpty ? nil : (stem, "") }
    let version = stem[stem.index(after: dash)...].prefix { $0 != "-" }
    return (String(stem[..<dash]), String(version))
  }

  /// The files of a `RECORD` (CSV: path, hash, size), resolved against `siteDirectory` (the
  /// directory holding the dist-info; paths may climb out of it with `..`), normalised.
  package static func parseRecord(_ bytes: [UInt8], siteDirectory: String) -> [String] {
    var paths: [String] = []
    for line in String(decoding: bytes, as: UTF8.self).split(
      omittingEmptySubsequences: true, whereSeparator: \.isNewline)
    {
      let text = line.hasSuffix("\r") ? line.dropLast() : line
      guard let field = firstCSVField(text), !field.isEmpty else { continue }
      if let path = resolve(field, against: siteDirectory) { paths.append(path) }
    }
    return paths
  }

  /// The files of an egg-info's `installed-files.txt` (one path per line, relative to the egg-info).
  package static func parseInstalledFiles(_ bytes: [UInt8], eggInfoDirectory: String) -> [String] {
    String(decoding: bytes, as: UTF8.self).split(omittingEmptySubsequences: true, whereSeparator: \.isNewline)
      .compactMap {
        resolve(String($0.hasSuffix("\r") ? $0.dropLast() : $0), against: eggInfoDirectory)
      }
  }

  /// `path` (relative, or absolute) resolved against `directory`, `.` and `..` applied; nil when
  /// it climbs above the root.
  static func resolve(_ path: String, against directory: String) -> String? {
    var parts: [Substring] = path.hasPrefix("/") ? [] : PathName.components(of: directory)
    for component in path.split(separator: "/", omittingEmptySubsequences: true) {
      if component == "." { continue }
      if component == ".." {
        guard parts.popLast() != nil else { return nil }
        continue
      }
      parts.append(component)
    }
    return parts.isEmpty ? nil : parts.joined(separator: "/")
  }

  /// The first field of a CSV line (quoted with `"`, doubled quotes inside).
  static func firstCSVField(_ line: Substring) -> String? {
    guard line.first == "\"" else { return String(line.prefix { $0 != "," }) }
    var result = ""
    var index = line.index(after: line.startIndex)
    while index < line.endIndex {
      let character = line[index]
      index = line.index(after: index)
      if character == "\"" {
        guard index < line.endIndex, line[index] == "\"" else { return result }
        index = line.index(after: index)
      }
      result.append(character)
    }
    return result
  }
}
