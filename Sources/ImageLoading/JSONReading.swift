import JSONIO

/// Typed access to parsed metadata with errors that name the file and the key.
struct JSONReading {
  let file: String

  func parse(_ bytes: [UInt8]) throws -> JSONValue {
    do {
      return try JSONValue.parse(bytes)
    } catch let error as JSONError {
      throw ImageLoadError(.malformedJSON, file: file, error.description)
    }
  }

  func wrongType(_ key: String, expected: String, got: JSONValue) -> ImageLoadError {
    ImageLoadError(.invalidMetadata, file: file, "'\(key)' should be \(expected) but is \(got.typeDescription)")
  }

  func object(_ value: JSONValue, _ key: String) throws -> JSONObject {
    guard let object = value.objectValue else { throw wrongType(key, expected: "an object", got: value) }
    return object
  }

  func array(_ value: JSONValue, _ key: String) throws -> [JSONValue] {
    guard let array = value.arrayValue else { throw wrongType(key, expected: "an array", got: value) }
    return array
  }

  func requiredString(_ object: JSONObject, _ key: String, in context: String) throws -> String {
    guard let value = object[key] else {
      throw ImageLoadError(.invalidMetadata, file: file, "\(context) has no '\(key)'")
    }
    guard let text = value.stringValue else { throw wrongType("\(context).\(key)", expected: "a string", got: value) }
    return text
  }

  func optionalString(_ object: JSONObject, _ key: String, in context: String) throws -> String? {
    guard let value = object[key], !value.isNull else { return nil }
    guard let text = value.stringValue else { throw wrongType("\(context).\(key)", expected: "a string", got: value) }
    return text
  }

  func stringArray(_ object: JSONObject, _ key: String, in context: String) throws -> [String]? {
    guard let value = object[key], !value.isNull else { return nil }
    let elements = try array(value, "\(context).\(key)")
    return try elements.enumerated().map { position, element in
      guard let text = element.stringValue else {
        throw wrongType("\(context).\(key)[\(position)]", expected: "a string", got: element)
      }
      return text
    }
  }

  func optionalInteger(_ object: JSONObject, _ key: String, in context: String) throws -> Int64? {
    guard let value = object[key], !value.isNull else { return nil }
    guard let number = value.integerValue else {
      throw wrongType("\(context).\(key)", expected: "an integer", got: value)
    }
    return number
  }
}
