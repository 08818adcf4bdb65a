import Analysis

/// One row per file of the final filesystem: `path,bytes,layer,kind` (RFC 4180 quoting).
package enum CSVReport {
  /// The CSV text, header first.
  package static func render(_ analysis: ImageAnalysis) -> String {
    var out = "path,bytes,layer,kind\n"
    for item in analysis.allFiles() where item.kind != .directory {
      out +=
        field(SafeText.escape(item.path)) + "," + String(item.bytes) + "," + String(item.layer) + ","
        + item.kind.name + "\n"
    }
    return out
  }

  /// Quotes a field when it holds a comma, quote, or line break.
  static func field(_ text: String) -> String {
    guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
    return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }
}

extension String {
  fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
    split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
  }
}
