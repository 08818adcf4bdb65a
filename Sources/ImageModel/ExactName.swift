#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A name or path that is equal to another only when their UTF-8 bytes are, as the kernel and
/// tar compare names; `String`'s own `==` and hashing follow Unicode canonical equivalence, which
/// would make `café` spelled with `é` and `café` spelled with `e` and a combining accent one
/// file where a layer holds two.
package struct ExactName: Hashable, Sendable {
  /// The name itself.
  package let string: String

  package init(_ string: String) { self.string = string }

  package static func == (left: ExactName, right: ExactName) -> Bool { sameBytes(left.string, right.string) }

  package func hash(into hasher: inout Hasher) { Self.hashBytes(string, into: &hasher) }

  /// Whether two byte buffers hold the same bytes (`memcmp`, not an element-by-element walk).
  @inlinable
  package static func sameBytes(_ left: UnsafeBufferPointer<UInt8>, _ right: UnsafeBufferPointer<UInt8>) -> Bool {
    guard left.count == right.count else { return false }
    guard let leftStart = left.baseAddress, let rightStart = right.baseAddress else { return true }
    return memcmp(leftStart, rightStart, left.count) == 0
  }

  /// Whether `left` and `right` have the same UTF-8 bytes (the form the tree asks most).
  @inlinable
  package static func sameBytes(_ left: String, _ right: String) -> Bool {
    guard left.utf8.count == right.utf8.count else { return false }
    var left = left
    var right = right
    return left.withUTF8 { leftBytes in right.withUTF8 { sameBytes(leftBytes, $0) } }
  }

  /// Whether `left` and `right` have the same UTF-8 bytes.
  @inlinable
  package static func sameBytes(_ left: some StringProtocol, _ right: some StringProtocol) -> Bool {
    let compared = left.utf8.withContiguousStorageIfAvailable { leftBytes in
      right.utf8.withContiguousStorageIfAvailable { rightBytes in sameBytes(leftBytes, rightBytes) }
    }
    if let compared, let compared { return compared }
    return left.utf8.elementsEqual(right.utf8)
  }

  /// Where `needle` first occurs in `bytes` at or after `from` (`nil`: nowhere, or `needle` is
  /// empty): `memchr` to each place its first byte occurs, `memcmp` there. For scans that run
  /// over every entry's name.
  package static func firstIndex(
    of needle: UnsafeBufferPointer<UInt8>, in bytes: UnsafeBufferPointer<UInt8>, from: Int = 0
  ) -> Int? {
    guard let first = needle.first, let start = bytes.baseAddress, let wanted = needle.baseAddress,
      from >= 0, needle.count <= bytes.count - from
    else { return nil }
    let last = bytes.count - needle.count
    var index = from
    while index <= last {
      guard let found = memchr(start + index, Int32(first), last - index + 1) else { return nil }
      let position = start.distance(to: found.assumingMemoryBound(to: UInt8.self))
      if memcmp(start + position, wanted, needle.count) == 0 { return position }
      index = position + 1
    }
    return nil
  }

  /// Whether `left`'s UTF-8 bytes sort before `right`'s (byte order, a shorter prefix first):
  /// `memcmp`, where `utf8.lexicographicallyPrecedes` compared byte by byte through the
  /// collection protocols.
  @inlinable
  package static func bytesPrecede(_ left: String, _ right: String) -> Bool {
    var left = left
    var right = right
    return left.withUTF8 { leftBytes in
      right.withUTF8 { rightBytes in
        let common = min(leftBytes.count, rightBytes.count)
        if common > 0, let leftStart = leftBytes.baseAddress, let rightStart = rightBytes.baseAddress {
          let order = memcmp(leftStart, rightStart, common)
          if order != 0 { return order < 0 }
        }
        return leftBytes.count < rightBytes.count
      }
    }
  }

  /// Feeds `name`'s UTF-8 bytes to `hasher`, as `hashBytes` does for any string.
  @inlinable
  package static func hashBytes(_ name: String, into hasher: inout Hasher) {
    var name = name
    name.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    hasher.combine(UInt8(0xFF))
  }

  /// Feeds `name`'s UTF-8 bytes to `hasher`, the same for a `String` and a `Substring` of the
  /// same bytes.
  @inlinable
  package static func hashBytes(_ name: some StringProtocol, into hasher: inout Hasher) {
    let done: Void? = name.utf8.withContiguousStorageIfAvailable { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    if done == nil { Array(name.utf8).withUnsafeBytes { hasher.combine(bytes: $0) } }
    hasher.combine(UInt8(0xFF))
  }
}
