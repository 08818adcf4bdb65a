import ImageModel
import MergedTree
import Reporting

/// What the pager is asked to show.
package enum ContentRequest: Sendable, Hashable {
  /// The file at `node` as of `layer` (or as removed by `layer`).
  case file(node: Int32, layer: Int)
  /// The version at `layer` against the version before it.
  case diff(node: Int32, layer: Int)
}

/// Reads file contents on demand through the image's content source and turns them into pager
/// pages. Binary files get a note with their size and type, never their bytes.
struct ContentReader {
  let source: (any ContentSource)?
  let tree: FileTree
  let timeline: NodeTimeline
  /// The image as the user named it (`-` for standard input), for messages.
  var imageName = ""

  /// The most bytes read of one file.
  static let headLimit = 4 * 1024 * 1024

  func pager(for request: ContentRequest) -> PagerModel {
    switch request {
    case .file(let node, let layer): return filePage(node, layer: layer)
    case .diff(let node, let layer): return diffPage(node, layer: layer)
    }
  }

  private func filePage(_ node: Int32, layer: Int) -> PagerModel {
    let path = "/" + tree.path(of: node)
    guard let version = timeline.version(of: node, at: layer, in: tree) else {
      return PagerModel(title: path, subtitle: "", note: ["This path is not in the image at layer \(layer)."])
    }
    let subtitle = describe(version)
    if let reason = unreadable(version) { return PagerModel(title: path, subtitle: subtitle, note: reason) }
    switch read(node, version) {
    case .failure(let note): return PagerModel(title: path, subtitle: subtitle, note: note.lines)
    case .success(let content):
      let cut = content.isComplete ? "" : " · first \(ByteFormat.human(Int64(content.head.count))) shown"
      if case .binary(let type) = FileType.classify(content.head) {
        return PagerModel(
          title: path, subtitle: subtitle,
          note: ["Binary file: \(type), \(ByteFormat.human(version.size)).", "Only text files are shown."])
      }
      return PagerModel(title: path, subtitle: subtitle + cut, text: String(decoding: content.head, as: UTF8.self))
    }
  }

  private func diffPage(_ node: Int32, layer: Int) -> PagerModel {
    let path = "/" + tree.path(of: node)
    let versions = timeline.versions(of: node, in: tree)
    guard let current = versions.lastIndex(where: { $0.layer <= layer }) else {
      return PagerModel(title: "diff " + path, subtitle: "", note: ["This path is not in the image at layer \(layer)."])
    }
    let removedHere = versions[current].hiddenBy == layer && versions[current].deleted
    let newer: PathVersion? = removedHere ? nil : versions[current]
    let older: PathVersion? = removedHere ? versions[current] : (current > 0 ? versions[current - 1] : nil)
    guard let older else {
      return PagerModel(
        title: "diff " + path, subtitle: describe(versions[current]),
        note: ["Only one version: layer \(versions[current].layer) added it and no layer before changed it."])
    }
    let title =
      "diff \(path)  layer \(older.layer) → " + (newer.map { "layer \($0.layer)" } ?? "removed in layer \(layer)")
    let subtitle = "- " + describe(older) + "   + " + (newer.map(describe) ?? "(removed)")
    if let reason = unreadable(older) ?? newer.flatMap(unreadable) {
      return PagerModel(title: title, subtitle: subtitle, note: reason)
    }
    // Both versions in one read: a daemon sends the image once for the two layers.
    let both = read(node, [older] + (newer.map { [$0] } ?? []))
    let oldContent = both.map { $0[0] }
    let newContent =
      newer == nil ? .success(FileContent(fingerprint: 0, head: [], isComplete: true)) : both.map { $0[1] }
    switch (oldContent, newContent) {
    case (.failure(let note), _), (_, .failure(let note)):
      return PagerModel(title: title, subtitle: subtitle, note: note.lines)
    case (.success(let old), .success(let new)):
      if newer != nil && old.fingerprint == new.fingerprint && old.isComplete == new.isComplete {
        return PagerModel(
          title: title, subtitle: subtitle, note: ["Same content in both layers; only the metadata differs."])
      }
      for content in [old, new] {
        guard case .binary(let type) = FileType.classify(content.head) else { continue }
        if newer == nil {
          return PagerModel(
            title: title, subtitle: subtitle,
            note: [
              "Binary file (\(type)), \(ByteFormat.human(older.size)): removed in layer \(layer); nothing replaced it."
            ])
        }
        return PagerModel(title: title, subtitle: subtitle, note: ["Binary file (\(type)): contents differ."])
      }
      let diff = LineDiff.hunks(
        PagerModel.split(String(decoding: old.head, as: UTF8.self)),
        PagerModel.split(String(decoding: new.head, as: UTF8.self)))
      if diff.isEmpty { return PagerModel(title: title, subtitle: subtitle, note: ["No differences in the text."]) }
      return PagerModel(title: title, subtitle: subtitle, diff: diff)
    }
  }

