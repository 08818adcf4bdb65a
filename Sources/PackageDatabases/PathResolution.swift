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
