import Analysis
import JSONIO

/// npm packages: `node_modules/NAME/package.json` and `node_modules/@scope/NAME/package.json`.
package enum NpmPackages {
  /// Name and version from a `package.json`; nil when it is not a JSON object with a name.
  package static func parseManifest(_ bytes: [UInt8]) -> (name: String, version: String)? {
    guard let value = try? JSONValue.parse(bytes), let name = value["name"]?.stringValue, !name.isEmpty else {
      return nil
    }
    return (name, value["version"]?.stringValue ?? "")
  }

  /// Whether `directory` (normalised) is a package directory by its place: the child of a
  /// `node_modules`, or of a `@scope` directory inside one.
  package static func isPackageDirectory(_ directory: String) -> Bool {
    let parts = PathName.components(of: directory)
    guard parts.count >= 2, let name = parts.last, !name.hasPrefix(".") else { return false }
    if parts[parts.count - 2] == "node_modules" { return !name.hasPrefix("@") }
    return parts.count >= 3 && parts[parts.count - 2].hasPrefix("@") && parts[parts.count - 3] == "node_modules"
  }
}

import ImageModel