  /// Why a version has no text to show, or nil when it is a file to read.
  private func unreadable(_ version: PathVersion) -> [String]? {
    switch version.kind {
    case .regular, .hardlink: return nil
    case .symlink: return ["Symbolic link → \(version.linkTarget ?? "(target not recorded)")"]
    case .directory: return ["A directory: press Space or → to open it in the tree."]
    default: return ["A \(version.kind.name): it has no content."]
    }
  }

  struct Note: Error {
    var lines: [String]
  }

  /// Why a file of an image read once as a stream has no content, and what to do. Only an
  /// image that cannot be asked for again gets here: standard input, a pipe, a compressed
  /// archive (a daemon sends its image again; an uncompressed archive file is read again).
  static func notKept(path: String, layer: Int, image: String) -> [String] {
    // Short lines: a note is not wrapped, and must fit an 80-column screen.
    let standardInput = image == "-" || image.isEmpty
    var lines = [
      "The content of /\(path) (layer \(layer)) was not kept:",
      "\(standardInput ? "standard input" : image) was read once, as a stream, keeping whole only",
      "small files of a few kinds (credentials, package lists).",
      "",
      "To read any file, save the image to a file and explore that:",
      "  docker save -o image.tar IMAGE && strata explore image.tar",
      "or explore it by name from the Docker Engine or podman:",
      "  strata explore docker://IMAGE",
    ]
    if !standardInput {
      // A named pipe, or an archive compressed as a whole (which is read as a stream).
      lines += ["", "A compressed archive file: decompress it, and explore the .tar."]
    }
    return lines
  }

  private func read(_ node: Int32, _ version: PathVersion) -> Result<FileContent, Note> {
    read(node, [version]).map { $0[0] }
  }

  /// The contents of versions of a node, in one read, in the order given.
  private func read(_ node: Int32, _ versions: [PathVersion]) -> Result<[FileContent], Note> {
    guard let source else { return .failure(Note(lines: ["File contents are not available for this image."])) }
    var wanted: [(path: String, layer: Int)] = []
    for version in versions {
      guard version.kind == .hardlink else {
        wanted.append((tree.path(of: node), version.layer))
        continue
      }
      guard let target = version.linkTarget, let targetNode = tree.lookup(target),
        let targetVersion = timeline.version(of: targetNode, at: version.layer, in: tree)
      else { return .failure(Note(lines: ["Hard link to a file that is not in the image."])) }
      wanted.append((target, targetVersion.layer))
    }
    var requests: [Int: Set<String>] = [:]
    for (path, layer) in wanted { requests[layer, default: []].insert(path) }
    var found: [Int: [String: FileContent]] = [:]
    do {
      try source.contents(requests, headLimit: Self.headLimit) { found[$0] = $1 }
    } catch {
      let (path, layer) = wanted[0]
      let which = wanted.count == 1 ? "/\(path) from layer \(layer)" : "/\(path)"
      return .failure(Note(lines: ["Could not read \(which):", "\(error)"]))
    }
    var contents: [FileContent] = []
    for (path, layer) in wanted {
      guard let content = found[layer]?[path], content.isComplete || !content.head.isEmpty else {
        return .failure(Note(lines: Self.notKept(path: path, layer: layer, image: imageName)))
      }
      contents.append(content)
    }
    return .success(contents)
  }

  private func describe(_ version: PathVersion) -> String {
    var text = "layer \(version.layer) · \(version.kind.name) · \(ByteFormat.human(version.size))"
    text +=
      " · " + ModeText.string(kind: version.kind, permissions: version.permissions) + " \(version.uid):\(version.gid)"
    if let hidden = version.hiddenBy {
      text += version.deleted ? " · removed in layer \(hidden)" : " · replaced in layer \(hidden)"
    }
    return text
  }
}
