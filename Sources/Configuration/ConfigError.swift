/// A configuration file strata cannot use, with the place and the key.
package struct ConfigError: Error, Sendable, CustomStringConvertible, Equatable {
  /// The file.
  package var file: String
  /// 1-based line (0 when unknown).
  package var line: Int
  /// The key path (`waste.rules[2].severity`).
  package var key: String
  /// What is wrong.
  package var message: String

  /// Creates an error.
  package init(file: String, line: Int, key: String, message: String) {
    self.file = file
    self.line = line
    self.key = key
    self.message = message
  }

  /// `file:line: key: message`.
  package var description: String {
    let place = line > 0 ? "\(file):\(line)" : file
    return key.isEmpty ? "\(place): \(message)" : "\(place): \(key): \(message)"
  }
}
