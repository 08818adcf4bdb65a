import Glibc
import ImageModel
import MergedTree
import Platform
import Reporting

/// Saves a file or a directory of the image, as of a layer, to the disk (dive's Ctrl+E).
///
/// Everything is written relative to the destination's parent directory, opened once:
/// names come from the merged tree one component at a time, files are created with
/// `O_EXCL | O_NOFOLLOW` and directories entered with `O_NOFOLLOW`, so nothing is written
/// outside the destination, a symbolic link in the image is stored as a link and never
/// followed, and nothing already there is replaced unless the user agreed to it.
struct Extractor {
  let source: (any ContentSource)?
  let tree: FileTree
  let timeline: NodeTimeline
  /// The image as the user named it, for messages.
  var imageName = ""

  /// How an extraction ended.
  enum Outcome: Equatable {
    /// Written: how many files, links and directories, and the bytes of the files.
    case saved(entries: Int, bytes: Int64, skipped: Int)
    /// The destination exists and replacing was not agreed.
    case exists
    /// Nothing or not everything could be written, and why.
    case failed(String)
    /// A file's content was not kept from a stream: why, and what to do (a few lines).
    case notKept([String])
  }

  /// One path to write, relative to the destination.
  private struct Item {
    var node: Int32
    var components: [String]
    var version: PathVersion
  }

  func extract(_ request: ExtractRequest) -> Outcome {
    guard let span = timeline.span(of: request.node, at: Int32(request.layer)) else {
      return .failed("/\(tree.path(of: request.node)) is not in the image at layer \(request.layer)")
    }
    let (parent, name) = Self.split(request.destination)
    guard !name.isEmpty, name != ".", name != ".." else {
      return .failed("\(request.destination): give a file name to save to")
    }
    let directory = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard directory >= 0 else { return .failed("\(parent): \(String(cString: strerror(errno)))") }
    defer { close(directory) }
    var status = stat()
    if fstatat(directory, name, &status, AT_SYMLINK_NOFOLLOW) == 0 && !request.overwrite { return .exists }

    var items: [Item] = []
    collect(request.node, span: span, components: [name], layer: request.layer, into: &items)
    let files = fileGroups(items)
    if !files.isEmpty && source == nil { return .failed("file contents are not available for this image") }
    var tally = Tally()
    // Directories and links first (parents come before children), then the files, as each
    // layer's arrive, so that only those are held in memory.
    for item in items where !Self.holdsContent(item.version.kind) {
      tally.count(write(item, under: directory, content: nil, replacing: request.overwrite))
    }
    // One read for every layer (a daemon sends the image once for all of them), handed over a
    // layer at a time.
    struct Stop: Error { var outcome: Outcome }
    do {
      try source?.contents(files.mapValues { Set($0.keys) }, headLimit: Int.max) { layer, contents in
        for (path, indices) in (files[layer] ?? [:]).sorted(by: { $0.key < $1.key }) {
          guard let content = contents[path], content.isComplete else {
            throw Stop(outcome: .notKept(ContentReader.notKept(path: path, layer: layer, image: imageName)))
          }
          for index in indices {
            tally.count(write(items[index], under: directory, content: content, replacing: request.overwrite))
          }
        }
      }
    } catch {
      return (error as? Stop)?.outcome ?? .failed("cannot read the files: \(error)")
    }
    if tally.written == 0 { return .failed("nothing could be written to \(request.destination)") }
    return .saved(entries: tally.written, bytes: tally.bytes, skipped: tally.skipped)
  }

  /// What was written so far.
  private struct Tally {
    var written = 0
    var bytes: Int64 = 0
    var skipped = 0

    /// Counts one item's result: its bytes, or nil when it was skipped.
    mutating func count(_ result: Int64?) {
      guard let result else { return skipped += 1 }
      written += 1
      bytes += result
    }
  }

  private static func holdsContent(_ kind: EntryKind) -> Bool { kind == .regular || kind == .hardlink }

