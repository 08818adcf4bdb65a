import ImageModel
import Synchronization

import Glibc

/// What strata read from each layer, kept on disk by the digest of the layer's bytes, so an
/// image whose layers were read before reads only its new ones.
///
/// Only a digest strata itself verified over the bytes it read keys an entry or finds one: a
/// registry blob's digest, checked as the blob streams; a compressed layer of an archive or
/// layout, hashed as it is read. A digest an image merely claims (a config's diff ID, a
/// manifest's descriptor of an uncompressed layer read headers-only) never does, so a crafted
/// archive cannot put contents under another layer's digest.
///
/// Files live in one directory, `sha256-<hex>` each (`LayerRecord` is the format), written to a
/// temporary name and renamed; a file that does not read back whole is ignored. The directory
/// is kept under `maxBytes` by removing the files used longest ago (a hit touches its file).
/// Nothing here fails a load: a cache that cannot be read or written is a cache that misses.
package final class LayerCache: Sendable {
  /// Where the files are.
  package let directory: String
  /// The most bytes the files may take together.
  package let maxBytes: Int64
  /// The build using the cache (version and commit): records another build wrote are misses.
  package let producer: String
  private let counts = Mutex<Counts>(Counts())

  /// How a run used the cache.
  package struct Counts: Sendable, Equatable {
    /// Layers answered from a file.
    package var hits = 0
    /// Layers written to a file.
    package var stores = 0
  }

  /// The default bound: 1 GiB (a layer of 10,000 files takes about 1 MB).
  package static let defaultMaxBytes: Int64 = 1 << 30
  /// The largest file read back (larger ones are not written either).
  static let maxFileBytes: Int64 = 1 << 30

  /// A cache in `directory` (created when first written to).
  package init(directory: String, maxBytes: Int64 = LayerCache.defaultMaxBytes, producer: String = "") {
    self.directory = directory
    self.maxBytes = maxBytes
    self.producer = producer
  }

  /// `$XDG_CACHE_HOME/strata/layers`, else `$HOME/.cache/strata/layers`; nil when neither names
  /// an absolute directory.
  package static func defaultDirectory(environment: (String) -> String?) -> String? {
    if let base = environment("XDG_CACHE_HOME"), base.hasPrefix("/") { return base + "/strata/layers" }
    if let home = environment("HOME"), home.hasPrefix("/") { return home + "/.cache/strata/layers" }
    return nil
  }

  /// How this cache was used so far.
  package var usage: Counts { counts.withLock { $0 } }

  /// The file for `digest`, or nil when the digest is not `sha256:` and 64 lower-case hex
  /// digits (nothing else may become a name in the directory).
  func path(for digest: String) -> String? {
    let hex = digest.utf8.dropFirst(7)
    guard digest.hasPrefix("sha256:"), hex.count == 64,
      hex.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) })
    else { return nil }
    return directory + "/sha256-" + String(decoding: hex, as: UTF8.self)
  }

  /// The contents kept for `digest`, when a file holds them whole and they suit this read.
  /// - Parameters:
  ///   - index: the layer's position in this image (anomalies name it).
  ///   - limits: a layer larger than these is not answered: the read then refuses it as usual.
  ///   - streamedContents: for a stream source, the contents its pass keeps (every file's
  ///     fingerprint, and the heads these needs ask for); nil for a source read again later.
  func load(_ digest: String, index: Int, limits: LayerReader.Limits, streamedContents: ContentNeeds?) -> LayerContents?
  {
    guard let path = path(for: digest), let bytes = Self.readFile(path), let record = LayerRecord.decode(bytes),
      record.digest == digest, record.producer == producer, record.extent.fits(limits)
    else { return nil }
    if let needs = streamedContents {
      guard record.hasStreamedContents, needs.ids.isSubset(of: record.keptFor) else { return nil }
    }
    var contents = record.contents
    if streamedContents == nil { contents.streamedContents = [:] }
    for position in contents.anomalies.indices { contents.anomalies[position].layer = index }
    counts.withLock { $0.hits += 1 }
    return contents
  }

  /// Keeps `contents`, read from bytes whose digest strata computed as `digest`.
  /// - Parameter streamedContents: for a stream pass, the needs it kept contents for (every
  ///   file's fingerprint besides); nil when the read kept no contents.
  func store(_ digest: String, _ contents: LayerContents, extent: LayerReader.Extent, streamedContents: ContentNeeds?) {
    guard let path = path(for: digest), makeDirectory() else { return }
    var kept = contents
    for position in kept.anomalies.indices { kept.anomalies[position].layer = nil }
    let record = LayerRecord(
      digest: digest, contents: kept, extent: extent, hasStreamedContents: streamedContents != nil,
      producer: producer, keptFor: streamedContents.map { $0.ids.sorted() } ?? [])
    let bytes = record.encoded()
    guard Int64(bytes.count) <= min(Self.maxFileBytes, maxBytes), Self.writeAtomically(bytes, to: path, in: directory)
    else { return }
    counts.withLock { $0.stores += 1 }
  }

  /// Removes the files used longest ago until the rest fit in `maxBytes`, and temporary files a
  /// crashed run left behind.
  package func trim() {
    guard let handle = opendir(directory) else { return }
    var files: [(name: String, size: Int64, used: Int)] = []
    var total: Int64 = 0
    let now = time(nil)
    while let item = readdir(handle) {
      let name = withUnsafeBytes(of: item.pointee.d_name) { raw in
        String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
      }
      let isTemporary = name.hasPrefix(".tmp-")
      guard name.hasPrefix("sha256-") || isTemporary else { continue }
      var info = stat()
      guard fstatat(dirfd(handle), name, &info, AT_SYMLINK_NOFOLLOW) == 0, (info.st_mode & S_IFMT) == S_IFREG
      else { continue }
      if isTemporary {
        if now - info.st_mtim.tv_sec > 3600 { unlinkat(dirfd(handle), name, 0) }
        continue
      }
      files.append((name, Int64(info.st_size), info.st_mtim.tv_sec))
      total += Int64(info.st_size)
    }
    if total > maxBytes {
      // Down to three quarters, so the next few stores do not each trim again.
      for file in files.sorted(by: { $0.used < $1.used }) where total > maxBytes / 4 * 3 {
        if unlinkat(dirfd(handle), file.name, 0) == 0 { total -= file.size }
      }
    }
    closedir(handle)
  }

  /// Creates the directory (and its parents) for the user alone; false when it cannot be, or
  /// when it is not a real directory of this user (a symbolic link is not followed there).
  private func makeDirectory() -> Bool {
    var info = stat()
    if lstat(directory, &info) != 0 {
      var prefix = ""
      for component in directory.split(separator: "/") {
        prefix += "/" + component
        _ = mkdir(prefix, 0o700)
      }
      guard lstat(directory, &info) == 0 else { return false }
    }
    return (info.st_mode & S_IFMT) == S_IFDIR && info.st_uid == geteuid()
  }

  /// A file's bytes; nil when it is missing, not a regular file, or too large. A file read is
  /// touched, so it counts as used now.
  private static func readFile(_ path: String) -> [UInt8]? {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
    guard descriptor >= 0 else { return nil }
    defer { close(descriptor) }
    var info = stat()
    guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, Int64(info.st_size) <= maxFileBytes,
      info.st_size >= Int64(LayerRecord.headerSize)
    else { return nil }
    let count = Int(info.st_size)
    var bytes = [UInt8](repeating: 0, count: count)
    var filled = 0
    let complete = bytes.withUnsafeMutableBytes { raw -> Bool in
      guard let base = raw.baseAddress else { return false }
      while filled < count {
        let got = pread(descriptor, base + filled, count - filled, off_t(filled))
        if got < 0 && errno == EINTR { continue }
        guard got > 0 else { return false }
        filled += got
      }
      return true
    }
    guard complete else { return nil }
    _ = futimens(descriptor, nil)
    return bytes
  }

  /// Writes `bytes` to a new temporary file in `directory`, then renames it to `path`: readers
  /// see the old file or the new one, never a part.
  private static func writeAtomically(_ bytes: [UInt8], to path: String, in directory: String) -> Bool {
    var template = Array((directory + "/.tmp-XXXXXX").utf8CString)
    let descriptor = template.withUnsafeMutableBufferPointer { buffer -> Int32 in
      guard let base = buffer.baseAddress else { return -1 }
      return mkstemp(base)
    }
    guard descriptor >= 0 else { return false }
    let temporary = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    var written = 0
    let complete = bytes.withUnsafeBytes { raw -> Bool in
      guard let base = raw.baseAddress else { return bytes.isEmpty }
      while written < raw.count {
        let put = write(descriptor, base + written, raw.count - written)
        if put < 0 && errno == EINTR { continue }
        guard put > 0 else { return false }
        written += put
      }
      return true
    }
    let closed = close(descriptor) == 0
    guard complete, closed, rename(temporary, path) == 0 else {
      unlink(temporary)
      return false
    }
    return true
  }
}
