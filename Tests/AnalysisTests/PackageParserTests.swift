import Analysis
import Foundation
import PackageDatabases
import TestSupport
import Testing

private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

@Suite("Package databases: dpkg")
struct DpkgParserTests {
  @Test func stanzasWithContinuationLinesAndStates() {
    let status = """
      Package: libc6
      Status: install ok installed
      Priority: optional
      Installed-Size: 12985
      Architecture: amd64
      Multi-Arch: same
      Version: 2.36-9+deb12u4
      Description: GNU C Library: Shared libraries
       Contains the standard libraries that are used by nearly all programs on
       the system.
       .
       A second paragraph.
      Conffiles:
       /etc/ld.so.conf.d/x86_64-linux-gnu.conf d4e7a7b88a71b5ffd9e2644e71a0cfab

      Package: oldpkg
      Status: deinstall ok config-files
      Version: 1.0
      Architecture: all

      Package: tzdata
      Status: install ok unpacked
      Version: 2024a-0+deb12u1
      Architecture: all
      Installed-Size: 2460

      """
    let records = DpkgStatus.parse(bytes(status))
    #expect(records.map(\.name) == ["libc6", "oldpkg", "tzdata"])
    #expect(records[0].version == "2.36-9+deb12u4")
    #expect(records[0].installedSizeKiB == 12985)
    #expect(records[0].listName == "libc6:amd64")
    #expect(records[0].hasFiles)
    #expect(!records[1].hasFiles)
    #expect(records[1].state == "config-files")
    #expect(records[2].listName == "tzdata")
    #expect(records[2].state == "unpacked" && records[2].hasFiles)
  }

  @Test func crlfAndMissingTrailingNewline() {
    let records = DpkgStatus.parse(
      bytes("Package: a\r\nStatus: install ok installed\r\nVersion: 1\r\n\r\nPackage: b\nVersion: 2"))
    #expect(records.map(\.name) == ["a", "b"])
    #expect(records.map(\.version) == ["1", "2"])
    // A distroless status.d stanza has no Status field: installed.
    #expect(records[1].state == "installed")
  }

  @Test func fieldsAreReadFromTheBytesAndOnlyTheNeededOnesKept() {
    // A description's continuation lines hold colons and blank-looking " ." lines; keys are
    // case-insensitive; a later field replaces an earlier one; a stanza without Package is skipped.
    let status = """
      Package: a
      description: one
       Version: not a field
       .
       key: value
      VERSION:\t1.2
      Installed-Size: 7
      Status: install ok installed

      Version: orphan

      Package: b
      Version: 1
      Version: 2
      """
    let records = DpkgStatus.parse(bytes(status))
    #expect(records.map(\.name) == ["a", "b"])
    #expect(records.map(\.version) == ["1.2", "2"])
    #expect(records[0].installedSizeKiB == 7 && records[0].state == "installed")
  }

  @Test func listLinesSplitAtLineFeedsOnly() {
    // dpkg splits at \n alone: a CR before it is a CRLF line end, other control bytes are a name's.
    let list = "/usr/a\r\n/usr/b\u{0B}c\n/usr/\u{2028}d\n/./usr//e/\n"
    #expect(DpkgStatus.parseList(bytes(list)) == ["usr/a", "usr/b\u{0B}c", "usr/\u{2028}d", "usr/e"])
  }