  /// The directory part (`.` when none) and the last component of a typed path.
  static func split(_ path: String) -> (String, String) {
    var trimmed = path
    while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
    guard let slash = trimmed.lastIndex(of: "/") else { return (".", trimmed) }
    let parent = String(trimmed[..<slash])
    return (parent.isEmpty ? "/" : parent, String(trimmed[trimmed.index(after: slash)...]))
  }

  /// The node and, for a directory, everything under it present at `layer`, parents first.
  private func collect(
    _ node: Int32, span: NodeTimeline.Span, components: [String], layer: Int, into items: inout [Item]
  ) {
    let version = timeline.version(span, of: node, in: tree)
    items.append(Item(node: node, components: components, version: version))
    guard version.kind == .directory else { return }
    for child in tree.children(of: node) {
      let name = tree.nodes[Int(child)].name
      guard name != ".", name != "..", !name.contains("/"), !name.isEmpty,
        let childSpan = timeline.span(of: child, at: Int32(layer))
      else { continue }
      collect(child, span: childSpan, components: components + [name], layer: layer, into: &items)
    }
  }

  /// The files to read, by the layer holding their content and the path there (hard links
  /// read their target), with the items each content is written to.
  private func fileGroups(_ items: [Item]) -> [Int: [String: [Int]]] {
    var wanted: [Int: [String: [Int]]] = [:]
    for (index, item) in items.enumerated() where Self.holdsContent(item.version.kind) {
      var path = tree.path(of: item.node)
      var layer = item.version.layer
      if item.version.kind == .hardlink {
        guard let target = item.version.linkTarget, let targetNode = tree.lookup(target),
          let targetVersion = timeline.version(of: targetNode, at: item.version.layer, in: tree)
        else { continue }
        path = target
        layer = targetVersion.layer
      }
      wanted[layer, default: [:]][path, default: []].append(index)
    }
    return wanted
  }

  /// Writes one item; returns its bytes, or nil when it was skipped.
  private func write(_ item: Item, under root: Int32, content: FileContent?, replacing: Bool) -> Int64? {
    // Open each parent directory below `root` without following links.
    var directory = dup(root)
    defer { close(directory) }
    for component in item.components.dropLast() {
      let next = openat(directory, component, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
      guard next >= 0 else { return nil }
      close(directory)
      directory = next
    }
    guard let name = item.components.last else { return nil }
    let version = item.version
    var existing = stat()
    let exists = fstatat(directory, name, &existing, AT_SYMLINK_NOFOLLOW) == 0
    let existingIsDirectory = exists && (existing.st_mode & S_IFMT) == S_IFDIR
    switch version.kind {
    case .directory:
      if existingIsDirectory { return 0 }
      if exists {
        guard replacing, unlinkat(directory, name, 0) == 0 else { return nil }
      }
      return mkdirat(directory, name, mode_t(version.permissions & 0o777 | 0o700)) == 0 ? 0 : nil
    case .symlink:
      guard let target = version.linkTarget else { return nil }
      if exists {
        guard replacing, !existingIsDirectory, unlinkat(directory, name, 0) == 0 else { return nil }
      }
      return symlinkat(target, directory, name) == 0 ? 0 : nil
    case .regular, .hardlink:
      guard let content else { return nil }
      if exists {
        guard replacing, !existingIsDirectory, unlinkat(directory, name, 0) == 0 else { return nil }
      }
      let file = openat(
        directory, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode_t(version.permissions & 0o777))
      guard file >= 0 else { return nil }
      defer { close(file) }
      var offset = 0
      let ok = content.head.withUnsafeBytes { buffer -> Bool in
        while offset < buffer.count {
          let count = systemWrite(file, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
          if count < 0 {
            if errno == EINTR { continue }
            return false
          }
          offset += count
        }
        return true
      }
      return ok ? Int64(content.head.count) : nil
    default:
      return nil
    }
  }
}
