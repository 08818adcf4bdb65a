/// Something odd in an image that strata reports instead of silently applying or ignoring.
package struct Anomaly: Sendable, Hashable {
  /// The kinds of oddity.
  package enum Kind: String, Sendable, Hashable {
    /// A name that climbs out of the root with `..`; not applied.
    case escapingPath = "escaping-path"
    /// An absolute name (`/etc/passwd`); applied relative to the root, as Docker does.
    case absolutePath = "absolute-path"
    /// The same path twice in one layer; the later entry wins.
    case duplicateEntry = "duplicate-entry"
    /// A hard link whose target is not in the image.
    case danglingHardLink = "dangling-hardlink"
    /// A whiteout for a path that no lower layer has.
    case whiteoutOfMissingPath = "whiteout-of-missing-path"
    /// A malformed whiteout name (`.wh.` with nothing after it).
    case invalidWhiteout = "invalid-whiteout"
    /// A name with bytes that are not UTF-8 (shown escaped as `\xNN`).
    case nonUTF8Name = "non-utf8-name"
    /// The image config's history and the layer list do not line up.
    case historyMismatch = "history-mismatch"
    /// A whiteout or entry below a path that a lower layer holds as a file.
    case parentIsNotDirectory = "parent-is-not-directory"
    /// A header size beyond any real file (negative, or over 1 TiB); counted clamped.
    case absurdSize = "absurd-size"
    /// Anything else.
    case other
  }

  /// What kind of oddity.
  package var kind: Kind
  /// The layer it was found in, when it belongs to one.
  package var layer: Int?
  /// The path involved (as stored), when there is one.
  package var path: String?
  /// A sentence a user can act on.
  package var message: String

  /// Creates an anomaly.
  package init(kind: Kind, layer: Int? = nil, path: String? = nil, message: String) {
    self.kind = kind
    self.layer = layer
    self.path = path
    self.message = message
  }
}
