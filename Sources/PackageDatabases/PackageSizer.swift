import Analysis
import ImageModel
import MergedTree

/// Sizes packages from the merged tree: a package's bytes are the present sizes of the
/// non-directory paths it owns, each node counted once per package.
struct PackageSizer {
  let tree: FileTree
  /// Node → the OS package (`dpkg:name`, `apk:name`) that owns it, for `managedBy`.
  var owners: [Int32: String] = [:]
  /// Resolves the packages' paths, remembering their directories.
  private let resolver: PresentPathResolver

  init(tree: FileTree) {
    self.tree = tree
    resolver = PresentPathResolver(tree: tree)
  }

  mutating func size(_ package: inout InstalledPackage) {
    guard !package.files.isEmpty else { return }
    var seen = Set<Int32>()
    var bytes: Int64 = 0
    var present = 0
    let isOSPackage = package.ecosystem == .dpkg || package.ecosystem == .apk
    let owner = "\(package.ecosystem.rawValue):\(package.name)"
    for path in package.files {
      guard let node = resolver.resolvePresent(path), !tree.nodes[Int(node)].isDirectory, !isDirectoryLink(node, path),
        seen.insert(node).inserted
      else { continue }
      bytes += tree.contentBytes(of: node)
      present += 1
      if isOSPackage && owners[node] == nil { owners[node] = owner }
    }
    package.bytes = bytes
    package.presentFiles = present
  }

  /// Whether `node` is a symlink standing for a directory (merged /usr's `/bin` → `usr/bin`):
  /// listed as a directory, not a file of the package.
  func isDirectoryLink(_ node: Int32, _ path: String) -> Bool {
    guard tree.nodes[Int(node)].kind == .symlink, let target = tree.resolvePresent(path + "/.") else { return false }
    return tree.nodes[Int(target)].isDirectory
  }

  /// Sets `managedBy` of Python and npm packages whose record file an OS package owns.
  func markManaged(_ packages: inout [InstalledPackage]) {
    guard !owners.isEmpty else { return }
    for index in packages.indices where packages[index].ecosystem == .python || packages[index].ecosystem == .npm {
      let directory = String(packages[index].location.dropFirst())
      let record = ["METADATA", "PKG-INFO", "package.json"].lazy.compactMap {
        tree.resolvePresent(directory + "/" + $0)
      }.first
      if let record, let owner = owners[record] { packages[index].managedBy = owner }
    }
  }

  /// Every present non-directory path under `directory`, nested `node_modules` left out (those
  /// are packages of their own).
  static func filesUnder(_ directory: String, in tree: FileTree) -> [String] {
    guard let start = tree.lookup(directory) else { return [] }
    var result: [String] = []
    var stack: [(Int32, String)] = [(start, directory)]
    while let (node, path) = stack.popLast() {
      for child in tree.presentChildren(of: node) {
        let item = tree.nodes[Int(child)]
        let childPath = path + "/" + item.name
        if item.isDirectory {
          if item.name != "node_modules" { stack.append((child, childPath)) }
        } else {
          result.append(childPath)
        }
      }
    }
    return result.sorted()
  }
}
