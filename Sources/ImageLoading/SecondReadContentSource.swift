import ArchiveIO
import ImageModel

/// The contents of an image read once as a stream from a source that can send it again (the
/// Docker Engine, podman, a registry).
///
/// `read` (what the analyses use) answers from what the one pass kept, as for any stream, so a
/// report is the same however the image came. `contents` (a person asking for a file: the
/// explorer's pager, diffs and extraction, `strata cat`) is each source's own: what the pass kept
/// whole is handed over, the rest is read from a second stream and checked file by file against
/// the fingerprints the pass took (`keptAndMissing`, `readAgain`).
protocol SecondReadContentSource: ContentSource {
  /// What the one pass kept.
  var kept: StreamedContentSource { get }
}

extension SecondReadContentSource {
  func read(layer: Int, requests: [String: ContentRequest]) throws -> ContentRead {
    try kept.read(layer: layer, requests: requests)
  }

  /// One layer, through the source's `contents` for several.
  func contents(layer: Int, paths: Set<String>, headLimit: Int) throws -> [String: FileContent] {
    var found: [String: FileContent] = [:]
    try contents([layer: paths], headLimit: headLimit) { found = $1 }
    return found
  }
}

extension StreamedContentSource {
  /// What the pass kept of `paths` in `layer`, and the fingerprints it took of those it kept too
  /// little of (neither whole nor `headLimit` bytes): the files a second read must find and
  /// check. Every regular file the pass saw has a fingerprint; a path in neither result is no
  /// regular file there.
  func keptAndMissing(layer: Int, paths: Set<String>, headLimit: Int) throws -> (
    kept: [String: FileContent], missing: [String: UInt64]
  ) {
    let found = try contents(layer: layer, paths: paths, headLimit: headLimit)
    var missing: [String: UInt64] = [:]
    for (path, content) in found where !content.isComplete && content.head.count < headLimit {
      missing[path] = content.fingerprint
    }
    return (found, missing)
  }

  /// Reads the files `expected` names from `reader` (one layer's tar, sent again), each checked
  /// against the fingerprint the first pass took, stopping after the last one.
  /// - Parameter changed: the error for a file that came with other content, given its path.
  static func readAgain(
    _ reader: ArchiveReader, expected: [String: UInt64], headLimit: Int, changed: (String) -> any Error
  ) throws -> [String: FileContent] {
    var found: [String: FileContent] = [:]
    while found.count < expected.count, let entry = try reader.next() {
      guard entry.kind == .regular, case .path(let path, _) = PathNormalizer.normalize(entry.path),
        let fingerprint = expected[path]
      else { continue }
      let (again, head) = try reader.fingerprintData(keeping: headLimit)
      guard again == fingerprint else { throw changed(path) }
      found[path] = FileContent(fingerprint: again, head: head, isComplete: Int64(head.count) >= max(entry.size, 0))
    }
    return found
  }
}
