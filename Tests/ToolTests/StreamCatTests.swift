import Foundation
import TestSupport
import Testing

/// `strata cat` on images read once as a stream: the pass keeps the path asked for, and the
/// targets of the links met on the way to it.
@Suite(
  "strata cat from a stream, run as a tool",
  .enabled(if: StrataTool.binary != nil, "the strata executable is not built"))
struct StreamCatTests {
  /// A merged-/usr image: `bin` → `usr/bin` and `etc/os-release` → `../usr/lib/release-info` (a
  /// name of its own: only the link leads there), each link before its target in the tar; layer
  /// 1 replaces the tool.
  static func image(_ compression: TarCompression = .none) throws -> [UInt8] {
    let base = TarBuilder()
      .symlink("bin", to: "usr/bin").dir("etc").symlink("etc/os-release", to: "../usr/lib/release-info")
      .dir("usr").dir("usr/bin").file("usr/bin/tool", text: "tool v1\n").dir("usr/lib")
      .file("usr/lib/release-info", text: "ID=test\n")
    let update = TarBuilder().dir("usr").dir("usr/bin").file("usr/bin/tool", text: "tool v2\n")
    let spec = ImageSpec(tags: ["test/usr:1"], layers: [try LayerSpec(base), try LayerSpec(update)])
    return try ImageArchiveBuilder(.dockerLegacy, spec, metadataLast: true).build(compression)
  }

  static let cases: [(arguments: [String], content: String)] = [
    (["/etc/os-release"], "ID=test\n"), (["/bin/tool"], "tool v2\n"), (["bin/tool", "--layer", "0"], "tool v1\n"),
  ]

  @Test("through a pipe, through links met before their targets")
  func piped() throws {
    let archive = try Self.image()
    for (arguments, content) in Self.cases {
      let run = try StrataTool.run(["cat", "-"] + arguments, input: .pipe(archive))
      #expect(run.status == 0 && run.stdout == content, "\(arguments): \(run.stderr)")
    }
  }

  @Test("from a compressed archive file, which is read as a stream too")
  func compressedFile() throws {
    try withTemporaryDirectory { directory in
      let path = directory.appendingPathComponent("usr.tar.gz").path
      try Data(try Self.image(.gzip)).write(to: URL(fileURLWithPath: path))
      for (arguments, content) in Self.cases {
        let run = try StrataTool.run(["cat", path] + arguments)
        #expect(run.status == 0 && run.stdout == content, "\(arguments): \(run.stderr)")
      }
    }
  }
}
