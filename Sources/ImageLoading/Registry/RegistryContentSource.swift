import ArchiveIO
import HTTPIO
import ImageModel

/// File contents of an image in a registry.
///
/// `read` (what the analyses use) answers from what the one pass kept, as for any stream, so a
/// report is the same whether the image is read from the registry or from its archive.
/// `contents` (a person asking for a file: the explorer's pager, diffs and extraction, `strata
/// cat`) answers from the kept contents when they are whole, and otherwise downloads the layer's
/// blob again and reads the asked files from it as it streams: no temporary file, no layer held
/// whole. The files are handed over only once the whole blob has matched its digest (and each
/// file the fingerprint the first pass took), so nothing is shown from bytes the registry did
/// not vouch for.
struct RegistryContentSource: ContentSource {
  /// The blob of one layer.
  struct LayerBlob: Sendable {
    var digest: String
    var size: Int64?
  }

  let kept: StreamedContentSource
  let client: RegistryClient
  let displayName: String
  let blobs: [LayerBlob]

  var rereadNote: String? { "the registry sends the layer again" }

  func read(layer: Int, requests: [String: ContentRequest]) throws -> ContentRead {
    try kept.read(layer: layer, requests: requests)
  }

  func contents(layer: Int, paths: Set<String>, headLimit: Int) throws -> [String: FileContent] {
    var found: [String: FileContent] = [:]
    try contents([layer: paths], headLimit: headLimit) { found = $1 }
    return found
  }

  func contents(
    _ requests: [Int: Set<String>], headLimit: Int, _ body: (Int, [String: FileContent]) throws -> Void
  ) throws {
    for (layer, paths) in requests.sorted(by: { $0.key < $1.key }) where layer >= 0 && layer < blobs.count {
      let found = try kept.contents(layer: layer, paths: paths, headLimit: headLimit)
      // Every regular file the pass saw has a fingerprint there; absent paths are no such file.
      let missing = paths.filter { path in
        guard let content = found[path] else { return false }
        return !content.isComplete && content.head.count < headLimit
      }
      if missing.isEmpty {
        try body(layer, found)
        continue
      }
      let expected = kept.fingerprints(layer: layer, paths: missing)
      let read = try reread(layer: layer, expected: expected, headLimit: headLimit)
      try body(layer, found.merging(read) { _, again in again })
    }
  }

  /// Downloads layer `layer`'s blob again and reads the files `expected` names, checking each
  /// against its first fingerprint and the whole blob against its digest.
  private func reread(layer: Int, expected: [String: UInt64], headLimit: Int) throws -> [String: FileContent] {
    let blob = blobs[layer]
    let name = "\(displayName): layer \(layer + 1) (\(blob.digest.prefix(19)))"
    let stream = try client.streamBlob(blob.digest, size: blob.size)
    var found: [String: FileContent] = [:]
    let outcome = Result { () throws -> Void in
      // The reader owns the descriptor and closes it when it goes, at the end of this closure.
      let reader = try ArchiveReader(source: .stream(descriptor: stream.openBody()))
      while found.count < expected.count, let entry = try reader.next() {
        guard entry.kind == .regular, case .path(let path, _) = PathNormalizer.normalize(entry.path),
          let fingerprint = expected[path]
        else { continue }
        let (again, head) = try reader.fingerprintData(keeping: headLimit)
        guard again == fingerprint else {
          throw ImageLoadError(
            .imageChanged, file: name,
            "the registry sent /\(path) with other content than the first time; nothing is shown from it")
        }
        found[path] = FileContent(fingerprint: again, head: head, isComplete: Int64(head.count) >= max(entry.size, 0))
      }
    }
    // The rest of the blob is read too: its digest covers all of it.
    let drained = stream.drain(limit: .max)
    let failure = stream.finish()
    if let failure {
      switch failure.kind {
      case .digestMismatch:
        throw ImageLoadError(
          .corrupt, file: name,
          "the blob sent again failed verification (\(failure.message)); nothing is shown from unverified data")
      default:
        throw ImageLoadError(
          .transferFailed, file: name, "the download of the layer broke (\(failure.message)); nothing is shown from it")
      }
    }
    if case .failure(let error) = outcome {
      if let error = error as? ArchiveError {
        throw ImageLoadError(.corrupt, file: name, "the layer sent again cannot be read: \(error.message)")
      }
      throw error
    }
    guard drained else { throw ImageLoadError(.corrupt, file: name, "the layer sent again did not end") }
    return found
  }
}
