import ArchiveIO
import ImageModel

/// One layer's read results as the layer cache keeps them: everything a read of the layer
/// gives the analyses (entries, anomalies, sizes, compression, and the contents a stream pass
/// keeps), under the digest of the bytes they were read from.
///
/// The file is a header and a payload:
///
/// | bytes | what |
/// |---|---|
/// | 8 | magic `STRATALC` |
/// | 4 | format version (little-endian) |
/// | 4 | flags: bit 0, the stream contents are in it |
/// | 8 | payload length |
/// | 8 | XXH3-64 of the payload |
///
/// The payload holds the digest, the build that wrote it, the content needs the kept contents
/// were kept for, the extent, header bytes, compression names, the directory
/// names once, then the entries, the anomalies and the kept contents, numbers as LEB128 and
/// strings as a length and UTF-8. Anything that does not check out (magic, version, length,
/// checksum, a number out of range, a name that is not UTF-8) makes the file unreadable, and
/// the cache then reads the layer as if it had no file.
struct LayerRecord {
  /// The digest of the bytes the contents were read from (`sha256:…`).
  var digest: String
  /// The layer's contents (anomalies without a layer position; `bytesRead` not kept).
  var contents: LayerContents
  /// What the read went through, for the limits.
  var extent: LayerReader.Extent
  /// Whether `contents.streamedContents` holds every regular file's fingerprint (a read with
  /// `.fingerprintAll`), not just nothing.
  var hasStreamedContents: Bool
  /// The strata build that wrote the record (`LayerCache.producer`): a record of another build
  /// is not used, so figures never depend on what an older reader made of a layer.
  var producer: String = ""
  /// The ids of the content needs the kept contents were kept for (`ContentNeeds.ids`).
  var keptFor: [String] = []

  static let magic = Array("STRATALC".utf8)
  /// Bumped whenever the payload or what a read puts in it changes.
  static let version: UInt32 = 2
  static let headerSize = 32

  /// The file's bytes.
  func encoded() -> [UInt8] {
    var payload = ByteWriter()
    payload.string(digest)
    payload.string(producer)
    payload.number(UInt64(keptFor.count))
    for id in keptFor { payload.string(id) }
    payload.number(UInt64(extent.headers))
    payload.number(UInt64(max(0, extent.uncompressedBytes)))
    payload.number(UInt64(max(0, contents.headerBytes)))
    payload.number(UInt64(contents.compression.count))
    for name in contents.compression { payload.string(name) }
    var directoryIndex: [String: Int] = [:]
    var directories: [String] = []
    for entry in contents.entries where directoryIndex[entry.directory] == nil {
      directoryIndex[entry.directory] = directories.count
      directories.append(entry.directory)
    }
    payload.number(UInt64(directories.count))
    for directory in directories { payload.string(directory) }
    payload.number(UInt64(contents.entries.count))
    for entry in contents.entries {
      payload.number(UInt64(directoryIndex[entry.directory] ?? 0))
      payload.string(entry.name)
      payload.byte(entry.kind.rawValue)
      payload.number(UInt64(max(0, entry.size)))
      payload.number(UInt64(entry.permissions))
      payload.number(UInt64(entry.uid))
      payload.number(UInt64(entry.gid))
      payload.optionalString(entry.linkTarget)
    }
    payload.number(UInt64(contents.anomalies.count))
    for anomaly in contents.anomalies {
      payload.string(anomaly.kind.rawValue)
      payload.optionalString(anomaly.path)
      payload.string(anomaly.message)
    }
    let kept = contents.streamedContents.sorted { $0.key < $1.key }
    payload.number(UInt64(kept.count))
    for (position, content) in kept {
      payload.number(UInt64(position))
      payload.fixed(content.fingerprint)
      payload.byte(content.isComplete ? 1 : 0)
      payload.number(UInt64(content.head.count))
      payload.bytes.append(contentsOf: content.head)
    }
    var file = ByteWriter()
    file.bytes.reserveCapacity(Self.headerSize + payload.bytes.count)
    file.bytes.append(contentsOf: Self.magic)
    file.fixed32(Self.version)
    file.fixed32(hasStreamedContents ? 1 : 0)
    file.fixed(UInt64(payload.bytes.count))
    file.fixed(ContentHasher.fingerprint(payload.bytes))
    file.bytes.append(contentsOf: payload.bytes)
    return file.bytes
  }

