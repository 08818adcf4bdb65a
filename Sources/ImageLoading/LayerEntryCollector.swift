import ArchiveIO
import ImageModel

/// Turns the headers of one layer, in order, into its entries: names normalised, whiteouts and
/// opaque markers recognised, oddities recorded as anomalies, sizes clamped. The tar reader and
/// the tables of contents of lazily listed layers (eStargz, zstd:chunked) feed it the same way,
/// so a layer listed from either gives the same entries.
struct LayerEntryCollector {
  let index: Int
  let name: String
  let limits: LayerReader.Limits
  private(set) var entries: [LayerEntry] = []
  private(set) var anomalies: [Anomaly] = []
  private(set) var headerBytes: Int64 = 0
  /// Headers added so far, those that became no entry included.
  private(set) var headersRead = 0
  private var directories = DirectoryNames()

  init(index: Int, name: String, limits: LayerReader.Limits) {
    self.index = index
    self.name = name
    self.limits = limits
  }

  /// Adds one header; returns the entry it became (now the last of `entries`), or nil when it
  /// adds none (the root, pure metadata, a name escaping the root, a malformed whiteout).
  mutating func add(_ entry: ArchiveEntry) throws -> LayerEntry? {
    headersRead += 1
    if headersRead > limits.maxEntries {
      throw ImageLoadError(
        .tooLarge, file: name, "the layer has more than \(limits.maxEntries) entries (raise --max-entries to read it)")
    }
    let normalized = PathNormalizer.normalize(entry.path)
    if normalized == .root { return nil }
    let size = LayerReader.clampedSize(entry.size)
    if size != entry.size {
      anomalies.append(
        Anomaly(
          kind: .absurdSize, layer: index, path: entry.path,
          message: "entry '\(entry.path)' claims \(entry.size) bytes; counted as \(size)"))
    }
    headerBytes += size
    guard case .path(let path, let absolute) = normalized else {
      anomalies.append(
        Anomaly(
          kind: .escapingPath, layer: index, path: entry.path,
          message: "entry '\(entry.path)' climbs out of the image root with '..'; not applied"))
      return nil
    }
    if entry.nameWasEscaped {
      anomalies.append(
        Anomaly(
          kind: .nonUTF8Name, layer: index, path: entry.path,
          message: "entry name is not UTF-8; shown with its bytes escaped as '\(entry.path)'"))
    }
    if absolute {
      anomalies.append(
        Anomaly(
          kind: .absolutePath, layer: index, path: entry.path,
          message: "entry '\(entry.path)' has an absolute name; applied as '/\(path)'"))
    }
    guard
      let converted = LayerReader.convert(
        entry, path: path, index: index, directories: &directories, anomalies: &anomalies)
    else { return nil }
    entries.append(converted)
    return converted
  }

  /// The layer's contents, with `compression` and the `bytesRead` that listing took.
  func contents(compression: [String], bytesRead: Int64) -> LayerContents {
    LayerContents(
      entries: LayerReader.exactCapacity(entries), anomalies: anomalies, headerBytes: headerBytes,
      compression: compression, bytesRead: bytesRead)
  }
}
