@testable import ImageLoading
import ImageModel
import Testing

/// The byte scans of `PathNormalizer` (memchr-based) against plain definitions, on every name
/// built from a set of awkward components.
@Suite struct PathNormalizerTests {
  /// Names of up to three components from `pieces`, with and without a leading and trailing `/`.
  static let names: [String] = {
    let pieces = ["", ".", "..", "...", "a", ".a", "a.", "..a", "ab", ".wh..wh.plnk", "x.wh..wh.y", "é", "usr"]
    var names: Set<String> = []
    func add(_ parts: [String]) {
      let joined = parts.joined(separator: "/")
      for name in [joined, "/" + joined, joined + "/", "./" + joined] { names.insert(name) }
    }
    for first in pieces {
      add([first])
      for second in pieces {
        add([first, second])
        for third in pieces { add([first, second, third]) }
      }
    }
    return names.sorted()
  }()

  @Test func alreadyNormalMeansNoEmptyDotOrDotDotComponent() {
    #expect(Self.names.count > 2_000)
    var normal = 0
    for name in Self.names {
      let components = name.split(separator: "/", omittingEmptySubsequences: false)
      let expected = !name.isEmpty && !components.contains { $0.isEmpty || $0 == "." || $0 == ".." }
      var bytes = name
      let answer = bytes.withUTF8 { PathNormalizer.isAlreadyNormal($0) }
      #expect(answer == expected, "\(name.debugDescription)")
      if expected { normal += 1 }
    }
    #expect(normal > 100 && normal < Self.names.count - 100)
  }

  @Test func metadataDirectoriesAreFoundOnlyAsWholeDirectoryPrefixes() {
    var found = 0
    for name in Self.names {
      // The definition without the byte scan in front of it.
      let expected = PathName.components(of: name).dropLast().contains { $0.hasPrefix(PathNormalizer.metadataPrefix) }
      #expect(PathNormalizer.hasMetadataDirectory(name) == expected, "\(name.debugDescription)")
      if expected { found += 1 }
    }
    #expect(found > 100)
  }
}
