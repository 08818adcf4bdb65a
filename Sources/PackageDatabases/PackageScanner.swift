import Analysis
import ImageModel
import MergedTree

/// Finds the package databases of an image, reads only those files (batched by the layer that
/// holds each one's final content), and sizes every package from the merged tree.
package enum PackageScanner {
  /// The largest database file strata reads (a dpkg status of a big image is a few MB).
  package static let maxFileBytes: Int64 = 64 << 20

  /// A database file to read.
  package struct DatabaseFile: Sendable, Hashable {
    /// Which package manager's.
    package var ecosystem: PackageEcosystem
    /// Normalised path.
    package var path: String
    /// The node in the tree.
    package var node: Int32
  }

  /// Reads and parses every package database of an analysed image.
  package static func scan(_ analysis: ImageAnalysis) -> PackageInventory {
    let tree = analysis.tree
    let wanted = databaseFiles(in: tree)
    var notes: [String] = []
    var requests: [Int: [String: Int32]] = [:]
    var limits: [Int: Int64] = [:]
    for file in wanted {
      let node = tree.nodes[Int(file.node)]
      guard node.size <= maxFileBytes else {
        notes.append("/\(file.path) is larger than \(maxFileBytes >> 20) MB: not read")
        continue
      }
      requests[Int(node.layer), default: [:]][file.path] = file.node
      limits[Int(node.layer)] = max(limits[Int(node.layer)] ?? 0, node.size)
    }
    var fetcher = ContentFetcher(source: analysis.image.content)
    var contents: [String: [UInt8]] = [:]
    for (layer, paths) in requests.sorted(by: { $0.key < $1.key }) {
      let found = fetcher.fetch(nodes: [layer: paths], headLimit: Int(limits[layer] ?? 0), tree: tree)[layer] ?? [:]
      for path in paths.keys.sorted() {
        guard let content = found[path] else {
          if analysis.image.content != nil { notes.append("could not read /\(path) from layer \(layer)") }
          continue
        }
        guard content.isComplete else {
          notes.append("/\(path): only its first \(content.head.count) bytes were kept (streamed input); not parsed")
          continue
        }
        contents[path] = content.head
      }
    }
    notes = fetcher.notes + notes
    return build(tree: tree, files: wanted, contents: contents, notes: notes)
  }

  /// The database files present in the tree (see `ecosystem(ofDatabaseFile:)`), in the tree's
  /// order.
  package static func databaseFiles(in tree: FileTree) -> [DatabaseFile] {
    var result: [DatabaseFile] = []
    // Directory paths by node; a parent always comes before its children.
    var directories: [Int32: String] = [FileTree.root: ""]
    for (index, node) in tree.nodes.enumerated() where index > 0 {
      guard let directory = directories[node.parent] else { continue }
      if node.isDirectory {
        directories[Int32(index)] = directory.appendingComponent(node.name)
      } else if node.isPresent, node.kind == .regular,
        let ecosystem = ecosystem(ofFileNamed: node.name, in: directory)
      {
        result.append(
          DatabaseFile(ecosystem: ecosystem, path: directory.appendingComponent(node.name), node: Int32(index)))
      }
    }
    return result
  }

  /// The package manager whose database the regular file at `path` (normalised) is, or nil.
  package static func ecosystem(ofDatabaseFile path: String) -> PackageEcosystem? {
    ecosystem(ofFileNamed: PathName.base(of: path), in: PathName.parent(of: path))
  }

  /// The package manager whose database the regular file `name` in `directory` is, or nil:
  /// dpkg's `status`, `status.d/*` (distroless; but names starting with `.`) and
  /// `info/*.list`; apk's `installed` (under `lib/` or `usr/lib/`); a `.dist-info`'s `METADATA`
  /// and `RECORD`; an `.egg-info`'s `PKG-INFO` and `installed-files.txt`; the `package.json`
  /// of each package in a `node_modules` (scoped ones too). The one statement of which files
  /// are databases: `databaseFiles` finds them in a tree by it, `contentNeeds` keeps them from
  /// a stream by it.
  static func ecosystem(ofFileNamed name: String, in directory: String) -> PackageEcosystem? {
    switch directory {
    case "var/lib/dpkg": return name == "status" ? .dpkg : nil
    case "var/lib/dpkg/info": return name.hasSuffix(".list") ? .dpkg : nil
    case "var/lib/dpkg/status.d": return name.hasPrefix(".") ? nil : .dpkg
    case "lib/apk/db", "usr/lib/apk/db": return name == "installed" ? .apk : nil
    default: break
    }
    if name == "METADATA" || name == "RECORD" {
      return PathName.base(of: directory).hasSuffix(".dist-info") ? .python : nil
    }
    if name == "PKG-INFO" || name == "installed-files.txt" {
      return PathName.base(of: directory).hasSuffix(".egg-info") ? .python : nil
    }
    guard name == "package.json" else { return nil }
    let directoryName = PathName.base(of: directory)
    let parent = PathName.parent(of: directory)
    let parentName = PathName.base(of: parent)
    if parentName == "node_modules" {
      return directoryName.hasPrefix(".") || directoryName.hasPrefix("@") ? nil : .npm
    }
    return parentName.hasPrefix("@") && PathName.base(of: PathName.parent(of: parent)) == "node_modules" ? .npm : nil
  }

  /// The contents `scan` reads, for a stream to keep as it goes by: every database file whole,
  /// up to `maxFileBytes`.
  package static let contentNeeds = ContentNeeds(id: "packages.databases.1") { path, size in
    size <= maxFileBytes && ecosystem(ofDatabaseFile: path) != nil ? Int(size) : 0
  }

  /// Parses the database files' contents (by normalised path) into sized packages. Pure.
  package static func build(
    tree: FileTree, files: [DatabaseFile], contents: [String: [UInt8]], notes: [String] = []
  ) -> PackageInventory {
    var packages: [InstalledPackage] = []
    var databases: [PackageEcosystem: [String]] = [:]
    for file in files where contents[file.path] != nil {
      databases[file.ecosystem, default: []].append("/" + file.path)
    }
    packages += dpkgPackages(contents)
    if let bytes = contents["lib/apk/db/installed"] ?? contents["usr/lib/apk/db/installed"] {
      let location = contents["lib/apk/db/installed"] != nil ? "/lib/apk/db/installed" : "/usr/lib/apk/db/installed"
      packages += ApkInstalled.parse(bytes).map {
        InstalledPackage(
          ecosystem: .apk, name: $0.name, version: $0.version, architecture: $0.architecture, location: location,
          files: $0.files, declaredBytes: $0.installedSize)
      }
    }
    packages += pythonPackages(files, contents)
    packages += npmPackages(files, contents, tree: tree)
    var sizer = PackageSizer(tree: tree)
    for index in packages.indices { sizer.size(&packages[index]) }
    sizer.markManaged(&packages)
    packages.sort { ($0.ecosystem, $0.name, $0.location) < ($1.ecosystem, $1.name, $1.location) }
    return PackageInventory(packages: packages, databases: databases.mapValues { $0.sorted() }, notes: notes)
  }

  static func dpkgPackages(_ contents: [String: [UInt8]]) -> [InstalledPackage] {
    var records: [(DpkgStatus.Record, String)] = []
    if let status = contents["var/lib/dpkg/status"] {
      records += DpkgStatus.parse(status).map { ($0, "/var/lib/dpkg/status") }
    }
    let statusD = "var/lib/dpkg/status.d/"
    for (path, bytes) in contents.sorted(by: { $0.key < $1.key })
    where path.hasPrefix(statusD) && !path.hasSuffix(".md5sums") {
      records += DpkgStatus.parse(bytes).map { ($0, "/" + path) }
    }
    return records.filter { $0.0.hasFiles }.map { record, location in
      var files: [String] = []
      let candidates = [
        "var/lib/dpkg/info/\(record.listName).list", "var/lib/dpkg/info/\(record.name).list",
        "var/lib/dpkg/info/\(record.name):\(record.architecture ?? "").list",
      ]
      if let list = candidates.lazy.compactMap({ contents[$0] }).first {
        files = DpkgStatus.parseList(list)
      } else if let sums = contents[statusD + record.name + ".md5sums"] {
        files = DpkgStatus.parseMD5Sums(sums)
      }
      return InstalledPackage(
        ecosystem: .dpkg, name: record.name, version: record.version, architecture: record.architecture,
        location: location, files: files, declaredBytes: record.installedSizeKiB.map { $0 * 1024 })
    }
  }

  static func pythonPackages(_ files: [DatabaseFile], _ contents: [String: [UInt8]]) -> [InstalledPackage] {
    var result: [InstalledPackage] = []
    let directories = Set(files.filter { $0.ecosystem == .python }.map { PathName.parent(of: $0.path) })
    for directory in directories.sorted() {
      let isDistInfo = directory.hasSuffix(".dist-info")
      let metadata = contents[directory + (isDistInfo ? "/METADATA" : "/PKG-INFO")]
      guard
        let identity = metadata.flatMap(PythonDistributions.parseMetadata)
          ?? PythonDistributions.parseDirectoryName(PathName.base(of: directory))
      else { continue }
      var owned: [String] = []
      if isDistInfo, let record = contents[directory + "/RECORD"] {
        owned = PythonDistributions.parseRecord(record, siteDirectory: PathName.parent(of: directory))
      } else if let installed = contents[directory + "/installed-files.txt"] {
        owned = PythonDistributions.parseInstalledFiles(installed, eggInfoDirectory: directory)
      }
      result.append(
        InstalledPackage(
          ecosystem: .python, name: identity.name, version: identity.version, location: "/" + directory, files: owned))
    }
    return result
  }

  static func npmPackages(_ files: [DatabaseFile], _ contents: [String: [UInt8]], tree: FileTree) -> [InstalledPackage]
  {
    files.filter { $0.ecosystem == .npm }.compactMap { file in
      let directory = PathName.parent(of: file.path)
      guard let bytes = contents[file.path], let manifest = NpmPackages.parseManifest(bytes) else { return nil }
      return InstalledPackage(
        ecosystem: .npm, name: manifest.name, version: manifest.version, location: "/" + directory,
        files: PackageSizer.filesUnder(directory, in: tree))
    }
  }
}
