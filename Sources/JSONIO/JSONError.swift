/// JSON that could not be parsed, with jansson's position and text.
public struct JSONError: Error, Sendable, CustomStringConvertible {
  /// 1-based line of the problem (0 when unknown).
  public var line: Int
  /// 1-based column of the problem (0 when unknown).
  public var column: Int
  /// What jansson said.
  public var text: String

  public init(line: Int, column: Int, text: String) {
    self.line = line
    self.column = column
    self.text = text
  }

  public var description: String {
    line > 0 ? "invalid JSON at line \(line), column \(column): \(text)" : "invalid JSON: \(text)"
  }
}
