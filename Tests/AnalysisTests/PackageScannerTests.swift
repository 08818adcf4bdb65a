import Analysis
import Foundation
import ImageLoading
import ImageModel
import MergedTree
import PackageDatabases
import TestSupport
import Testing

/// Loads a legacy docker-archive built from layers (streamed through stdin-like reading when
/// `compression` compresses the whole archive) and scans its packages.
func scanPackages(_ layers: [TarBuilder], compression: TarCompression = .none) throws -> PackageInventory {
  let specs = try layers.map { try LayerSpec($0) }
  let bytes = try ImageArchiveBuilder(.dockerLegacy, ImageSpec(tags: ["pkgs:1"], layers: specs)).build(compression)
  var options = LoadOptions()
  options.contentNeeds = PackageScanner.contentNeeds  // what a stream keeps for the scanner
  return try withTemporaryFile(bytes) { path in
    PackageScanner.scan(Analyzer.analyze(try ImageLoader.load(path, options: options)))
  }
}

private let dpkgStatus = """
  Package: hostname
  Status: install ok installed
  Installed-Size: 46
  Architecture: amd64
  Version: 3.23+nmu1

  Package: libc6
  Status: install ok installed
  Installed-Size: 12985
  Architecture: amd64
  Multi-Arch: same
  Version: 2.36-9

  Package: gone
  Status: deinstall ok config-files
  Architecture: all
  Version: 1.0

  """

@Suite("Package scanning through the image's content")
struct PackageScannerTests {
  /// A merged-/usr Debian-like image: /bin links to usr/bin, dpkg lists /bin paths.
  func debianLike() -> [TarBuilder] {
    let base = TarBuilder()
      .dir("usr/bin").dir("usr/lib").symlink("bin", to: "usr/bin").symlink("lib", to: "usr/lib")
      .file("usr/bin/hostname", size: 22_680).symlink("usr/bin/dnsdomainname", to: "hostname")
      .file("usr/lib/libc.so.6", size: 1_000_000).file("usr/lib/ld.so", size: 200_000)
      .file("usr/share/doc/hostname/copyright", size: 1_500)
      .file("var/lib/dpkg/status", text: dpkgStatus)
      .file(
        "var/lib/dpkg/info/hostname.list",
        text: "/.\n/bin\n/bin/hostname\n/bin/dnsdomainname\n/usr\n/usr/share/doc/hostname/copyright\n"
      )
      .file("var/lib/dpkg/info/libc6:amd64.list", text: "/lib/libc.so.6\n/usr/lib/ld.so\n/lib/missing.so\n")
      .file("var/lib/dpkg/info/gone.list", text: "/etc/gone.conf\n")
    // A later layer deletes the docs (a slimming step) and rewrites libc.
    let slimmer = TarBuilder().whiteout("usr/share/doc").file("usr/lib/libc.so.6", size: 900_000)
    return [base, slimmer]
  }

  @Test func dpkgBytesFollowMergedUsrAndTheFinalTree() throws {
    let inventory = try scanPackages(debianLike())
    let hostname = try #require(inventory.packages.first { $0.name == "hostname" })
    // bin/hostname resolves through the /bin symlink; the deleted copyright no longer counts.
    #expect(hostname.bytes == 22_680)
    #expect(hostname.presentFiles == 2)  // hostname and the dnsdomainname symlink
    #expect(hostname.declaredBytes == 47_104)  // 46 KiB
    #expect(hostname.version == "3.23+nmu1")
    let libc = try #require(inventory.packages.first { $0.name == "libc6" })
    #expect(libc.bytes == 1_100_000)  // the rewritten size, from layer 1
    #expect(libc.presentFiles == 2)
    #expect(!inventory.packages.contains { $0.name == "gone" })
    #expect(inventory.databases[.dpkg]?.contains("/var/lib/dpkg/status") == true)
    #expect(inventory.notes.isEmpty)
  }

