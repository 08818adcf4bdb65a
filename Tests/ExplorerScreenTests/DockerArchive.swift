import Foundation
import TestSupport

/// Writes minimal `docker save` archives (legacy layout) from layer tars, for screen tests.
enum DockerArchive {
  /// Writes the archive and returns its path.
  static func write(to path: String, layers: [[UInt8]], tag: String = "localhost/strata/test:latest") throws -> String {
    var outer = TarBuilder()
    var names: [String] = []
    var diffIDs: [String] = []
    for (index, layer) in layers.enumerated() {
      let digest = SHA256.hex(SHA256.hash(layer))
      names.append("\(index)/layer.tar")
      diffIDs.append("\"sha256:\(digest)\"")
      outer = outer.file("\(index)/layer.tar", layer)
    }
    let history = layers.indices.map { "{\"created_by\":\"/bin/sh -c step \($0)\"}" }.joined(separator: ",")
    let config = """
      {"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[\(diffIDs.joined(separator: ","))]},\
      "history":[\(history)]}
      """
    let manifest = """
      [{"Config":"config.json","RepoTags":["\(tag)"],"Layers":[\(names.map { "\"\($0)\"" }.joined(separator: ","))]}]
      """
    return try outer.file("config.json", text: config).file("manifest.json", text: manifest).write(to: path)
  }
}
