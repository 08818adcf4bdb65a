/// One line of a unified diff.
package struct DiffLine: Sendable, Hashable {
  /// What the line is.
  package enum Kind: Sendable, Hashable {
    /// In both versions.
    case same
    /// Only in the newer version.
    case added
    /// Only in the older version.
    case removed
    /// A hunk heading (`@@ -1,3 +1,4 @@`).
    case hunk
  }

  /// What the line is.
  package var kind: Kind
  /// Its text (without the `+`/`-` prefix).
  package var text: String

  /// Creates a line.
  package init(_ kind: Kind, _ text: String) {
    self.kind = kind
    self.text = text
  }
}

/// Line diffs by Myers' O(ND) algorithm, shown as unified-diff hunks.
package enum LineDiff {
  /// The hunks turning `old` into `new`, with `context` unchanged lines around each change.
  /// Past `maxEdits` differing lines the middle is shown as removed then added, whole.
  package static func hunks(_ old: [String], _ new: [String], context: Int = 3, maxEdits: Int = 2000) -> [DiffLine] {
    let script = edits(old, new, maxEdits: maxEdits)
    var changed: [Int] = []
    for (position, line) in script.enumerated() where line.kind != .same { changed.append(position) }
    guard !changed.isEmpty else { return [] }
    var result: [DiffLine] = []
    var index = 0
    while index < changed.count {
      let start = max(0, changed[index] - context)
      var end = min(script.count, changed[index] + context + 1)
      while index + 1 < changed.count, changed[index + 1] - context <= end {
        index += 1
        end = min(script.count, changed[index] + context + 1)
      }
      let before = script[..<start]
      let oldStart = before.filter { $0.kind != .added }.count
      let newStart = before.filter { $0.kind != .removed }.count
      let body = script[start..<end]
      let oldCount = body.filter { $0.kind != .added }.count
      let newCount = body.filter { $0.kind != .removed }.count
      result.append(DiffLine(.hunk, "@@ -\(oldStart + 1),\(oldCount) +\(newStart + 1),\(newCount) @@"))
      result += body
      index += 1
    }
    return result
  }

  /// Every line of both versions in order, each marked same, removed or added.
  package static func edits(_ old: [String], _ new: [String], maxEdits: Int = 2000) -> [DiffLine] {
    var prefix = 0
    while prefix < old.count, prefix < new.count, old[prefix] == new[prefix] { prefix += 1 }
    var suffix = 0
    while suffix < old.count - prefix, suffix < new.count - prefix,
      old[old.count - 1 - suffix] == new[new.count - 1 - suffix]
    {
      suffix += 1
    }
    let a = Array(old[prefix..<(old.count - suffix)])
    let b = Array(new[prefix..<(new.count - suffix)])
    let middle = myers(a, b, maxEdits: maxEdits) ?? (a.map { DiffLine(.removed, $0) } + b.map { DiffLine(.added, $0) })
    return old[..<prefix].map { DiffLine(.same, $0) } + middle
      + old[(old.count - suffix)...].map { DiffLine(.same, $0) }
  }

  private static func myers(_ a: [String], _ b: [String], maxEdits: Int) -> [DiffLine]? {
    let n = a.count
    let m = b.count
    let limit = min(n + m, maxEdits)
    let offset = limit + 1
    var v = [Int](repeating: 0, count: 2 * limit + 3)
    var trace: [[Int]] = []
    for d in 0...limit {
      trace.append(Array(v[(offset - d - 1)...(offset + d + 1)]))
      for k in stride(from: -d, through: d, by: 2) {
        var x =
          (k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1])) ? v[offset + k + 1] : v[offset + k - 1] + 1
        var y = x - k
        while x < n, y < m, a[x] == b[y] {
          x += 1
          y += 1
        }
        v[offset + k] = x
        if x >= n && y >= m { return backtrack(a, b, trace: trace) }
      }
    }
    return nil
  }

  private static func backtrack(_ a: [String], _ b: [String], trace: [[Int]]) -> [DiffLine] {
    var x = a.count
    var y = b.count
    var reversed: [DiffLine] = []
    for d in stride(from: trace.count - 1, through: 0, by: -1) {
      let v = trace[d]
      let at: (Int) -> Int = { v[$0 + d + 1] }
      let k = x - y
      let previousK = (k == -d || (k != d && at(k - 1) < at(k + 1))) ? k + 1 : k - 1
      let previousX = d == 0 ? 0 : at(previousK)
      let previousY = previousX - previousK
      while x > previousX && y > previousY {
        x -= 1
        y -= 1
        reversed.append(DiffLine(.same, a[x]))
      }
      guard d > 0 else { break }
      if x == previousX {
        reversed.append(DiffLine(.added, b[previousY]))
      } else {
        reversed.append(DiffLine(.removed, a[previousX]))
      }
      x = previousX
      y = previousY
    }
    return reversed.reversed()
  }
}
