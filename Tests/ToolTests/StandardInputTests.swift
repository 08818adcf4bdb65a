import Foundation
import JSONIO
import TestSupport
import Testing

/// `strata analyze -`: standard input redirected from a file is read like the file itself
/// (seeking), a pipe is read once as a stream; both must report what the path does.
@Suite(
  "strata analyze - (standard input), run as a tool",
  .enabled(if: StrataTool.enabled, Comment(rawValue: StrataTool.missing)))
struct StandardInputTests {
  static let images = ["images/busybox-app/busybox-app.tar", "images/wasteful/wasteful.tar"]

  /// The JSON report of `strata analyze --format json TARGET`.
  static func report(_ target: String, input: StrataTool.Input = .inherited) throws -> JSONValue {
    let run = try StrataTool.run(["analyze", "--format", "json", target], input: input)
    #expect(run.status == 0, "\(run.stderr)")
    return try JSONValue.parse(run.stdout)
  }

  /// The report without what names or measures the input itself (source, archive size, bytes read, by purpose too).
  static func withoutInput(_ report: JSONValue) -> JSONValue {
    guard case .object(var object) = report, case .object(var image)? = object["image"] else { return report }
    for key in ["source", "archiveBytes", "bytesRead", "bytesReadBy"] { image[key] = nil }
    object["image"] = .object(image)
    return .object(object)
  }

  /// The figures that must not depend on how the archive arrives: totals, layers, dive's.
  static func totals(_ report: JSONValue) -> [JSONValue?] {
    let layers = report["layers"]?.arrayValue ?? []
    return [report["summary"], report["dive"]] + layers.flatMap { [$0["sizeBytes"], $0["entries"]] }
  }

  @Test("a regular file on standard input gives the path's report, archive size and bytes read", arguments: images)
  func redirectedFileReadsLikeThePath(_ image: String) throws {
    let url = fixtureURL(image)
    let byPath = try Self.report(url.path)
    let byStandardInput = try Self.report("-", input: .file(url))
    #expect(byStandardInput["image"]?["source"] == "-")
    #expect(byStandardInput["image"]?["archiveBytes"] == byPath["image"]?["archiveBytes"])
    // Read by seeking, like the path: not every byte of the archive.
    #expect(byStandardInput["image"]?["bytesRead"] == byPath["image"]?["bytesRead"])
    #expect(Self.withoutInput(byStandardInput) == Self.withoutInput(byPath))
  }

  @Test("a redirected file is read from where the shell left its read position")
  func redirectedFileStartsAtTheReadPosition() throws {
    let url = fixtureURL(Self.images[0])
    let archive = try readFile(url.path)
    let junk = [UInt8](repeating: 0x5A, count: 3000)
    try withTemporaryFile(junk + archive) { path in
      let byPath = try Self.report(url.path)
      let byStandardInput = try Self.report("-", input: .file(URL(fileURLWithPath: path), offset: UInt64(junk.count)))
      #expect(byStandardInput["image"]?["archiveBytes"] == .integer(Int64(archive.count)))
      #expect(Self.withoutInput(byStandardInput) == Self.withoutInput(byPath))
    }
  }

  @Test("a pipe is read once, every byte, with the same totals and findings", arguments: images)
  func pipeGivesTheSameReport(_ image: String) throws {
    let url = fixtureURL(image)
    let archive = try readFile(url.path)
    let byPath = try Self.report(url.path)
    let piped = try Self.report("-", input: .pipe(archive))
    #expect(piped["image"]?["archiveBytes"] == .null)
    #expect(piped["image"]?["bytesRead"] == .integer(Int64(archive.count)))
    #expect(Self.totals(piped) == Self.totals(byPath))
    #expect(piped["waste"] == byPath["waste"])
  }

  @Test(
    "a compressed archive on standard input, redirected or piped, gives the uncompressed one's totals",
    arguments: [TarCompression.gzip, .zstd])
  func compressedThroughStandardInput(_ compression: TarCompression) throws {
    let url = fixtureURL(Self.images[1])
    let packed = try compressed(try readFile(url.path), compression)
    let expected = Self.totals(try Self.report(url.path))
    try withTemporaryFile(packed, name: "image.tar.\(compression.rawValue)") { path in
      let redirected = try Self.report("-", input: .file(URL(fileURLWithPath: path)))
      #expect(redirected["image"]?["archiveBytes"] == .integer(Int64(packed.count)))
      #expect(Self.totals(redirected) == expected)
      #expect(Self.totals(try Self.report("-", input: .pipe(packed))) == expected)
    }
  }

  @Test("/dev/stdin given as a path, fed by a pipe, is read as a stream", arguments: images)
  func devStdinFromAPipe(_ image: String) throws {
    let url = fixtureURL(image)
    let archive = try readFile(url.path)
    let named = try Self.report("/dev/stdin", input: .pipe(archive))
    #expect(named["image"]?["source"] == "/dev/stdin")
    #expect(Self.totals(named) == Self.totals(try Self.report(url.path)))
  }

  @Test("a named pipe (as `<(docker save app)` gives) is read as a stream")
  func namedPipe() throws {
    let url = fixtureURL(Self.images[1])
    let directory = try temporaryDirectory("strata-fifo")
    defer { try? FileManager.default.removeItem(at: directory) }
    let fifo = directory.appendingPathComponent("image.tar").path
    #expect(mkfifo(fifo, 0o600) == 0)
    let writer = try ChildProcess.Running(
      "/bin/sh", ["-c", "cat \"$1\" > \"$2\"", "sh", url.path, fifo], log: "/dev/null")
    let streamed = try Self.report(fifo)
    #expect(writer.wait(timeout: 60) == 0)
    #expect(streamed["image"]?["bytesRead"] == .integer(Int64(try readFile(url.path).count)), "every byte, once")
    #expect(Self.totals(streamed) == Self.totals(try Self.report(url.path)))
    #expect(streamed["waste"] == (try Self.report(url.path))["waste"])
  }

  @Test("an empty file on standard input is named as standard input")
  func emptyRedirectedFile() throws {
    try withTemporaryFile([]) { path in
      let run = try StrataTool.run(["analyze", "-"], input: .file(URL(fileURLWithPath: path)))
      #expect(run.status != 0)
      #expect(run.stderr.contains("<stdin>: standard input is empty"), "\(run.stderr)")
    }
  }
}