  @Test func listFilesAreNormalised() {
    let list = "/.\n/usr\n/usr/bin\n/usr/bin/hostname\n/bin/dnsdomainname\n\n/usr/share/doc/hostname/copyright\n"
    #expect(
      DpkgStatus.parseList(bytes(list)) == [
        "usr", "usr/bin", "usr/bin/hostname", "bin/dnsdomainname", "usr/share/doc/hostname/copyright",
      ])
  }

  @Test func listPathsKeepDotDotAndHiddenNamesAndRepairInvalidUTF8() {
    var list = bytes("/a/../b\n/a/.hidden/./\n/a/..x/.\n/usr/")
    list += [0xFF, 0x2F, 0x78, 0x0A]  // "\xFF/x\n": not UTF-8, repaired as decoding repairs it
    #expect(DpkgStatus.parseList(list) == ["a/../b", "a/.hidden", "a/..x", "usr/\u{FFFD}/x"])
  }

  @Test func distrolessMD5Sums() {
    let sums = "d41d8cd98f00b204e9800998ecf8427e  usr/lib/os-release\n0cc175b9c0f1b6a831c399e269772661  ./etc/x\n"
    #expect(DpkgStatus.parseMD5Sums(bytes(sums)) == ["usr/lib/os-release", "etc/x"])
  }

  @Test func realStatusExcerptAndLists() throws {
    let status = try readFile(fixtureURL("packages/dpkg/status").path)
    let records = DpkgStatus.parse(status)
    let names = Set(records.map(\.name))
    #expect(names.isSuperset(of: ["base-files", "dpkg", "hostname", "libc6", "mawk"]))
    #expect(records.allSatisfy { !$0.version.isEmpty && $0.state == "installed" })
    let libc = try #require(records.first { $0.name == "libc6" })
    #expect(libc.listName == "libc6:amd64")
    let list = DpkgStatus.parseList(try readFile(fixtureURL("packages/dpkg/info/hostname.list").path))
    #expect(list.contains("bin/hostname"))
    #expect(!list.contains { $0.hasPrefix("/") || $0 == "." })
    let libcList = DpkgStatus.parseList(try readFile(fixtureURL("packages/dpkg/info/libc6:amd64.list").path))
    #expect(libcList.contains { $0.hasSuffix("libc.so.6") })
  }
}

@Suite("Package databases: apk")
struct ApkParserTests {
  @Test func foldersAndFiles() {
    let db = """
      C:Q1abc=
      P:musl
      V:1.2.4-r2
      A:x86_64
      S:383152
      I:622592
      T:the musl c library (libc) implementation
      F:lib
      R:ld-musl-x86_64.so.1
      a:0:0:755
      Z:Q1abc=
      R:libc.musl-x86_64.so.1
      a:0:0:777

      P:busybox
      V:1.36.1-r5
      A:x86_64
      I:946176
      R:rootfile
      F:bin
      R:busybox
      F:etc/network/if-up.d
      R:dad

      """
    let records = ApkInstalled.parse(bytes(db))
    #expect(records.map(\.name) == ["musl", "busybox"])
    #expect(records[0].version == "1.2.4-r2")
    #expect(records[0].installedSize == 622592)
    #expect(records[0].files == ["lib/ld-musl-x86_64.so.1", "lib/libc.musl-x86_64.so.1"])
    #expect(records[1].files == ["rootfile", "bin/busybox", "etc/network/if-up.d/dad"])
  }

  @Test func sampleDatabase() throws {
    let records = ApkInstalled.parse(try readFile(fixtureURL("packages/apk/installed").path))
    #expect(records.count >= 3)
    #expect(records.allSatisfy { !$0.version.isEmpty && $0.architecture != nil })
    #expect(records.contains { $0.files.contains("bin/busybox") })
  }
}

@Suite("Package databases: Python and npm")
struct PythonNpmParserTests {
  @Test func metadataHeaderOnly() {
    let metadata = "Metadata-Version: 2.1\nName: Foo_Bar\nVersion: 2.0.1\nSummary: x\n\nName: not-this\nVersion: 9\n"
    let parsed = PythonDistributions.parseMetadata(bytes(metadata))
    #expect(parsed?.name == "Foo_Bar")
    #expect(parsed?.version == "2.0.1")
    #expect(PythonDistributions.parseMetadata(bytes("Summary: no name\n")) == nil)
  }

