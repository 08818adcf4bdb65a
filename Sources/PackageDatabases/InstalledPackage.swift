import Analysis

/// A package manager whose database strata reads.
public enum PackageEcosystem: String, Sendable, Hashable, CaseIterable, Comparable {
  /// Debian's dpkg: `/var/lib/dpkg/status` (or distroless `status.d/`), files from `info/*.list`.
  case dpkg
  /// Alpine's apk: `/lib/apk/db/installed`.
  case apk
  /// Python distributions: `*.dist-info` (`METADATA`, `RECORD`) and `*.egg-info`.
  case python
  /// npm packages: `node_modules/NAME/package.json` (scoped `node_modules/@scope/NAME`).
  case npm

  /// Ordered as declared (OS package managers first).
  public static func < (lhs: Self, rhs: Self) -> Bool {
    allCases.firstIndex(of: lhs) ?? 0 < allCases.firstIndex(of: rhs) ?? 0
  }
}

/// One installed package, as its database records it, with the bytes its files hold in the
/// merged filesystem.
public struct InstalledPackage: Sendable, Hashable {
  /// The package manager.
  public var ecosystem: PackageEcosystem
  /// The package name as the database spells it.
  public var name: String
  /// Its version.
  public var version: String
  /// Its architecture, when the database records one (`amd64`, `all`, `x86_64`).
  public var architecture: String?
  /// Where its record lives, `/`-rooted: the database file (dpkg, apk) or the package's own
  /// directory (`…/six-1.16.0.dist-info`, `/app/node_modules/ms`).
  public var location: String
  /// The paths it owns (normalised, no leading `/`), as listed by its database; for npm every
  /// file under its directory (nested `node_modules` excluded).
  public var files: [String]
  /// Bytes of the files it owns that are present in the merged filesystem (each file once);
  /// nil when the database lists no files for it.
  public var bytes: Int64?
  /// How many of its listed paths are present non-directories.
  public var presentFiles: Int
  /// The size its database declares (dpkg `Installed-Size` × 1024, apk `I:`), when it does.
  public var declaredBytes: Int64?
  /// For a Python or npm package whose record an OS package owns: that package (`dpkg:python3-six`).
  public var managedBy: String?

  /// Creates a package.
  public init(
    ecosystem: PackageEcosystem, name: String, version: String, architecture: String? = nil, location: String,
    files: [String] = [], bytes: Int64? = nil, presentFiles: Int = 0, declaredBytes: Int64? = nil,
    managedBy: String? = nil
  ) {
    self.ecosystem = ecosystem
    self.name = name
    self.version = version
    self.architecture = architecture
    self.location = location
    self.files = files
    self.bytes = bytes
    self.presentFiles = presentFiles
    self.declaredBytes = declaredBytes
    self.managedBy = managedBy
  }

  /// The name packages are matched by across images: Python names normalised as PEP 503 says
  /// (`Foo_Bar` = `foo-bar`), others as spelled.
  public var matchName: String {
    guard ecosystem == .python else { return name }
    var result = ""
    var lastWasSeparator = false
    for character in name.lowercased() {
      if character == "-" || character == "_" || character == "." {
        if !lastWasSeparator { result.append("-") }
        lastWasSeparator = true
      } else {
        result.append(character)
        lastWasSeparator = false
      }
    }
    return result
  }
}

/// Every package found in one image, and what could not be read.
public struct PackageInventory: Sendable, Hashable {
  /// The packages, by ecosystem then name.
  public var packages: [InstalledPackage]
  /// The database files read, `/`-rooted, by ecosystem.
  public var databases: [PackageEcosystem: [String]]
  /// What could not be read or parsed.
  public var notes: [String]

  /// Creates an inventory.
  public init(packages: [InstalledPackage], databases: [PackageEcosystem: [String]] = [:], notes: [String] = []) {
    self.packages = packages
    self.databases = databases
    self.notes = notes
  }

  /// The packages of one ecosystem.
  public func packages(of ecosystem: PackageEcosystem) -> [InstalledPackage] {
    packages.filter { $0.ecosystem == ecosystem }
  }

  /// The ecosystems found, in order.
  public var ecosystems: [PackageEcosystem] { Set(packages.map(\.ecosystem)).sorted() }

  /// The `limit` largest packages (unknown sizes last), ties by name.
  public func largest(limit: Int, ecosystem: PackageEcosystem? = nil) -> [InstalledPackage] {
    let chosen = ecosystem.map { packages(of: $0) } ?? packages
    return Array(
      chosen.sorted { lhs, rhs in
        let left = lhs.bytes ?? -1
        let right = rhs.bytes ?? -1
        return left != right ? left > right : (lhs.name, lhs.location) < (rhs.name, rhs.location)
      }.prefix(limit))
  }

  /// Count and bytes (known sizes summed) per ecosystem.
  public func totals() -> [PackageEcosystem: (count: Int, bytes: Int64)] {
    var result: [PackageEcosystem: (count: Int, bytes: Int64)] = [:]
    for package in packages {
      let current = result[package.ecosystem] ?? (0, 0)
      result[package.ecosystem] = (current.count + 1, current.bytes + (package.bytes ?? 0))
    }
    return result
  }
}
