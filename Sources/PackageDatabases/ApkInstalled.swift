/// Alpine's apk database, `/lib/apk/db/installed`: one stanza per package of `X:value` lines
/// (`P` name, `V` version, `A` architecture, `I` installed size), files as `F:` folders each
/// followed by `R:` names of files in it; blank lines between packages.
package enum ApkInstalled {
  /// One package of the database.
  package struct Record: Sendable, Hashable {
    /// `P:`.
    package var name: String
    /// `V:`.
    package var version: String
    /// `A:`.
    package var architecture: String?
    /// `I:`, in bytes.
    package var installedSize: Int64?
    /// Its files (`F:` folder + `R:` name), normalised, no leading `/`.
    package var files: [String]
  }

  /// The packages of the database (stanzas without `P:` are skipped).
  package static func parse(_ bytes: [UInt8]) -> [Record] {
    var records: [Record] = []
    var current = Record(name: "", version: "", architecture: nil, installedSize: nil, files: [])
    var folder = ""
    func finish() {
      if !current.name.isEmpty { records.append(current) }
      current = Record(name: "", version: "", architecture: nil, installedSize: nil, files: [])
      folder = ""
    }
    for line in String(decoding: bytes, as: UTF8.self).split(
      omittingEmptySubsequences: false, whereSeparator: \.isNewline)
    {
      let text = line.hasSuffix("\r") ? line.dropLast() : line
      if text.isEmpty {
        finish()
        continue
      }
      guard text.count >= 2, text[text.index(after: text.startIndex)] == ":" else { continue }
      let value = String(text.dropFirst(2))
      switch text.first {
      case "P": current.name = value
      case "V": current.version = value
      case "A": current.architecture = value
      case "I": current.installedSize = Int64(value)
      case "F": folder = DpkgStatus.normalized(value.utf8)
      case "R":
        let path = DpkgStatus.normalized(folder.appendingComponent(value).utf8)
        if !path.isEmpty { current.files.append(path) }
      default: break
      }
    }
    finish()
    return records
  }
}

import Analysis
import ImageModel
