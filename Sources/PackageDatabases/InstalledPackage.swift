import Analysis

/// A package manager whose database strata reads.
package enum PackageEcosystem: String, Sendable, Hashable, CaseIterable, Comparable {
  /// Debian's dpkg: `/var/lib/dpkg/status` (or distroless `status.d/`), files from `info/*.list`.
  case dpkg
  /// Alpine's apk: `/lib/apk/db/installed`.
  case apk
  /// Python distributions: `*.dist-info` (`METADATA`, `RECORD`) and `*.egg-info`.
  case python
  /// npm packages: `node_modules/NAME/package.json` (scoped `node_modules/@scope/NAME`).
  case npm

  /// Ordered as declared (OS package managers first).
  package static func < (lhs: Self, rhs: Self) -> Bool {
    allCases.firstIndex(of: lhs) ?? 0 < allCases.firstIndex(of: rhs) ?? 0
  }
}

/// One installed package, as its database records it, with the bytes its files hold in the
/// merged filesystem.
package struct InstalledPackage: Sendable, Hashable {
  /// The package manager.
  package var ecosystem: PackageEcosystem
  /// The package name as the database spells it.
  package var name: String
  /// Its version.
  package var version: String
  /// Its architecture, when the database records one (`amd64`, `all`, `x86_64`).
  package var architecture: String?
  /// Where its record lives, `/`-rooted: the database file (dpkg, apk) or the package's own
  /// directory (`…/six-1.16.0.dist-info`, `/app/node_modules/ms`).
  package var location: String
  /// The paths it owns (normalised, no leading `/`), as listed by its database; for npm every
  /// file under its directory (nested `node_modules` excluded).
  package var files: [String]
  /// Bytes of the files it owns that are present in the merged filesystem (each file once);
  /// nil when the database lists no files for it.
  package var bytes: Int64?
  /// How many of its listed paths are present non-directories.
  package var presentFiles: Int
  /// The size its database declares (dpkg `Installed-Size` × 1024, apk `I:`), when it does.
  package var declaredBytes: Int64?
  /// For a Python or npm package whose record an OS package owns: that package (`dpkg:python3-six`).
  package var managedBy: String?

  /// Creates a package.
  package init(
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
  package var matchName: String {
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
package struct PackageInventory: Sendable, Hashable {
  /// The packages, by ecosystem then name.
  package var packages: [InstalledPackage]
  /// The database files read, `/`-rooted, by ecosystem.
  package var databases: [PackageEcosystem: [String]]
  /// What could not be read or parsed.
  package var notes: [String]

  /// Creates an inventory.
  package init(packages: [InstalledPackage], databases: [PackageEcosystem: [String]] = [:], notes: [String] = []) {
    self.packages = packages
    self.databases = databases
    self.notes = notes
  }

  /// The packages of one ecosystem.
  package func packages(of ecosystem: PackageEcosystem) -> [InstalledPackage] {
    packages.filter { $0.ecosystem == ecosystem }
  }

  /// The ecosystems found, in order.
  package var ecosystems: [PackageEcosystem] { Set(packages.map(\.ecosystem)).sorted() }

  /// The `limit` largest packages (unknown sizes last), ties by name.
  package func largest(limit: Int, ecosystem: PackageEcosystem? = nil) -> [InstalledPackage] {
    let chosen = ecosystem.map { packages(of: $0) } ?? packages
    return Array(
      chosen.sorted { lhs, rhs in
        let left = lhs.bytes ?? -1
        let right = rhs.bytes ?? -1
        return left != right ? left > right : (lhs.name, lhs.location) < (rhs.name, rhs.location)
      }.prefix(limit))
  }

  /// Count and bytes (known sizes summed) per ecosystem.
  package func totals() -> [PackageEcosystem: (count: Int, bytes: Int64)] {
    var result: [PackageEcosystem: (count: Int, bytes: Int64)] = [:]
    for package in packages {
      let current = result[package.ecosystem] ?? (0, 0)
      result[package.ecosystem] = (current.count + 1, current.bytes + (package.bytes ?? 0))
    }
    return result
  }
}
