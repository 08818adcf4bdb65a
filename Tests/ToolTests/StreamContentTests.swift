import Foundation
import JSONIO
import TestSupport
import Testing

/// The contents the analyses read (package databases, the heads of files named like
/// credentials) are kept as a stream goes by because each analysis says what it reads: the
/// report of an image piped through standard input names the packages and the secrets the
/// report of the same archive file does, for every kind of database and credential the rules
/// know (the loader once kept a list of its own, which missed distroless `status.d/`,
/// egg-info and `.kube/config`, and cut files at 256 KiB).
@Suite(
  "Contents read from a stream, run as a tool",
  .enabled(if: StrataTool.enabled, Comment(rawValue: StrataTool.missing)))
struct StreamContentTests {
  /// A dpkg status longer than 256 KiB (a long description), its `.list`; distroless
  /// `status.d/` stanzas with their md5sums; an egg-info and a dist-info; apk's database;
  /// `node_modules` packages, scoped too; a kube config, a docker config, an `.npmrc` and a key
  /// that their contents confirm, and a `.pem` that its content clears. The second layer
  /// rewrites the kube config, so its first copy is read from a lower layer.
  static func image() throws -> [UInt8] {
    let padding = String(repeating: " a line of the long description of the base files package\n", count: 5_000)
    let status = """
      Package: base-files
      Status: install ok installed
      Installed-Size: 340
      Architecture: amd64
      Version: 12.4+deb12u5
      Description: Debian base system miscellaneous files

      """ + padding + "\n"
    let base = TarBuilder()
      .file("var/lib/dpkg/status", text: status)
      .file("var/lib/dpkg/info/base-files.list", text: "/.\n/etc\n/etc/debian_version\n")
      .file("etc/debian_version", text: "12.5\n")
      .file(
        "var/lib/dpkg/status.d/tzdata",
        text: "Package: tzdata\nVersion: 2024a-0+deb12u1\nArchitecture: all\nInstalled-Size: 1000\n"
      )
      .file("var/lib/dpkg/status.d/tzdata.md5sums", text: "d41d8cd98f00b204e9800998ecf8427e  usr/share/zoneinfo/UTC\n")
      .file("usr/share/zoneinfo/UTC", size: 114)
      .file("usr/lib/python3/dist-packages/six-1.16.0.egg-info/PKG-INFO", text: "Name: six\nVersion: 1.16.0\n")
      .file(
        "usr/lib/python3/dist-packages/six-1.16.0.egg-info/installed-files.txt", text: "../six.py\nPKG-INFO\n"
      )
      .file("usr/lib/python3/dist-packages/six.py", size: 34_549)
      .file("usr/lib/python3/site-packages/idna-3.6.dist-info/METADATA", text: "Name: idna\nVersion: 3.6\n")
      .file("usr/lib/python3/site-packages/idna-3.6.dist-info/RECORD", text: "idna/core.py,,12\n")
      .file("usr/lib/python3/site-packages/idna/core.py", size: 12_000)
      .file("lib/apk/db/installed", text: "P:musl\nV:1.2.4-r2\nA:x86_64\nI:638976\nF:lib\nR:ld-musl-x86_64.so.1\n\n")
      .file("lib/ld-musl-x86_64.so.1", size: 4_000)
      .file("app/node_modules/left-pad/package.json", text: #"{"name":"left-pad","version":"1.3.0"}"#)
      .file("app/node_modules/@scope/tool/package.json", text: #"{"name":"@scope/tool","version":"2.0.0"}"#)
      .file("root/.kube/config", text: "users:\n- user:\n    client-key-data: c2VjcmV0\n")
      .file("root/.docker/config.json", text: #"{"auths":{"example.com":{"auth":"dXNlcjpwYXNz"}}}"#)
      .file("app/.npmrc", text: "//registry.npmjs.org/:_authToken=npm_0123456789\n")
      .file("etc/ssl/private/server.key", text: "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n")
      .file("etc/ssl/certs/public.pem", text: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n")
    let update = TarBuilder().file("root/.kube/config", text: "users:\n- user:\n    token: abc\n")
    let spec = ImageSpec(tags: ["test/contents:1"], layers: [try LayerSpec(base), try LayerSpec(update)])
    return try ImageArchiveBuilder(.dockerLegacy, spec, metadataLast: true).build()
  }

  /// The JSON report of `strata analyze --packages --format json TARGET`.
  static func report(_ target: String, input: StrataTool.Input = .inherited) throws -> JSONValue {
    let run = try StrataTool.run(["analyze", "--packages", "--format", "json", target], input: input)
    #expect(run.status == 0, "\(run.stderr)")
    return try JSONValue.parse(run.stdout)
  }

  @Test("a piped archive gives the packages and secret findings of the file")
  func pipedContentsMatchTheFile() throws {
    let archive = try Self.image()
    try withTemporaryFile(archive, name: "contents.tar") { path in
      let byPath = try Self.report(path)
      let piped = try Self.report("-", input: .pipe(archive))
      #expect(piped["image"]?["archiveBytes"] == .null, "read as a stream")
      #expect(piped["packages"] == byPath["packages"])
      #expect(piped["waste"] == byPath["waste"])

      // The file's report is the truth the stream must meet: check it says what the image holds.
      let packages = byPath["packages"]?["packages"]?.arrayValue ?? []
      let names = Set(packages.compactMap { $0["name"]?.stringValue })
      #expect(
        names == ["base-files", "tzdata", "six", "idna", "musl", "left-pad", "@scope/tool"],
        "\(names.sorted())")
      #expect(byPath["packages"]?["notes"]?.arrayValue?.isEmpty == true, "\(byPath["packages"]?["notes"] as Any)")
      let findings = (byPath["waste"]?["findings"]?.arrayValue ?? []).filter { $0["category"] == "sensitive" }
      let flagged = Set(findings.flatMap { $0["paths"]?.arrayValue ?? [] }.compactMap { $0["path"]?.stringValue })
      for secret in ["/root/.kube/config", "/root/.docker/config.json", "/app/.npmrc", "/etc/ssl/private/server.key"] {
        #expect(flagged.contains(secret), "\(secret) in \(flagged.sorted())")
      }
      #expect(!flagged.contains("/etc/ssl/certs/public.pem"), "a certificate is not a key")
    }
  }
}
