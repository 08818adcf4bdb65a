import Analysis

/// The outcome of one rule.
package enum RuleStatus: String, Sendable, Hashable, CaseIterable, Comparable {
  /// Not evaluated: disabled, or nothing to compare with.
  case skip
  /// Within its limits.
  case pass
  /// Over its warning limit: the build passes unless `--strict`.
  case warn
  /// Over its failure limit: the build fails.
  case fail

  /// 0 for skip up to 3 for fail.
  package var rank: Int {
    switch self {
    case .skip: return 0
    case .pass: return 1
    case .warn: return 2
    case .fail: return 3
    }
  }

  package static func < (lhs: RuleStatus, rhs: RuleStatus) -> Bool { lhs.rank < rhs.rank }
}

/// Something a rule points at to explain its figure: a path, a layer, a waste category.
package struct RuleDetail: Sendable, Hashable {
  /// What the detail is about.
  package enum Subject: Sendable, Hashable {
    /// A `/`-rooted path of the image.
    case path(String)
    /// A layer, by index (bottom is 0), with its command.
    case layer(Int, command: String?)
    /// A waste category id.
    case category(String)
  }

  /// What it is about.
  package var subject: Subject
  /// Its bytes: a size, or for growth the bytes it grew by.
  package var bytes: Int64
  /// For growth: the size in the baseline (0 for something new).
  package var before: Int64?
  /// A count that goes with it: layers a path was in (dive), files of a category.
  package var count: Int?
  /// A short remark (`new layer`, `deleted in layer 7`).
  package var note: String?

  /// Creates a detail.
  package init(subject: Subject, bytes: Int64, before: Int64? = nil, count: Int? = nil, note: String? = nil) {
    self.subject = subject
    self.bytes = bytes
    self.before = before
    self.count = count
    self.note = note
  }
}

/// One rule's verdict with the figures behind it. Renderers turn it into words; nothing here
/// is formatted for people except `message`, which for dive's rules is dive's own text.
package struct RuleResult: Sendable, Hashable {
  /// Stable id: the rule's key, with its subject for per-category and per-path rules
  /// (`max-image-size`, `max-path-size[/usr/lib/**]`, `lowestEfficiency`).
  package var id: String
  /// The kind of rule.
  package var kind: RuleKind
  /// The category or glob the rule is about, when it is about one.
  package var subject: String?
  /// The outcome.
  package var status: RuleStatus
  /// What was measured (nil when skipped before measuring).
  package var measured: Quantity?
  /// The limit that decided the status (see `Limits.judge`).
  package var limit: Quantity?
  /// Every configured limit.
  package var limits: Limits
  /// For dive's rules, dive's own message (`image efficiency is too low (…)`), or
  /// `rule disabled`; for the others, why a rule was skipped, or empty.
  package var message: String
  /// The paths, layers or categories behind the figure, most significant first.
  package var details: [RuleDetail]

  /// Creates a result.
  package init(
    kind: RuleKind, subject: String? = nil, status: RuleStatus, measured: Quantity?, limit: Quantity?,
    limits: Limits, message: String = "", details: [RuleDetail] = []
  ) {
    self.id = subject.map { "\(kind.rawValue)[\($0)]" } ?? kind.rawValue
    self.kind = kind
    self.subject = subject
    self.status = status
    self.measured = measured
    self.limit = limit
    self.limits = limits
    self.message = message
    self.details = details
  }

  /// The bound of its kind.
  package var bound: Bound { kind.bound }
}
