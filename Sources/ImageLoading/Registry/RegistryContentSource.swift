import ArchiveIO
import HTTPIO
import ImageModel

/// File contents of an image in a registry (see `SecondReadContentSource`): a file the pass did
/// not keep is read from the layer's blob downloaded again, as it streams: no temporary file, no
/// layer held whole. The files are handed over only once the whole blob has matched its digest (and each
/// file the fingerprint the first pass took), so nothing is shown from bytes the registry did
/// not vouch for.
struct RegistryContentSource: SecondReadContentSource {
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

  func contents(
    _ requests: [Int: Set<String>], headLimit: Int, _ body: (Int, [String: FileContent]) throws -> Void
  ) throws {
    for (layer, paths) in requests.sorted(by: { $0.key < $1.key }) where layer >= 0 && layer < blobs.count {
      let (found, missing) = try kept.keptAndMissing(layer: layer, paths: paths, headLimit: headLimit)
      if missing.isEmpty {
        try body(layer, found)
        continue
      }
      let read = try reread(layer: layer, expected: missing, headLimit: headLimit)
      try body(layer, found.merging(read) { _, again in again })
    }
  }

  /// Downloads layer `layer`'s blob again and reads the files `expected` names, checking each
  /// against its first fingerprint and the whole blob against its digest.
  private func reread(layer: Int, expected: [String: UInt64], headLimit: Int) throws -> [String: FileContent] {
    let blob = blobs[layer]
    let name = "\(displayName): layer \(layer + 1) (\(blob.digest.prefix(19)))"
    let stream = try client.streamBlob(blob.digest, size: blob.size)
    let outcome = Result { () throws -> [String: FileContent] in
      // The reader owns the descriptor and closes it when it goes, at the end of this closure.
      let reader = try ArchiveReader(source: .stream(descriptor: stream.openBody()))
      return try StreamedContentSource.readAgain(reader, expected: expected, headLimit: headLimit) { path in
        ImageLoadError(
          .imageChanged, file: name,
          "the registry sent /\(path) with other content than the first time; nothing is shown from it")
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
    let found: [String: FileContent]
    do {
      found = try outcome.get()
    } catch let error as ArchiveError {
      throw ImageLoadError(.corrupt, file: name, "the layer sent again cannot be read: \(error.message)")
    }
    guard drained else { throw ImageLoadError(.corrupt, file: name, "the layer sent again did not end") }
    return found
  }
}
