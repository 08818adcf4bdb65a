import Testing

@testable import ImageLoading

/// How an image argument is resolved to a source: one place for every command.
@Suite("Resolving image arguments to sources")
struct ResolverTests {
  /// Only these paths "exist" in these tests.
  static let files: Set<String> = ["app.tar", "layout", "host", "-weird"]
  static func exists(_ path: String) -> Bool { files.contains(path) }

  func resolve(_ argument: String, source: String? = nil) throws -> ImageLocation {
    try ImageResolver.resolve(argument, source: source, exists: Self.exists)
  }

  @Test(
    "paths, standard input, schemes and bare references",
    arguments: [
      ("app.tar", "docker-archive", "app.tar"),
      ("layout", "docker-archive", "layout"),
      ("-", "docker-archive", "-"),
      ("alpine", "docker", "alpine"),
      ("alpine:3.20", "docker", "alpine:3.20"),
      ("host:5000/team/app:1.2", "docker", "host:5000/team/app:1.2"),
      ("localhost/strata/wasteful:latest", "docker", "localhost/strata/wasteful:latest"),
      ("app@sha256:" + String(repeating: "a", count: 64), "docker", "app@sha256:" + String(repeating: "a", count: 64)),
      ("docker://alpine:3", "docker", "alpine:3"),
      ("podman://localhost/app:1", "podman", "localhost/app:1"),
      ("docker-archive://app.tar", "docker-archive", "app.tar"),
      ("oci-archive:///tmp/x.tar", "oci-archive", "/tmp/x.tar"),
    ])
  func resolves(argument: String, source: String, reference: String) throws {
    #expect(try resolve(argument) == ImageLocation(source: source, reference: reference))
  }

  @Test("an existing file wins over a reference of the same name; `host` does not capture host:5000/…")
  func fileFirst() throws {
    #expect(try resolve("host") == ImageLocation(source: "docker-archive", reference: "host"))
    #expect(try resolve("host:5000/app:1").source == "docker")
  }

  @Test("--source names the source and takes the matching prefix off")
  func explicitSource() throws {
    #expect(try resolve("app:1", source: "podman") == ImageLocation(source: "podman", reference: "app:1"))
    #expect(try resolve("podman://app:1", source: "podman") == ImageLocation(source: "podman", reference: "app:1"))
    #expect(try resolve("missing.tar", source: "docker-archive").reference == "missing.tar")
    let error = #expect(throws: ImageLoadError.self) { try resolve("docker://app:1", source: "podman") }
    #expect(error?.kind == .badReference)
  }

  @Test(
    "names that are neither a file nor a reference are missing files",
    arguments: ["missing.tar", "./app", "/no/such/file", "Upper:1", "two words", "x.tar.gz", "~/img"])
  func missing(argument: String) {
    let error = #expect(throws: ImageLoadError.self) { try resolve(argument) }
    #expect(error?.kind == .notFound)
    #expect(error?.file == argument)
    #expect(error?.problem.contains("no such file or directory") == true)
  }

  @Test("an unknown scheme lists the sources strata reads")
  func unknownScheme() {
    let error = #expect(throws: ImageLoadError.self) { try resolve("ftp://x/y") }
    #expect(error?.kind == .badReference)
    for name in ["docker-archive", "oci-archive", "docker", "podman"] {
      #expect(error?.problem.contains(name) == true, "\(String(describing: error))")
    }
  }

  @Test(
    "reference grammar",
    arguments: [
      ("alpine", true), ("library/alpine:3", true), ("registry.example.com:5000/a/b-c_d.e:v1.2-rc", true),
      ("[::1]:5000/app:1", true), ("a__b/c", true), ("Alpine", false), ("app:", false), ("app:-x", false),
      ("/abs", false), ("a//b", false), ("a..b", false), ("app@sha256:abc", false),
      (String(repeating: "f", count: 64), true), ("app:" + String(repeating: "t", count: 129), false),
      ("app name", false), ("app;rm", false), ("app?x=1", false), ("app#x", false), ("../etc", false),
    ])
  func grammar(text: String, valid: Bool) {
    #expect(ImageReference.isValid(text) == valid, "\(text)")
  }

  @Test("FILE#NAME:TAG cannot be mistaken for a registry reference")
  func specSplitting() {
    // The `#` syntax lives in the CLI; the grammar guarantees a reference never contains one.
    #expect(!ImageReference.isValid("multi.tar#app:1"))
    #expect(ImageReference.isValid("host:5000/team/app:1.2"))
  }
}
