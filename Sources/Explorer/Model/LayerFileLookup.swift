import ImageModel
import MergedTree

/// Finds the regular file a path names as of a layer, following symbolic links inside the
/// image (never outside it) and hard links, as `cat` would in a container of that layer.
package enum LayerFileLookup {
  /// Where the content of a file is stored.
  package struct Found: Sendable, Hashable {
    /// The path whose content to read (no leading `/`).
    package var path: String
    /// The layer whose tar holds it.
    package var layer: Int
    /// Its size.
    package var size: Int64
  }

  /// Why there is no file to read.
  package struct Failure: Error, Sendable, Hashable, CustomStringConvertible {
    /// A sentence naming the path and the problem.
    package var description: String
  }

  /// The file `path` names at `layer`.
  package static func resolve(_ path: String, at layer: Int, tree: FileTree, timeline: NodeTimeline) -> Result<
    Found, Failure
  > {
    var current = normalize(path, from: [])
    for _ in 0..<40 {
      var components: [String] = []
      var resolvedLink = false
      // Walk component by component so a link in a parent directory is followed too.
      for (index, name) in current.enumerated() {
        components.append(name)
        let joined = components.joined(separator: "/")
        guard let node = tree.lookup(joined), let span = timeline.span(of: node, at: Int32(layer)) else {
          return .failure(Failure(description: "/\(joined): no such file in the image at layer \(layer)"))
        }
        let version = timeline.version(span, of: node, in: tree)
        let last = index == current.count - 1
        switch version.kind {
        case .symlink:
          guard let target = version.linkTarget else {
            return .failure(Failure(description: "/\(joined): a symbolic link whose target is not recorded"))
          }
          current = normalize(target, from: Array(components.dropLast())) + current.dropFirst(index + 1)
          resolvedLink = true
        case .directory where last:
          return .failure(Failure(description: "/\(joined): is a directory"))
        case .directory: continue
        case .regular where last:
          return .success(Found(path: joined, layer: version.layer, size: version.size))
        case .hardlink where last:
          guard let target = version.linkTarget else {
            return .failure(Failure(description: "/\(joined): a hard link whose target is not recorded"))
          }
          current = normalize(target, from: [])
          resolvedLink = true
        default:
          let what = last ? "a \(version.kind.name), it has no content" : "not a directory"
          return .failure(Failure(description: "/\(joined): \(what)"))
        }
        if resolvedLink { break }
      }
      if !resolvedLink { break }
    }
    return .failure(Failure(description: "/\(current.joined(separator: "/")): too many levels of symbolic links"))
  }

  /// The components of `path`, taken from `base` when relative; `..` stops at the root.
  static func normalize(_ path: String, from base: [String]) -> [String] {
    var result = path.hasPrefix("/") ? [] : base
    for component in path.split(separator: "/") {
      switch component {
      case ".": continue
      case "..": if !result.isEmpty { result.removeLast() }
      default: result.append(String(component))
      }
    }
    return result
  }
}
