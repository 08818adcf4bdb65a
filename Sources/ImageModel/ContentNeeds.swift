/// Which files' contents the analyses that will run read, said before an image is loaded.
///
/// A stream (standard input, a pipe, a compressed archive, the Docker Engine, a registry) is
/// read once: as each regular file goes by, the loader keeps as many of its leading bytes as
/// these needs ask for, and only a fingerprint of every other file. A seekable archive or a
/// layout directory reads what an analysis asks for later and does not consult them. Each
/// analysis states its own needs beside the rules that read the content (credentials, package
/// databases), so that the two cannot drift apart; the command line passes their union.
package struct ContentNeeds: Sendable {
  /// How many leading bytes of the regular file at `path` (normalised, no leading `/`) of
  /// `size` bytes are wanted: 0 for none.
  package typealias Rule = @Sendable (_ path: String, _ size: Int64) -> Int

  private var rules: [Rule]
  /// The rules' names. What a stream kept under some needs serves other needs only when it
  /// was kept for every rule they name (the layer cache checks this).
  package private(set) var ids: Set<String>

  /// No content: streams keep fingerprints only.
  package init() {
    rules = []
    ids = []
  }

  /// The needs one rule states.
  /// - Parameter id: the rule's name; give it a new one whenever the rule keeps other bytes,
  ///   so that contents kept by the old rule (in the layer cache) are not taken for the new.
  package init(id: String, _ rule: @escaping Rule) {
    rules = [rule]
    ids = [id]
  }

  /// What either set of needs wants: the more bytes of the two, file by file.
  package func union(_ other: ContentNeeds) -> ContentNeeds {
    var both = self
    both.rules += other.rules
    both.ids.formUnion(other.ids)
    return both
  }

  /// How many leading bytes to keep of the regular file at `path` of `size` bytes (never more
  /// than its size).
  package func bytesToKeep(of path: String, size: Int64) -> Int {
    var most = 0
    for rule in rules { most = max(most, rule(path, size)) }
    return Int(clamping: min(Int64(most), max(size, 0)))
  }
}