  /// Reads a file's bytes back; nil when they are not a whole, current record.
  static func decode(_ bytes: [UInt8]) -> LayerRecord? {
    guard bytes.count >= headerSize, Array(bytes[0..<8]) == magic else { return nil }
    var header = ByteReader(bytes, from: 8, to: headerSize)
    guard let version = header.fixed(UInt32.self), version == Self.version, let flags = header.fixed(UInt32.self),
      let length = header.fixed(), let checksum = header.fixed(), length == UInt64(bytes.count - headerSize)
    else { return nil }
    let fingerprint = bytes.withUnsafeBytes { raw in
      let hasher = ContentHasher()
      hasher.update(UnsafeRawBufferPointer(rebasing: raw[headerSize...]))
      return hasher.value
    }
    guard fingerprint == checksum else { return nil }
    var reader = ByteReader(bytes, from: headerSize, to: bytes.count)
    return try? reader.record(hasStreamedContents: flags & 1 != 0)
  }
}

/// Appends numbers and strings to a byte array.
private struct ByteWriter {
  var bytes: [UInt8] = []

  mutating func byte(_ value: UInt8) { bytes.append(value) }

  /// LEB128: seven bits a byte, low first.
  mutating func number(_ value: UInt64) {
    var rest = value
    while rest >= 0x80 {
      bytes.append(UInt8(rest & 0x7F) | 0x80)
      rest >>= 7
    }
    bytes.append(UInt8(rest))
  }

  mutating func fixed(_ value: UInt64) {
    withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
  }

  mutating func fixed32(_ value: UInt32) {
    withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
  }

  mutating func string(_ text: String) {
    number(UInt64(text.utf8.count))
    bytes.append(contentsOf: text.utf8)
  }

  mutating func optionalString(_ text: String?) {
    guard let text else { return byte(0) }
    byte(1)
    string(text)
  }
}

/// Why a record's payload did not read back (never shown: the file is just not used).
private struct RecordError: Error {}

/// Reads what `ByteWriter` wrote, checking every length and value against what is left.
private struct ByteReader {
  let bytes: [UInt8]
  var position: Int
  let end: Int

  init(_ bytes: [UInt8], from start: Int, to end: Int) {
    self.bytes = bytes
    self.position = start
    self.end = end
  }

  mutating func byte() throws(RecordError) -> UInt8 {
    guard position < end else { throw RecordError() }
    defer { position += 1 }
    return bytes[position]
  }

  mutating func number() throws(RecordError) -> UInt64 {
    var value: UInt64 = 0
    var shift: UInt64 = 0
    while true {
      let next = try byte()
      guard shift < 64, shift < 63 || next <= 1 else { throw RecordError() }
      value |= UInt64(next & 0x7F) << shift
      if next & 0x80 == 0 { return value }
      shift += 7
    }
  }

  /// A number that is a count or size of something in this process (at most `limit`).
  mutating func count(atMost limit: Int = Int(Int32.max)) throws(RecordError) -> Int {
    let value = try number()
    guard limit >= 0, value <= UInt64(limit) else { throw RecordError() }
    return Int(value)
  }

  mutating func size() throws(RecordError) -> Int64 {
    let value = try number()
    guard value <= UInt64(Int64.max) else { throw RecordError() }
    return Int64(value)
  }

