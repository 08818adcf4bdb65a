import Analysis
import ImageModel
import MergedTree

extension FileTree {
  /// The present node a package database's path names, following symlinks among its parent
  /// directories as the running system would (`bin/ls` is `usr/bin/ls` where `/bin` links to
  /// `usr/bin`, Debian's merged /usr). The last component is not followed: a symlink the
  /// package owns is that symlink. Nil when nothing present is there.
  package func resolvePresent(_ path: String) -> Int32? {
    if let direct = lookup(path), nodes[Int(direct)].isPresent { return direct }
    return resolveThroughLinks(path)
  }

  /// `resolvePresent` where the plain lookup found nothing present: the walk that follows links.
  func resolveThroughLinks(_ path: String) -> Int32? {
    var pending = PathName.components(of: path).map(String.init)
    pending.reverse()
    var current = Self.root
    var hops = 0
    while let component = pending.popLast() {
      if component == "." { continue }
      if component == ".." {
        current = max(nodes[Int(current)].parent, Self.root)
        continue
      }
      guard let next = child(component, of: current), nodes[Int(next)].isPresent else { return nil }
      let node = nodes[Int(next)]
      if node.kind == .symlink, !pending.isEmpty, let target = linkTarget(of: next) {
        hops += 1
        guard hops <= 40 else { return nil }
        if target.hasPrefix("/") { current = Self.root }
        pending.append(contentsOf: PathName.components(of: target).map(String.init).reversed())
        continue
      }
      current = next
    }
    return current == Self.root ? nil : current
  }
}

/// `FileTree.resolvePresent` for a package's file list, whose paths come grouped by directory:
/// the plain lookup finds the directory once for a run of paths in it (and once per directory
/// in all, kept by path), then only the last name. The answers are `resolvePresent`'s.
package final class PresentPathResolver {
  /// A class, not a struct: the lookups' closures read `tree` in place, where a mutating
  /// struct's copied the whole tree value (a retain and release of each of its arrays) per path.
  let tree: FileTree
  /// The directory of the last path looked up, and its node (nil: nothing there).
  private var lastDirectory = ""
  private var lastNode: Int32?
  /// Every directory looked up, and its node (-1: nothing there).
  private var directories: [String: Int32] = [:]

  package init(tree: FileTree) { self.tree = tree }

  /// The present node `path` names, as `FileTree.resolvePresent` finds it.
  package func resolvePresent(_ path: String) -> Int32? {
    if let direct = lookup(path), tree.isPresent(Int(direct)) { return direct }
    return tree.resolveThroughLinks(path)
  }

  /// `FileTree.lookup(path)`: the node of the part before the last `/` (remembered), then the
  /// child called the rest.
  package func lookup(_ path: String) -> Int32? {
    var utf8 = path
    return utf8.withUTF8 { bytes -> Int32? in
      guard let slash = bytes.lastIndex(of: UInt8(ascii: "/")), slash + 1 < bytes.count else {
        return tree.lookup(path)
      }
      let directoryBytes = UnsafeBufferPointer(rebasing: bytes[..<slash])
      let same = lastDirectory.withUTF8 { ExactName.sameBytes($0, directoryBytes) }
      if !same {
        let directory = String(decoding: directoryBytes, as: UTF8.self)
        if let known = directories[directory] {
          lastNode = known < 0 ? nil : known
        } else {
          lastNode = tree.lookup(directory)
          directories[directory] = lastNode ?? -1
        }
        lastDirectory = directory
      }
      guard let directory = lastNode else { return nil }
      return tree.child(bytes: UnsafeBufferPointer(rebasing: bytes[(slash + 1)...]), of: directory)
    }
  }
}
