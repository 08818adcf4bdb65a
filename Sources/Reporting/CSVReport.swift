import Analysis

/// One row per file of the final filesystem: `path,bytes,layer,kind` (RFC 4180 quoting).
package enum CSVReport {
  /// The CSV text, header first.
  package static func render(_ analysis: ImageAnalysis) -> String {
    // Gathered as bytes and made a string once: appending five pieces per file to a String
    // cost more than finding the files.
    var out: [UInt8] = Array("path,bytes,layer,kind\n".utf8)
    for item in analysis.allFiles() where item.kind != .directory {
      out += field(SafeText.escape(item.path)).utf8
      out.append(UInt8(ascii: ","))
      out += String(item.bytes).utf8
      out.append(UInt8(ascii: ","))
      out += String(item.layer).utf8
      out.append(UInt8(ascii: ","))
      out += item.kind.name.utf8
      out.append(UInt8(ascii: "\n"))
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// Quotes a field when it holds a comma, quote, or line break.
  package static func field(_ text: String) -> String {
    // Looked for in the UTF-8 bytes: these four are ASCII, and no byte of a longer character is.
    var bytes = text
    let plain = bytes.withUTF8 { utf8 in !utf8.contains { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D } }
    guard !plain else { return text }
    return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }
}

extension String {
  fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
    split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
  }
}
