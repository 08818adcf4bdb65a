import Analysis
import CIPolicy
import JSONIO

/// Reads a `strata analyze --format json` report (schema 1 or 2: the fields read here are the
/// same in both) back as a `Baseline`: the inverse of `JSONReport`, kept beside it so that
/// writer and reader share one schema.
package enum BaselineReader {
  /// The schema versions it reads.
  static let readable: [Int64] = [1, JSONReport.schemaVersion]

  /// What a baseline is, for messages.
  static let expected = "a strata JSON report (`strata analyze IMAGE --format json -o baseline.json`)"

  /// Whether `bytes` start like a tar (`ustar` at 257), gzip, zstd or bzip2 stream.
  static func looksLikeArchive(_ bytes: [UInt8]) -> Bool {
    if bytes.count > 262, Array(bytes[257..<262]) == Array("ustar".utf8) { return true }
    let magics: [[UInt8]] = [[0x1F, 0x8B], [0x28, 0xB5, 0x2F, 0xFD], [0x42, 0x5A, 0x68]]
    return magics.contains { bytes.starts(with: $0) }
  }

  /// The baseline in `bytes`.
  /// - Parameter source: the file name, for messages and reports.
  /// - Throws: `BaselineError` naming the file and what is wrong.
  package static func read(_ bytes: [UInt8], source: String) throws(BaselineError) -> Baseline {
    let root: JSONValue
    do {
      root = try JSONValue.parse(bytes)
    } catch {
      let kind = looksLikeArchive(bytes) ? "an image archive" : "not JSON (\(error))"
      throw BaselineError(source: source, message: "\(kind); --baseline expects \(expected)")
    }
    guard root.objectValue != nil else {
      throw BaselineError(
        source: source, message: "not a strata JSON report (expected an object); --baseline expects \(expected)")
    }
    if root["kind"]?.stringValue == "strata-ci" {
      throw BaselineError(
        source: source, message: "this is a `strata ci` report; give a report from `strata analyze --format json`")
    }
    guard root["tool"]?["name"]?.stringValue == "strata" else {
      throw BaselineError(
        source: source, message: "not a strata JSON report (no tool.name \"strata\"); --baseline expects \(expected)")
    }
    guard let version = root["schemaVersion"]?.integerValue else {
      throw BaselineError(source: source, message: "schemaVersion is missing")
    }
    guard readable.contains(version) else {
      throw BaselineError(
        source: source,
        message:
          "report schema version \(version) is not supported (this strata reads \(readable.map(String.init).joined(separator: " and ")))"
      )
    }
    let sizeBytes = try integer(root["summary"]?["sizeBytes"], "summary.sizeBytes", source)
    guard let layerValues = root["layers"]?.arrayValue else {
      throw BaselineError(source: source, message: "layers: expected an array")
    }
    var layers: [Baseline.Layer] = []
    for (position, layer) in layerValues.enumerated() {
      layers.append(
        Baseline.Layer(
          index: Int(try integer(layer["index"], "layers[\(position)].index", source)),
          sizeBytes: try integer(layer["sizeBytes"], "layers[\(position)].sizeBytes", source),
          command: layer["command"]?.stringValue, diffID: layer["diffID"]?.stringValue))
    }
    let label = root["image"]?["tags"]?.arrayValue?.first?.stringValue ?? root["image"]?["source"]?.stringValue
    if let sizes = root["pathSizes"], !sizes.isNull {
      let depth = try integer(sizes["maxDepth"], "pathSizes.maxDepth", source)
      let paths = try pathMap(sizes["entries"], "pathSizes.entries", source)
      return Baseline(
        source: source, imageLabel: label, sizeBytes: sizeBytes, layers: layers, paths: paths, pathsComplete: true,
        pathDepth: Int(depth))
    }
    // A report written before pathSizes existed: the largest paths are all there is.
    var paths = try pathMap(root["largestDirectories"], "largestDirectories", source)
    paths.merge(try pathMap(root["largestFiles"], "largestFiles", source)) { first, _ in first }
    return Baseline(
      source: source, imageLabel: label, sizeBytes: sizeBytes, layers: layers, paths: paths, pathsComplete: false,
      pathDepth: GrowthAnalyzer.pathDepth)
  }

  private static func integer(_ value: JSONValue?, _ key: String, _ source: String) throws(BaselineError) -> Int64 {
    guard let number = value?.integerValue else {
      throw BaselineError(
        source: source, message: "\(key): expected an integer, found \(value?.typeDescription ?? "nothing")")
    }
    return number
  }

  private static func pathMap(_ value: JSONValue?, _ key: String, _ source: String) throws(BaselineError) -> [String:
    Int64]
  {
    guard let value, !value.isNull else { return [:] }
    guard let items = value.arrayValue else {
      throw BaselineError(source: source, message: "\(key): expected an array")
    }
    var paths: [String: Int64] = [:]
    for (position, item) in items.enumerated() {
      guard let path = item["path"]?.stringValue else {
        throw BaselineError(source: source, message: "\(key)[\(position)].path: expected a string")
      }
      paths[path] = try integer(item["bytes"], "\(key)[\(position)].bytes", source)
    }
    return paths
  }
}

/// A baseline report strata cannot use.
package struct BaselineError: Error, Sendable, CustomStringConvertible, Equatable {
  /// The file.
  package var source: String
  /// What is wrong.
  package var message: String

  /// Creates an error.
  package init(source: String, message: String) {
    self.source = source
    self.message = message
  }

  /// `report.json: message`.
  package var description: String { "\(source): \(message)" }
}
