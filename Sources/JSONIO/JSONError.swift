/// JSON that could not be parsed, with jansson's position and text.
package struct JSONError: Error, Sendable, CustomStringConvertible {
  /// 1-based line of the problem (0 when unknown).
  package var line: Int
  /// 1-based column of the problem (0 when unknown).
  package var column: Int
  /// What jansson said.
  package var text: String

  package init(line: Int, column: Int, text: String) {
    self.line = line
    self.column = column
    self.text = text
  }

  package var description: String {
    line > 0 ? "invalid JSON at line \(line), column \(column): \(text)" : "invalid JSON: \(text)"
  }
}
