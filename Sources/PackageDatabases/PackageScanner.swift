import Analysis
import ImageModel
import MergedTree

/// Finds the package databases of an image, reads only those files (batched by the layer that
/// holds each one's final content), and sizes every package from the merged tree.
public enum PackageScanner {
  /// The largest database file strata reads (a dpkg status of a big image is a few MB).
  public static let maxFileBytes: Int64 = 64 << 20

  /// A database file to read.
  public struct DatabaseFile: Sendable, Hashable {
    /// Which package manager's.
    public var ecosystem: PackageEcosystem
    /// Normalised path.
    public var path: String
    /// The node in the tree.
    public var node: Int32
  }

  /// Reads and parses every package database of an analysed image.
  public static func scan(_ analysis: ImageAnalysis) -> PackageInventory {
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

  /// The database files present in the tree: dpkg's status (or `status.d/`) and `.list` files,
  /// apk's installed, every dist-info's `METADATA` and `RECORD`, egg-info's `PKG-INFO` and
  /// `installed-files.txt`, every `node_modules` package's `package.json`.
  public static func databaseFiles(in tree: FileTree) -> [DatabaseFile] {
    var result: [DatabaseFile] = []
    func add(_ ecosystem: PackageEcosystem, _ path: String) {
      guard let node = tree.lookup(path), tree.nodes[Int(node)].isPresent, tree.nodes[Int(node)].kind == .regular
      else { return }
      result.append(DatabaseFile(ecosystem: ecosystem, path: path, node: node))
    }
    add(.dpkg, "var/lib/dpkg/status")
    for directory in ["var/lib/dpkg/info", "var/lib/dpkg/status.d"] {
      guard let node = tree.lookup(directory), tree.nodes[Int(node)].isPresent else { continue }
      for child in tree.presentChildren(of: node) {
        let name = tree.nodes[Int(child)].name
        if directory.hasSuffix("info") ? name.hasSuffix(".list") : !name.hasPrefix(".") {
          add(.dpkg, directory + "/" + name)
        }
      }
    }
    add(.apk, "lib/apk/db/installed")
    add(.apk, "usr/lib/apk/db/installed")
    for (index, node) in tree.nodes.enumerated() where node.isPresent && node.isDirectory {
      let name = node.name
      if name.hasSuffix(".dist-info") || name.hasSuffix(".egg-info") {
        let directory = tree.path(of: Int32(index))
        let names = name.hasSuffix(".dist-info") ? ["METADATA", "RECORD"] : ["PKG-INFO", "installed-files.txt"]
        for file in names where tree.child(file, of: Int32(index)) != nil { add(.python, directory + "/" + file) }
      } else if name == "node_modules" {
        let directory = tree.path(of: Int32(index))
        for child in tree.presentChildren(of: Int32(index)) where tree.nodes[Int(child)].isDirectory {
          let childName = tree.nodes[Int(child)].name
          if childName.hasPrefix("@") {
            for scoped in tree.presentChildren(of: child) where tree.child("package.json", of: scoped) != nil {
              add(.npm, "\(directory)/\(childName)/\(tree.nodes[Int(scoped)].name)/package.json")
            }
          } else if !childName.hasPrefix("."), tree.child("package.json", of: child) != nil {
            add(.npm, "\(directory)/\(childName)/package.json")
          }
        }
      }
    }
    return result
  }

  /// Parses the database files' contents (by normalised path) into sized packages. Pure.
  public static func build(
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
