import Analysis
import ImageModel
import MergedTree

@testable import Explorer

/// Images built in memory for the explorer's tests.
enum Images {
  /// An analysis of `layers` (each a list of entries), with commands `step N`.
  static func analysis(_ layers: [[LayerEntry]]) -> ImageAnalysis {
    let built = layers.enumerated().map { index, entries in
      Layer(
        descriptor: LayerDescriptor(index: index, location: "layer\(index).tar", command: "/bin/sh -c step \(index)"),
        contents: LayerContents(entries: entries))
    }
    let image = Image(
      source: "memory", format: .dockerArchive, tags: ["test:latest"], configReference: nil, config: ImageConfig(),
      layers: built)
    return Analyzer.analyze(image)
  }

  static func file(_ path: String, _ size: Int64 = 10, mode: UInt32 = 0o644, uid: UInt32 = 0) -> LayerEntry {
    LayerEntry(path: path, kind: .regular, size: size, permissions: mode, uid: uid, gid: uid)
  }

  static func dir(_ path: String, mode: UInt32 = 0o755) -> LayerEntry {
    LayerEntry(path: path, kind: .directory, permissions: mode)
  }

  static func whiteout(_ path: String) -> LayerEntry { LayerEntry(path: path, kind: .whiteout) }

  /// A small image with every kind of change:
  /// - layer 0: etc/, etc/hosts (10), etc/passwd (20), usr/bin/tool (100, implied dirs)
  /// - layer 1: etc/hosts rewritten (15), var/log/app.log added (50), etc/ listed again
  /// - layer 2: etc/passwd removed, usr/bin/ listed with a new mode
  static var sample: ImageAnalysis {
    analysis([
      [dir("etc"), file("etc/hosts", 10), file("etc/passwd", 20), file("usr/bin/tool", 100, mode: 0o755)],
      [dir("etc"), file("etc/hosts", 15), file("var/log/app.log", 50)],
      [whiteout("etc/passwd"), dir("usr/bin", mode: 0o700)],
    ])
  }
}

/// File contents held in memory, by layer and path.
struct MemoryContentSource: ContentSource {
  var files: [Int: [String: [UInt8]]]

  func contents(layer: Int, paths: Set<String>, headLimit: Int) throws -> [String: FileContent] {
    var found: [String: FileContent] = [:]
    for path in paths {
      guard let bytes = files[layer]?[path] else { continue }
      let fingerprint = bytes.reduce(UInt64(1469598103934665603)) { ($0 ^ UInt64($1)) &* 1099511628211 }
      found[path] = FileContent(
        fingerprint: fingerprint, head: Array(bytes.prefix(headLimit)), isComplete: bytes.count <= headLimit)
    }
    return found
  }
}

extension TreeViewModel {
  /// The visible paths, `/`-rooted, in order.
  var visiblePaths: [String] { rows.map { path(of: $0.node) } }

  /// The node at a path.
  func node(_ path: String) -> Int32? { analysis.tree.lookup(path.hasPrefix("/") ? String(path.dropFirst()) : path) }
}
