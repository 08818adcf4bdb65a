import Analysis
import ImageModel
import Synchronization

/// What the explorer is handed: the analysed image, its waste findings, and a way to read file
/// contents. The explorer never opens the archive itself.
package struct ExplorerInput: Sendable {
  /// Where the waste findings come from.
  package enum Waste: Sendable {
    /// Already computed.
    case ready(WasteReport)
    /// Computed in the background once the explorer is open (it may read contents).
    case compute(@Sendable () -> WasteReport)
    /// Not wanted.
    case off
  }

  /// The image, merged and measured.
  package var analysis: ImageAnalysis
  /// The findings.
  package var waste: Waste
  /// Reads file contents for the pager and the diff (nil: not available).
  package var content: (any ContentSource)?

  /// Creates an input.
  package init(analysis: ImageAnalysis, waste: Waste, content: (any ContentSource)?) {
    self.analysis = analysis
    self.waste = waste
    self.content = content
  }
}

/// Progress of the work done before the explorer opens, shown while it runs.
package final class ProgressReporter: Sendable {
  private let state = Mutex<(text: String, fraction: Double?)>(("starting…", nil))

  /// Creates a reporter.
  package init() {}

  /// Says what is happening, and how far along (0…1) when known.
  package func report(_ text: String, fraction: Double? = nil) {
    state.withLock { $0 = (text, fraction) }
  }

  /// The last report.
  package var current: (text: String, fraction: Double?) { state.withLock { $0 } }
}

/// How the explorer ended.
package enum ExplorerExit: Sendable, Hashable {
  /// The user quit.
  case quit
  /// The user quit while the image was still loading.
  case cancelled
  /// The terminal went away.
  case endOfInput
}
