import Dispatch
import Synchronization

/// A value worked out on another thread while the caller goes on with something else; `wait()`
/// gives it, waiting for it if need be.
final class BackgroundValue<Value: Sendable>: Sendable {
  private let slot = Mutex<Value?>(nil)
  private let finished = DispatchSemaphore(value: 0)

  /// Starts `work` on a thread of the global pool.
  init(_ work: @escaping @Sendable () -> Value) {
    DispatchQueue.global().async { [self] in
      let value = work()
      slot.withLock { $0 = value }
      finished.signal()
    }
  }

  /// The value, once `work` has returned it.
  func wait() -> Value {
    finished.wait()
    // Signalled again, so that a later call returns at once too.
    finished.signal()
    guard let value = slot.withLock({ $0 }) else { preconditionFailure("BackgroundValue: signalled without a value") }
    return value
  }
}
