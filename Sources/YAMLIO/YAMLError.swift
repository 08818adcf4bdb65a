/// YAML that could not be composed: libyaml's problem text, or the composer's, and its line.
package struct YAMLError: Error, Sendable, Equatable, CustomStringConvertible {
  /// 1-based line of the problem (0 when unknown).
  package var line: Int
  /// What is wrong (`did not find expected key`, `found undefined alias`).
  package var problem: String

  /// Creates an error.
  package init(line: Int, problem: String) {
    self.line = line
    self.problem = problem
  }

  /// `invalid YAML at line N: problem`.
  package var description: String {
    line > 0 ? "invalid YAML at line \(line): \(problem)" : "invalid YAML: \(problem)"
  }
}
