/// A configuration file strata cannot use, with the place and the key.
public struct ConfigError: Error, Sendable, CustomStringConvertible, Equatable {
  /// The file.
  public var file: String
  /// 1-based line (0 when unknown).
  public var line: Int
  /// The key path (`waste.rules[2].severity`).
  public var key: String
  /// What is wrong.
  public var message: String

  /// Creates an error.
  public init(file: String, line: Int, key: String, message: String) {
    self.file = file
    self.line = line
    self.key = key
    self.message = message
  }

  /// `file:line: key: message`.
  public var description: String {
    let place = line > 0 ? "\(file):\(line)" : file
    return key.isEmpty ? "\(place): \(message)" : "\(place): \(key): \(message)"
  }
}
