import ImageModel

/// The files whose whole content a stream pass keeps because a caller named them before
/// loading (`strata cat - /etc/os-release`): a stream cannot be read again for them later.
///
/// Besides the paths asked for, the pass keeps what they may lead to: the targets of the
/// symbolic links met on the way that lie on a wanted path (`etc/os-release` →
/// `usr/lib/os-release`, `bin` → `usr/bin`), and, within a budget, files of the same name
/// elsewhere (a link whose target went by before the link did). Each file is kept only up
/// to `limit` bytes whole; a larger one keeps its fingerprint only.
final class WholeFileCapture {
  /// The largest file kept.
  let limit: Int64
  private var wanted: Set<String> = []
  private let names: Set<String>
  /// Bytes still allowed for files kept only for their name.
  private var nameBudget: Int64
  /// The most bytes kept in all for files kept only for their name.
  static let nameBudget: Int64 = 256 << 20
  /// Every symbolic link seen so far: its path and where it leads (normalised, from the root).
  private var links: [String: String] = [:]

  /// - Parameters:
  ///   - paths: the paths asked for, as typed (`/etc/os-release`).
  ///   - limit: the largest file kept.
  init(paths: Set<String>, limit: Int64) {
    self.limit = limit
    nameBudget = min(limit, Self.nameBudget)
    var normalized: Set<String> = []
    for path in paths {
      if case .path(let relative, _) = PathNormalizer.normalize(path) { normalized.insert(relative) }
    }
    names = Set(normalized.map { PathName.base(of: $0) })
    wanted = normalized
  }

  /// Whether to keep the whole content of the regular file at `path` of `size` bytes.
  func keeps(_ path: String, size: Int64) -> Bool {
    guard size <= limit else { return false }
    if wanted.contains(path) { return true }
    guard names.contains(PathName.base(of: path)), size <= nameBudget else { return false }
    nameBudget -= size
    return true
  }

  /// Notes a symbolic link: wanted paths that go through it are wanted where it leads too.
  func sawLink(_ path: String, target: String) {
    let joined = target.hasPrefix("/") ? target : PathName.parent(of: path).appendingComponent(target)
    guard case .path(let resolved, _) = PathNormalizer.normalize(joined) else { return }
    links[path] = resolved
    var pending = Array(wanted)
    var rounds = 0
    // Each new path may pass through links seen earlier: follow them too, a bounded number of times.
    while let next = pending.popLast(), rounds < 256 {
      rounds += 1
      for rewritten in Self.rewrites(next, links: links) where wanted.insert(rewritten).inserted {
        pending.append(rewritten)
      }
    }
  }

  /// `path` with each of its leading parts that is a known link replaced by where it leads.
  private static func rewrites(_ path: String, links: [String: String]) -> [String] {
    var found: [String] = []
    var prefix = ""
    for component in path.split(separator: "/") {
      prefix = prefix.isEmpty ? String(component) : prefix + "/" + component
      guard let target = links[prefix] else { continue }
      let rest = path.dropFirst(prefix.count)
      if case .path(let rewritten, _) = PathNormalizer.normalize(target + rest) { found.append(rewritten) }
    }
    return found
  }
}
