import ImageModel

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Turns tar names into normalised paths and recognises whiteout markers.
enum PathNormalizer {
  /// The outcome of normalising one stored name.
  enum Result: Equatable {
    /// The root itself (`.`, `./`, `/`).
    case root
    /// A path inside the root; `absolute` when the stored name began with `/`.
    case path(String, absolute: Bool)
    /// A name that climbs above the root with `..`.
    case escapes
  }

  /// Normalises `name`: drops empty and `.` components, resolves `..` lexically.
  static func normalize(_ name: String) -> Result {
    // On the bytes in place: most names need no work, or only a `./` before them or a `/`
    // after them (`tar -C root .` stores `./usr/bin`, a directory's name ends in `/`) cut off.
    var stored = name
    let normal: Range<Int>? = stored.withUTF8 { bytes in
      if isAlreadyNormal(bytes) { return 0..<bytes.count }
      var start = 0
      var end = bytes.count
      if end >= 2 && bytes[0] == UInt8(ascii: ".") && bytes[1] == UInt8(ascii: "/") { start = 2 }
      if end > start && bytes[end - 1] == UInt8(ascii: "/") { end -= 1 }
      let middle = UnsafeBufferPointer(rebasing: bytes[start..<end])
      return end - start < bytes.count && isAlreadyNormal(middle) ? start..<end : nil
    }
    if let normal {
      if normal.count == name.utf8.count { return .path(name, absolute: false) }
      return .path(
        stored.withUTF8 { String(decoding: UnsafeBufferPointer(rebasing: $0[normal]), as: UTF8.self) }, absolute: false)
    }
    var stack: [Substring] = []
    for component in PathName.components(of: name) {
      if component == "." { continue }
      if component == ".." {
        if stack.isEmpty { return .escapes }
        stack.removeLast()
        continue
      }
      stack.append(component)
    }
    if stack.isEmpty { return .root }
    return .path(stack.joined(separator: "/"), absolute: name.hasPrefix("/"))
  }

  /// Whether `name` is relative with no empty, `.` or `..` components and no trailing `/`:
  /// most names in a layer are, and then they need no work at all. Each component is found
  /// with `memchr` and judged by its length and first bytes (this runs for every entry).
  static func isAlreadyNormal(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let base = name.baseAddress, !name.isEmpty else { return false }
    let slash = Int32(UInt8(ascii: "/"))
    var start = 0
    while true {
      let end: Int
      if let found = memchr(base + start, slash, name.count - start) {
        end = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
      } else {
        end = name.count
      }
      if isEmptyOrDots(UnsafeBufferPointer(rebasing: name[start..<end])) { return false }
      if end == name.count { return true }
      start = end + 1
      // A trailing `/` leaves an empty last component.
      if start == name.count { return false }
    }
  }

  /// Whether a component is empty, `.` or `..`.
  private static func isEmptyOrDots(_ component: UnsafeBufferPointer<UInt8>) -> Bool {
    let dot = UInt8(ascii: ".")
    switch component.count {
    case 0: return true
    case 1: return component[0] == dot
    case 2: return component[0] == dot && component[1] == dot
    default: return false
    }
  }

  /// Whether a directory on the path is aufs bookkeeping (`.wh..wh.plnk/…`).
  static func hasMetadataDirectory(_ path: String) -> Bool {
    // Cheap scan first, on the bytes in place: almost no path contains ".wh..wh." at all.
    guard contains(path, metadataPrefixBytes) else { return false }
    return PathName.components(of: path).dropLast().contains { $0.utf8.starts(with: metadataPrefixBytes) }
  }

  /// Whether `needle` starts `path` or follows a `/` in it (this runs for every entry).
  private static func contains(_ path: String, _ needle: [UInt8]) -> Bool {
    var path = path
    return path.withUTF8 { bytes in
      needle.withUnsafeBufferPointer { needle in
        var from = 0
        while let position = ExactName.firstIndex(of: needle, in: bytes, from: from) {
          if position == 0 || bytes[position - 1] == UInt8(ascii: "/") { return true }
          from = position + 1
        }
        return false
      }
    }
  }

  private static let metadataPrefixBytes = Array(metadataPrefix.utf8)
  private static let whiteoutPrefixBytes = Array(whiteoutPrefix.utf8)

  static let whiteoutPrefix = ".wh."
  static let opaqueMarker = ".wh..wh..opq"
  static let metadataPrefix = ".wh..wh."

  /// What a normalised path means in a layer.
  enum Marker: Equatable {
    /// An ordinary entry.
    case none
    /// Deletes the given path.
    case whiteout(String)
    /// Makes the given directory opaque.
    case opaque(String)
    /// aufs bookkeeping (`.wh..wh.plnk`, …), not part of the filesystem.
    case metadata
    /// `.wh.` with no name after it.
    case invalid
  }

  /// Classifies a normalised path by its last component.
  static func marker(of path: String) -> Marker {
    // Almost no name has ".wh." in it: a byte scan, with no string made, settles most.
    guard contains(path, whiteoutPrefixBytes) else { return .none }
    if hasMetadataDirectory(path) { return .metadata }
    let base = PathName.base(of: path)
    guard base.hasPrefix(whiteoutPrefix) else { return .none }
    let parent = PathName.parent(of: path)
    if base == opaqueMarker { return .opaque(parent) }
    if base.hasPrefix(metadataPrefix) { return .metadata }
    let target = String(base.dropFirst(whiteoutPrefix.count))
    if target.isEmpty || target == "." || target == ".." { return .invalid }
    return .whiteout(parent.appendingComponent(target))
  }
}
