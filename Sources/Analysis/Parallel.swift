import Dispatch
import Synchronization

/// Runs independent pieces of work on the machine's cores.
enum Parallel {
  /// `items.map(transform)`, with the items transformed concurrently; the order is kept.
  static func map<Item: Sendable, Result: Sendable>(
    _ items: [Item], _ transform: @Sendable (Item) -> Result
  ) -> [Result] {
    guard items.count > 1 else { return items.map(transform) }
    let results = Mutex<[Result?]>(Array(repeating: nil, count: items.count))
    DispatchQueue.concurrentPerform(iterations: items.count) { index in
      let result = transform(items[index])
      results.withLock { $0[index] = result }
    }
    return results.withLock { $0.compactMap { $0 } }
  }

  /// Runs `first` and `second` at the same time and returns both results.
  static func both<First: Sendable, Second: Sendable>(
    _ first: @Sendable () -> First, _ second: @Sendable () -> Second
  ) -> (First, Second) {
    let left = Mutex<First?>(nil)
    let right = Mutex<Second?>(nil)
    DispatchQueue.concurrentPerform(iterations: 2) { index in
      if index == 0 {
        let value = first()
        left.withLock { $0 = value }
      } else {
        let value = second()
        right.withLock { $0 = value }
      }
    }
    guard let one = left.withLock({ $0 }), let two = right.withLock({ $0 }) else {
      // concurrentPerform runs every iteration before returning.
      return (first(), second())
    }
    return (one, two)
  }
}
