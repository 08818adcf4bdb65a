import Dispatch
import Synchronization

/// `elements.map(transform)` with the calls running at once, on the machine's cores; the results
/// come back in the elements' order. Every call runs to its end; then the first error, in the
/// elements' order (not the first to happen), is thrown, so a failure reads the same on every run.
func concurrentMap<Element: Sendable, Result: Sendable>(
  _ elements: [Element], _ transform: @Sendable (Element) throws -> Result
) throws -> [Result] {
  guard elements.count > 1 else { return try elements.map(transform) }
  let outcomes = Mutex<[Swift.Result<Result, any Error>?]>(Array(repeating: nil, count: elements.count))
  DispatchQueue.concurrentPerform(iterations: elements.count) { index in
    let outcome = Swift.Result { try transform(elements[index]) }
    outcomes.withLock { $0[index] = outcome }
  }
  return try outcomes.withLock { all in
    try all.map { outcome in
      // concurrentPerform returns only after every iteration has run.
      guard let outcome else { preconditionFailure("concurrentMap: an iteration did not run") }
      return try outcome.get()
    }
  }
}