  @Test func recordPathsResolvedAgainstTheSiteDirectory() {
    let record = """
      six.py,sha256=abc,34549
      six-1.16.0.dist-info/RECORD,,
      "odd,name.py",sha256=def,10
      ../../../bin/tool,sha256=ghi,200
      __pycache__/six.cpython-311.pyc,,
      """
    let site = "usr/local/lib/python3.11/site-packages"
    #expect(
      PythonDistributions.parseRecord(bytes(record), siteDirectory: site) == [
        "\(site)/six.py", "\(site)/six-1.16.0.dist-info/RECORD", "\(site)/odd,name.py", "usr/local/bin/tool",
        "\(site)/__pycache__/six.cpython-311.pyc",
      ])
  }

  @Test func directoryNameFallbackAndEggInfo() {
    #expect(PythonDistributions.parseDirectoryName("six-1.16.0.dist-info")! == ("six", "1.16.0"))
    #expect(PythonDistributions.parseDirectoryName("PyYAML-6.0-py3.11.egg-info")! == ("PyYAML", "6.0"))
    #expect(
      PythonDistributions.parseInstalledFiles(
        bytes("../yaml/__init__.py\nPKG-INFO\n"), eggInfoDirectory: "site/PyYAML.egg-info")
        == ["site/yaml/__init__.py", "site/PyYAML.egg-info/PKG-INFO"])
  }

  @Test func matchNamesArePEP503Normalised() {
    let package = InstalledPackage(ecosystem: .python, name: "Foo__Bar.baz", version: "1", location: "/x")
    #expect(package.matchName == "foo-bar-baz")
    #expect(InstalledPackage(ecosystem: .npm, name: "Foo_Bar", version: "1", location: "/x").matchName == "Foo_Bar")
  }

  @Test func realDistInfo() throws {
    let metadata = try readFile(fixtureURL("packages/python/six-1.16.0.dist-info/METADATA").path)
    #expect(PythonDistributions.parseMetadata(metadata)! == ("six", "1.16.0"))
    let record = try readFile(fixtureURL("packages/python/six-1.16.0.dist-info/RECORD").path)
    let files = PythonDistributions.parseRecord(record, siteDirectory: "site")
    #expect(files.contains("site/six.py"))
    #expect(files.contains("site/six-1.16.0.dist-info/METADATA"))
    let idna = try readFile(fixtureURL("packages/python/idna-3.6.dist-info/METADATA").path)
    #expect(PythonDistributions.parseMetadata(idna)! == ("idna", "3.6"))
  }

  @Test func npmManifests() throws {
    #expect(NpmPackages.parseManifest(bytes(#"{"name":"left-pad","version":"1.3.0"}"#))! == ("left-pad", "1.3.0"))
    #expect(NpmPackages.parseManifest(bytes(#"{"version":"1.0.0"}"#)) == nil)
    #expect(NpmPackages.parseManifest(bytes("not json")) == nil)
    #expect(NpmPackages.parseManifest(bytes("[1,2]")) == nil)
    let ms = try readFile(fixtureURL("packages/npm/ms/package.json").path)
    #expect(NpmPackages.parseManifest(ms)?.name == "ms")
    let scoped = try readFile(fixtureURL("packages/npm/@types/ms/package.json").path)
    #expect(NpmPackages.parseManifest(scoped)?.name == "@types/ms")
    let debug = try readFile(fixtureURL("packages/npm/debug/package.json").path)
    #expect(NpmPackages.parseManifest(debug)?.name == "debug")
  }

  @Test func packageDirectoriesByPlace() {
    #expect(NpmPackages.isPackageDirectory("app/node_modules/ms"))
    #expect(NpmPackages.isPackageDirectory("app/node_modules/@types/ms"))
    #expect(!NpmPackages.isPackageDirectory("app/node_modules/@types"))
    #expect(!NpmPackages.isPackageDirectory("app/node_modules/.bin"))
    #expect(!NpmPackages.isPackageDirectory("app/lib/ms"))
  }
}
