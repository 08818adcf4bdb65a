import ImageModel

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
    if isAlreadyNormal(name.utf8) { return .path(name, absolute: false) }
    // Stored names often start with `./` (`tar -C root .`) and a directory's ends in `/`;
    // what lies between is usually normal, and then needs no splitting.
    var middle = name.utf8[...]
    if middle.starts(with: [UInt8(ascii: "."), UInt8(ascii: "/")]) { middle = middle.dropFirst(2) }
    if middle.last == UInt8(ascii: "/") { middle = middle.dropLast() }
    if middle.count < name.utf8.count, isAlreadyNormal(middle) {
      return .path(String(decoding: middle, as: UTF8.self), absolute: false)
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
  /// most names in a layer are, and then they need no work at all.
  static func isAlreadyNormal<Bytes: Collection<UInt8>>(_ name: Bytes) -> Bool {
    let slash = UInt8(ascii: "/")
    let dot = UInt8(ascii: ".")
    var length = 0
    var dots = 0
    var allDots = true
    for byte in name {
      if byte == slash {
        if length == 0 || (allDots && dots <= 2) { return false }
        length = 0
        dots = 0
        allDots = true
        continue
      }
      length += 1
      if byte == dot { dots += 1 } else { allDots = false }
    }
    return length > 0 && !(allDots && dots <= 2)
  }

  /// Whether a directory on the path is aufs bookkeeping (`.wh..wh.plnk/…`).
  static func hasMetadataDirectory(_ path: String) -> Bool {
    // Cheap scan first, on the bytes in place: almost no path contains ".wh..wh." at all.
    guard contains(path.utf8, metadataPrefixBytes) else { return false }
    return PathName.components(of: path).dropLast().contains { $0.utf8.starts(with: metadataPrefixBytes) }
  }

  /// Whether `needle` starts `bytes` or follows a `/` in it.
  private static func contains(_ bytes: String.UTF8View, _ needle: [UInt8]) -> Bool {
    var atStart = true
    var index = bytes.startIndex
    while index != bytes.endIndex {
      if atStart && bytes[index...].starts(with: needle) { return true }
      atStart = bytes[index] == UInt8(ascii: "/")
      index = bytes.index(after: index)
    }
    return false
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
    guard contains(path.utf8, whiteoutPrefixBytes) else { return .none }
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
