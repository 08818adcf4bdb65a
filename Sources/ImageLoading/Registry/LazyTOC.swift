import ArchiveIO
import JSONIO

/// A layer's table of contents as strata uses it, whichever format it came from (eStargz's
/// `stargz.index.json`, zstd:chunked's manifest; both write the same entry fields): the tar
/// headers in order, and each non-empty regular file's chunks in file order.
struct LazyTOC: Sendable {
  /// The tar headers, in order, as the layer reader would see them.
  var entries: [ArchiveEntry]
  /// Each non-empty regular file's chunks in file order, by its name as stored.
  var chunks: [String: [LazyChunk]]

  /// Why a TOC cannot be used (the layer is then downloaded whole).
  struct Unusable: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
  }

  /// The root of a TOC's JSON and its entries, when it is version 1.
  static func entries(of json: [UInt8]) throws -> [JSONValue] {
    let root: JSONValue
    do { root = try JSONValue.parse(json) } catch { throw Unusable("the TOC is not JSON: \(error)") }
    guard root["version"]?.integerValue == 1, let items = root["entries"]?.arrayValue else {
      throw Unusable("the TOC is not version 1 or has no entries")
    }
    return items
  }

  /// The tar header a TOC entry of type `type` (not `chunk`) stands for.
  static func header(_ item: JSONValue, name: String, type: String) throws -> ArchiveEntry {
    let kind: ArchiveEntryKind
    switch type {
    case "reg": kind = .regular
    case "dir": kind = .directory
    case "symlink": kind = .symlink
    case "hardlink": kind = .hardlink
    case "char": kind = .characterDevice
    case "block": kind = .blockDevice
    case "fifo": kind = .fifo
    default: throw Unusable("entry '\(name)' has the unknown type '\(type)'")
    }
    let mode = item["mode"]?.integerValue ?? 0
    return ArchiveEntry(
      path: name, kind: kind, size: kind == .regular ? item["size"]?.integerValue ?? 0 : 0,
      permissions: UInt32(truncatingIfNeeded: mode) & 0o7777,
      uid: item["uid"]?.integerValue ?? 0, gid: item["gid"]?.integerValue ?? 0,
      linkTarget: item["linkName"]?.stringValue)
  }

  /// `chunks` sorted in file order, each file's checked to cover it exactly (no gap, no
  /// overlap, nothing past its end); `sizes` are the files' sizes by name.
  static func covering(_ chunks: [String: [LazyChunk]], sizes: [String: Int64]) throws -> [String: [LazyChunk]] {
    var sorted: [String: [LazyChunk]] = [:]
    for (name, list) in chunks {
      var covered: Int64 = 0
      let ordered = list.sorted { $0.fileOffset < $1.fileOffset }
      for chunk in ordered {
        guard chunk.length > 0, chunk.fileOffset == covered else {
          throw Unusable("the chunks of '\(name)' leave a gap")
        }
        covered += chunk.length
      }
      guard covered == sizes[name] else { throw Unusable("the chunks of '\(name)' do not cover it") }
      sorted[name] = ordered
    }
    return sorted
  }
}
