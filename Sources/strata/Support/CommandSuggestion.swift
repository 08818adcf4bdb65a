import Glibc

/// "Did you mean": a first argument that is no command, no option and no existing path, but
/// close to a command's name, is a misspelt command (`strata anlayze x.tar`), not an image.
enum CommandSuggestion {
  /// The commands and their aliases.
  static let names = ["analyze", "analyse", "ci", "compare", "explore", "help"]

  /// The command `word` is probably a misspelling of, or nil when it may be meant as it is.
  static func misspelt(_ word: String) -> String? {
    // Paths and image references (`app:1`, `docker://app`, `app@sha256:…`) are never commands.
    guard !word.hasPrefix("-"), !names.contains(word), !word.contains(where: { "/.:@#".contains($0) }),
      access(word, F_OK) != 0
    else { return nil }
    let lowered = word.lowercased()
    // One edit (a swapped pair counts as one) for short names, two from 8 letters: an image
    // named `compose` is not taken for `compare`.
    let scored = names.map { ($0, distance(lowered, $0)) }.filter { $0.1 <= max(1, $0.0.count / 4) }
    return scored.min { $0.1 < $1.1 }?.0
  }

  /// Levenshtein distance, with a swap of two neighbours counted as one edit.
  static func distance(_ a: String, _ b: String) -> Int {
    let x = Array(a), y = Array(b)
    guard !x.isEmpty else { return y.count }
    guard !y.isEmpty else { return x.count }
    var table = [[Int]](repeating: [Int](repeating: 0, count: y.count + 1), count: x.count + 1)
    for i in 0...x.count { table[i][0] = i }
    for j in 0...y.count { table[0][j] = j }
    for i in 1...x.count {
      for j in 1...y.count {
        let cost = x[i - 1] == y[j - 1] ? 0 : 1
        table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
        if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] {
          table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
        }
      }
    }
    return table[x.count][y.count]
  }
}