  mutating func number32() throws(RecordError) -> UInt32 {
    let value = try number()
    guard value <= UInt64(UInt32.max) else { throw RecordError() }
    return UInt32(value)
  }

  /// A little-endian integer of fixed width.
  mutating func fixed<Value: FixedWidthInteger & UnsignedInteger>(_: Value.Type = UInt64.self) -> Value? {
    let width = Value.bitWidth / 8
    guard end - position >= width else { return nil }
    var value: Value = 0
    for shift in 0..<width { value |= Value(bytes[position + shift]) << (8 * shift) }
    position += width
    return value
  }

  mutating func raw(_ count: Int) throws(RecordError) -> ArraySlice<UInt8> {
    guard count <= end - position else { throw RecordError() }
    defer { position += count }
    return bytes[position..<position + count]
  }

  mutating func string() throws(RecordError) -> String {
    let length = try count(atMost: end - position)
    guard let text = String(validating: try raw(length), as: UTF8.self) else { throw RecordError() }
    return text
  }

  mutating func optionalString() throws(RecordError) -> String? {
    switch try byte() {
    case 0: return nil
    case 1: return try string()
    default: throw RecordError()
    }
  }

  /// The payload, to its last byte.
  mutating func record(hasStreamedContents: Bool) throws(RecordError) -> LayerRecord {
    let digest = try string()
    let producer = try string()
    var keptFor: [String] = []
    for _ in 0..<(try count(atMost: end - position)) { keptFor.append(try string()) }
    let extent = LayerReader.Extent(headers: try count(atMost: Int.max), uncompressedBytes: try size())
    let headerBytes = try size()
    // Every element below takes at least one byte: a count larger than what is left is a lie.
    var compression: [String] = []
    for _ in 0..<(try count(atMost: end - position)) { compression.append(try string()) }
    var directories: [String] = []
    let directoryCount = try count(atMost: end - position)
    directories.reserveCapacity(directoryCount)
    for _ in 0..<directoryCount { directories.append(try string()) }
    let entryCount = try count(atMost: end - position)
    var entries: [LayerEntry] = []
    entries.reserveCapacity(entryCount)
    for _ in 0..<entryCount {
      let directory = try count(atMost: directories.count - 1)
      let name = try string()
      guard let kind = EntryKind(rawValue: try byte()) else { throw RecordError() }
      let size = try size()
      let permissions = try number32()
      let uid = try number32()
      let gid = try number32()
      entries.append(
        LayerEntry(
          directory: directories[directory], name: name, kind: kind, size: size, permissions: permissions, uid: uid,
          gid: gid, linkTarget: try optionalString()))
    }
    var anomalies: [Anomaly] = []
    for _ in 0..<(try count(atMost: end - position)) {
      guard let kind = Anomaly.Kind(rawValue: try string()) else { throw RecordError() }
      let path = try optionalString()
      anomalies.append(Anomaly(kind: kind, path: path, message: try string()))
    }
    var streamed: [Int32: FileContent] = [:]
    let keptCount = try count(atMost: end - position)
    streamed.reserveCapacity(keptCount)
    for _ in 0..<keptCount {
      let position = try count(atMost: entries.count - 1)
      guard let fingerprint = fixed() else { throw RecordError() }
      let complete = try byte()
      guard complete <= 1 else { throw RecordError() }
      let head = Array(try raw(try count(atMost: end - self.position)))
      guard
        streamed.updateValue(
          FileContent(fingerprint: fingerprint, head: head, isComplete: complete == 1), forKey: Int32(position)) == nil
      else { throw RecordError() }
    }
    guard self.position == end else { throw RecordError() }
    var contents = LayerContents(
      entries: entries, anomalies: anomalies, headerBytes: headerBytes, compression: compression)
    contents.streamedContents = streamed
    return LayerRecord(
      digest: digest, contents: contents, extent: extent, hasStreamedContents: hasStreamedContents,
      producer: producer, keptFor: keptFor)
  }
}
