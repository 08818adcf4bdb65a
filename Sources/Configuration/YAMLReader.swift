import Analysis
import YAMLIO

/// Walks a YAML document, turning every wrong shape into a `ConfigError` with its line and key.
struct YAMLReader {
  let file: String

  /// The document's root (nil when it has none), or a `ConfigError` for YAML that is not valid.
  func parse(_ text: String) throws -> YAMLNode? {
    do {
      return try YAMLNode.compose(text)
    } catch {
      throw ConfigError(file: file, line: error.line, key: "", message: "invalid YAML: \(error.problem)")
    }
  }

  func fail(_ node: YAMLNode?, _ key: String, _ message: String) -> ConfigError {
    ConfigError(file: file, line: node?.line ?? 0, key: key, message: message)
  }

  func mapping(_ node: YAMLNode, _ key: String) throws -> [(key: String, keyNode: YAMLNode, value: YAMLNode)] {
    guard let mapping = node.mapping else { throw fail(node, key, "expected a mapping of keys to values") }
    return try mapping.map { pair in
      guard let name = pair.key.scalar?.text else { throw fail(pair.key, key, "keys must be strings") }
      return (name, pair.key, pair.value)
    }
  }

  func string(_ node: YAMLNode, _ key: String) throws -> String {
    guard let scalar = node.scalar else { throw fail(node, key, "expected a single value") }
    return scalar.text
  }

  func strings(_ node: YAMLNode, _ key: String) throws -> [String] {
    if node.scalar != nil { return [try string(node, key)] }
    guard let sequence = node.sequence else { throw fail(node, key, "expected a list") }
    return try sequence.enumerated().map { try string($0.element, "\(key)[\($0.offset)]") }
  }

  func size(_ node: YAMLNode, _ key: String) throws -> Int64 {
    let text = try string(node, key)
    guard let value = ByteSize.parse(text) else {
      throw fail(node, key, "'\(text)' is not a size (write e.g. 500kB, 20MB, 1.5GiB)")
    }
    return value
  }

  func number(_ node: YAMLNode, _ key: String) throws -> Double {
    let text = try string(node, key).trimmingCharacters(in: " %")
    guard let value = Double(text), value.isFinite else { throw fail(node, key, "'\(text)' is not a number") }
    return value
  }

  func bool(_ node: YAMLNode, _ key: String) throws -> Bool {
    switch try string(node, key).lowercased() {
    case "true", "yes", "on": return true
    case "false", "no", "off": return false
    case let other: throw fail(node, key, "'\(other)' is not true or false")
    }
  }

  func severity(_ node: YAMLNode, _ key: String) throws -> Severity {
    let text = try string(node, key).lowercased()
    guard let value = Severity(rawValue: text) else {
      throw fail(node, key, "'\(text)' is not a severity (info, low, medium, high)")
    }
    return value
  }

  func unknownKey(_ keyNode: YAMLNode, _ key: String, allowed: [String]) -> ConfigError {
    fail(keyNode, key, "unknown key; expected one of: \(allowed.joined(separator: ", "))")
  }
}

extension String {
  func trimmingCharacters(in set: String) -> String {
    var text = Substring(self)
    while let first = text.first, set.contains(first) { text.removeFirst() }
    while let last = text.last, set.contains(last) { text.removeLast() }
    return String(text)
  }
}
