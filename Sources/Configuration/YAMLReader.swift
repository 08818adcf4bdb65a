import Analysis
import Yams

/// Walks a YAML document, turning every wrong shape into a `ConfigError` with its line and key.
struct YAMLReader {
  let file: String

  func parse(_ text: String) throws -> Node? {
    do {
      return try Yams.compose(yaml: text)
    } catch let error as YamlError {
      throw ConfigError(file: file, line: Self.line(of: error), key: "", message: "invalid YAML: \(Self.describe(error))")
    } catch {
      throw ConfigError(file: file, line: 0, key: "", message: "invalid YAML: \(error)")
    }
  }

  static func line(of error: YamlError) -> Int {
    switch error {
    case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): return mark.line
    default: return 0
    }
  }

  static func describe(_ error: YamlError) -> String {
    switch error {
    case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _): return problem
    default: return "\(error)"
    }
  }

  func fail(_ node: Node?, _ key: String, _ message: String) -> ConfigError {
    ConfigError(file: file, line: node?.mark?.line ?? 0, key: key, message: message)
  }

  func mapping(_ node: Node, _ key: String) throws -> [(key: String, keyNode: Node, value: Node)] {
    guard let mapping = node.mapping else { throw fail(node, key, "expected a mapping of keys to values") }
    return try mapping.map { pair in
      guard let name = pair.key.string else { throw fail(pair.key, key, "keys must be strings") }
      return (name, pair.key, pair.value)
    }
  }

  func string(_ node: Node, _ key: String) throws -> String {
    guard let scalar = node.scalar else { throw fail(node, key, "expected a single value") }
    return scalar.string
  }

  func strings(_ node: Node, _ key: String) throws -> [String] {
    if node.scalar != nil { return [try string(node, key)] }
    guard let sequence = node.sequence else { throw fail(node, key, "expected a list") }
    return try sequence.enumerated().map { try string($0.element, "\(key)[\($0.offset)]") }
  }

  func size(_ node: Node, _ key: String) throws -> Int64 {
    let text = try string(node, key)
    guard let value = ByteSize.parse(text) else {
      throw fail(node, key, "'\(text)' is not a size (write e.g. 500kB, 20MB, 1.5GiB)")
    }
    return value
  }

  func number(_ node: Node, _ key: String) throws -> Double {
    let text = try string(node, key).trimmingCharacters(in: " %")
    guard let value = Double(text), value.isFinite else { throw fail(node, key, "'\(text)' is not a number") }
    return value
  }

  func bool(_ node: Node, _ key: String) throws -> Bool {
    switch try string(node, key).lowercased() {
    case "true", "yes", "on": return true
    case "false", "no", "off": return false
    case let other: throw fail(node, key, "'\(other)' is not true or false")
    }
  }

  func severity(_ node: Node, _ key: String) throws -> Severity {
    let text = try string(node, key).lowercased()
    guard let value = Severity(rawValue: text) else {
      throw fail(node, key, "'\(text)' is not a severity (info, low, medium, high)")
    }
    return value
  }

  func unknownKey(_ keyNode: Node, _ key: String, allowed: [String]) -> ConfigError {
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