  @Test func streamedArchivesKeepTheDatabases() throws {
    // A zstd-compressed archive is read in one pass: the scanner uses the contents kept then,
    // the ones its `contentNeeds` asked for.
    let inventory = try scanPackages(debianLike(), compression: .zstd)
    #expect(inventory.packages.first { $0.name == "libc6" }?.bytes == 1_100_000)
  }

  @Test func databaseFilesAreTheOnesAStreamKeeps() {
    let databases = [
      "var/lib/dpkg/status", "var/lib/dpkg/info/libc6:amd64.list", "var/lib/dpkg/status.d/tzdata",
      "var/lib/dpkg/status.d/tzdata.md5sums", "lib/apk/db/installed", "usr/lib/apk/db/installed",
      "usr/lib/python3/site-packages/idna-3.6.dist-info/METADATA",
      "usr/lib/python3/site-packages/idna-3.6.dist-info/RECORD",
      "usr/lib/python3/dist-packages/six-1.16.0.egg-info/PKG-INFO",
      "usr/lib/python3/dist-packages/six-1.16.0.egg-info/installed-files.txt",
      "app/node_modules/left-pad/package.json", "app/node_modules/@scope/tool/package.json",
    ]
    let others = [
      "var/lib/dpkg/info/libc6.md5sums", "var/lib/dpkg/status.d/.hidden", "etc/status", "var/lib/dpkg/status-old",
      "app/package.json", "app/node_modules/.bin/package.json", "app/node_modules/@scope/package.json",
      "app/node_modules/left-pad/lib/package.json", "usr/lib/x.dist-info/PKG-INFO",
    ]
    let tree = FileTree(layers: [LayerContents(entries: (databases + others).map { f($0, 10) })])
    #expect(PackageScanner.databaseFiles(in: tree).map(\.path).sorted() == databases.sorted())
    for path in databases { #expect(PackageScanner.contentNeeds.bytesToKeep(of: path, size: 10) == 10, "\(path)") }
    for path in others { #expect(PackageScanner.contentNeeds.bytesToKeep(of: path, size: 10) == 0, "\(path)") }
    let tooLarge = PackageScanner.maxFileBytes + 1
    #expect(PackageScanner.contentNeeds.bytesToKeep(of: databases[0], size: tooLarge) == 0)
  }

  @Test func apkPythonAndNpmTogether() throws {
    let apk = """
      P:musl
      V:1.2.4-r2
      A:x86_64
      I:622592
      F:lib
      R:ld-musl-x86_64.so.1

      P:busybox
      V:1.36.1-r5
      A:x86_64
      F:bin
      R:busybox

      """
    let site = "usr/lib/python3.11/site-packages"
    let record = "six.py,sha256=x,34549\nsix-1.16.0.dist-info/METADATA,,\n../../../bin/six-tool,,\n"
    let layer0 = TarBuilder()
      .file("lib/apk/db/installed", text: apk).file("lib/ld-musl-x86_64.so.1", size: 600_000)
      .file("bin/busybox", size: 900_000)
    let layer1 = TarBuilder()
      .file("\(site)/six.py", size: 34_549).file(
        "\(site)/six-1.16.0.dist-info/METADATA", text: "Name: six\nVersion: 1.16.0\n"
      )
      .file("\(site)/six-1.16.0.dist-info/RECORD", text: record).file("usr/bin/six-tool", size: 100)
      .file("\(site)/Legacy_Pkg-0.9.dist-info/RECORD", text: "legacy.py,,\n").file("\(site)/legacy.py", size: 10)
    let layer2 = TarBuilder()
      .file("app/node_modules/ms/package.json", text: #"{"name":"ms","version":"2.1.3"}"#)
      .file("app/node_modules/ms/index.js", size: 3_000)
      .file("app/node_modules/debug/package.json", text: #"{"name":"debug","version":"4.3.4"}"#)
      .file("app/node_modules/debug/src/node.js", size: 4_000)
      .file("app/node_modules/debug/node_modules/ms/package.json", text: #"{"name":"ms","version":"2.1.2"}"#)
      .file("app/node_modules/debug/node_modules/ms/index.js", size: 2_900)
      .file("app/node_modules/@types/ms/package.json", text: #"{"name":"@types/ms","version":"0.7.31"}"#)
      .file("app/node_modules/.bin/ms", size: 10).file("app/node_modules/broken/package.json", text: "{")
    let inventory = try scanPackages([layer0, layer1, layer2])
    let apkNames = inventory.packages(of: .apk).map { "\($0.name) \($0.bytes ?? -1)" }
    #expect(apkNames == ["busybox 900000", "musl 600000"])
    let python = inventory.packages(of: .python)
    let six = try #require(python.first { $0.name == "six" })
    #expect(six.version == "1.16.0")
    #expect(six.bytes == 34_675)  // six.py, METADATA, the script in usr/bin
    #expect(six.location == "/\(site)/six-1.16.0.dist-info")
    // No METADATA: name and version from the directory name.
    let legacy = try #require(python.first { $0.name == "Legacy_Pkg" })
    #expect(legacy.version == "0.9" && legacy.bytes == 10)
    let types = Int64(#"{"name":"@types/ms","version":"0.7.31"}"#.utf8.count)
    let debug = Int64(#"{"name":"debug","version":"4.3.4"}"#.utf8.count) + 4_000
    let ms = Int64(#"{"name":"ms","version":"2.1.3"}"#.utf8.count) + 3_000
    let nestedMS = Int64(#"{"name":"ms","version":"2.1.2"}"#.utf8.count) + 2_900
    let npm = inventory.packages(of: .npm).map { "\($0.name)@\($0.version) \($0.location) \($0.bytes ?? -1)" }
    #expect(
      npm == [
        "@types/ms@0.7.31 /app/node_modules/@types/ms \(types)",
        "debug@4.3.4 /app/node_modules/debug \(debug)",  // its nested node_modules not counted
        "ms@2.1.2 /app/node_modules/debug/node_modules/ms \(nestedMS)",
        "ms@2.1.3 /app/node_modules/ms \(ms)",
      ])
    #expect(inventory.ecosystems == [.apk, .python, .npm])
  }

  @Test func pythonPackagesOwnedByDpkgAreMarked() throws {
    let site = "usr/lib/python3/dist-packages"
    let layer = TarBuilder()
      .file(
        "var/lib/dpkg/status",
        text: "Package: python3-six\nStatus: install ok installed\nVersion: 1.16.0-4\nArchitecture: all\n"
      )
      .file(
        "var/lib/dpkg/info/python3-six.list", text: "/\(site)/six.py\n/\(site)/six-1.16.0.egg-info/PKG-INFO\n"
      )
      .file("\(site)/six.py", size: 30_000).file(
        "\(site)/six-1.16.0.egg-info/PKG-INFO", text: "Name: six\nVersion: 1.16.0\n")
    let inventory = try scanPackages([layer])
    let six = try #require(inventory.packages(of: .python).first)
    #expect(six.managedBy == "dpkg:python3-six")
    #expect(six.bytes == nil)  // an egg-info without installed-files.txt lists no files
    #expect(inventory.packages(of: .dpkg).first?.bytes == 30_026)
  }

  @Test func imagesWithoutDatabasesHaveNoPackages() throws {
    let inventory = try scanPackages([TarBuilder().file("app/run.sh", size: 10)])
    #expect(inventory.packages.isEmpty && inventory.notes.isEmpty)
  }

  @Test func inMemoryImagesSayContentsAreMissing() {
    let analysis = Analyzer.analyze(image([layer(f("var/lib/dpkg/status", 100))]))
    let inventory = PackageScanner.scan(analysis)
    #expect(inventory.packages.isEmpty)
    #expect(inventory.notes.contains { $0.contains("not available") })
  }

  /// The resolver that remembers directories answers as `FileTree.resolvePresent` does, for
  /// paths in list order that go in and out of directories, through merged-/usr links, into
  /// missing and deleted directories, and with `.`, `..` and empty components.
  @Test func rememberedDirectoriesResolveAsTheTreeDoes() {
    let tree = FileTree(layers: [
      layer(
        d("usr"), d("usr/bin"), f("usr/bin/ls", 5), f("usr/bin/cat", 6), d("usr/lib"), d("usr/lib/x"),
        f("usr/lib/x/a.so", 7), f("usr/lib/b.so", 8), f("usr/lib/ls", 3), sym("bin", "usr/bin"), sym("lib", "/usr/lib"),
        d("opt"),
        d("opt/gone"), f("opt/gone/f", 1), sym("usr/bin/sh", "dash"), f("usr/bin/dash", 9)),
      layer(wh("opt/gone"), f("opt/new", 2)),
    ])
    let paths = [
      "usr/bin/ls", "usr/bin/cat", "usr/lib/x/a.so", "usr/lib/b.so", "usr/bin/ls", "bin/ls", "bin/cat", "lib/x/a.so",
      "lib/b.so", "bin/sh", "usr/bin/sh", "opt/gone/f", "opt/new", "opt/missing/f", "opt/missing/g",
      "usr/lib/x/../b.so",
      "usr/./bin/ls", "usr//bin/ls", "usr/bin/", "usr/bin/.", "bin/.", "usr", "bin", "", "nothing", "usr/bin/ls/x",
      "bin/ls", "lib/x/a.so", "usr/bin/ls", "usr/lib/ls", "usr/bin/ls", "opt/missing/ls", "usr/lib/ls",
    ]
    let resolver = PresentPathResolver(tree: tree)
    for path in paths {
      #expect(resolver.lookup(path) == tree.lookup(path), "lookup \(path)")
      #expect(resolver.resolvePresent(path) == tree.resolvePresent(path), "\(path)")
    }
    #expect(resolver.resolvePresent("bin/ls") == tree.lookup("usr/bin/ls"))
    #expect(resolver.resolvePresent("opt/gone/f") == nil)
  }

  @Test func buildIsPureOverGivenContents() {
    let tree = FileTree(layers: [layer(f("var/lib/dpkg/status", 10), f("usr/bin/x", 77))])
    let files = PackageScanner.databaseFiles(in: tree)
    #expect(files.map(\.path) == ["var/lib/dpkg/status"])
    let inventory = PackageScanner.build(
      tree: tree, files: files,
      contents: [
        "var/lib/dpkg/status": Array("Package: x\nVersion: 1\nStatus: install ok installed\n".utf8),
        "var/lib/dpkg/info/x.list": Array("/usr/bin/x\n".utf8),
      ])
    #expect(inventory.packages.map { "\($0.name) \($0.bytes ?? -1)" } == ["x 77"])
  }

  @Test func realDebianPackageInTheCompareFixture() throws {
    let image = try ImageLoader.load(
      fixtureURL("images/compare/compare.tar").path, options: LoadOptions(image: "localhost/strata/compare-app:v2"))
    let inventory = PackageScanner.scan(Analyzer.analyze(image))
    let hostname = try #require(inventory.packages(of: .dpkg).first)
    #expect(hostname.name == "hostname")
    // /usr/share/doc was removed by the last layer: only the binaries and man pages remain.
    let tree = Analyzer.analyze(image).tree
    var expected: Int64 = 0
    for path in hostname.files {
      if let node = tree.resolvePresent(path), !tree.nodes[Int(node)].isDirectory {
        expected += tree.contentBytes(of: node)
      }
    }
    #expect(hostname.bytes == expected)
    #expect((hostname.bytes ?? 0) > 22_000)
    #expect(Set(inventory.packages(of: .python).map { "\($0.name) \($0.version)" }) == ["six 1.16.0", "idna 3.6"])
    #expect(Set(inventory.packages(of: .npm).map { "\($0.name) \($0.version)" }).contains("ms 2.1.3"))
  }
}
