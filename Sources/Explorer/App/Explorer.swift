import Analysis
import Dispatch
import Reporting
import Synchronization

/// The full-screen explorer: `Explorer.run` takes the terminal, shows progress while the image
/// loads, runs the panes until the user quits, and restores the terminal on every way out.
package enum Explorer {
  /// Runs the explorer.
  /// - Parameters:
  ///   - terminal: where to draw and read keys (`PosixTerminal()` for the real one).
  ///   - colored: whether to use colour (attributes such as reverse video are always used).
  ///   - load: reads and analyses the image; runs in the background while progress shows.
  /// - Returns: how it ended.
  /// - Throws: what `load` throws, or a `TerminalError`, after the terminal is restored.
  package static func run(
    on terminal: any TerminalDevice, colored: Bool,
    load: @escaping @Sendable (ProgressReporter) throws -> ExplorerInput
  ) throws -> ExplorerExit {
    try terminal.enter()
    defer { terminal.restore() }
    guard let input = try loadShowingProgress(terminal, colored: colored, load: load) else { return .cancelled }
    var loop = RunLoop(terminal: terminal, input: input, colored: colored)
    return loop.run()
  }

  /// How long the loading screen waits for a key before it looks whether the image is ready,
  /// in milliseconds: the first screen comes at most this long after the load ends (it was
  /// 100, half of it lost on average). No other wait asks for this timeout, so a scripted
  /// terminal in the tests knows the loading screen is up without reading it.
  static let loadingPollMilliseconds = 20

  /// How many of those waits the spinner shows each of its frames (a frame every 100 ms).
  static let pollsPerSpinnerFrame = 5

  private static func loadShowingProgress(
    _ terminal: any TerminalDevice, colored: Bool, load: @escaping @Sendable (ProgressReporter) throws -> ExplorerInput
  ) throws -> ExplorerInput? {
    let progress = ProgressReporter()
    let result = Pending<Result<ExplorerInput, any Error>>()
    DispatchQueue.global().async { result.fulfil(Result { try load(progress) }) }
    var previous: [String]?
    var polls = 0
    while true {
      if let outcome = result.value { return try outcome.get() }
      let lines = ProgressScreen.frame(
        progress.current, tick: polls / pollsPerSpinnerFrame, size: terminal.size()
      ).encodedLines(colored: colored)
      terminal.write(FrameWriter.update(from: previous, to: lines))
      previous = lines
      switch terminal.nextEvent(timeoutMilliseconds: loadingPollMilliseconds) {
      case .key(let key) where key.isInterrupt || key == .character("q"): return nil
      case .resize: previous = nil
      case .endOfInput: return nil
      default: break
      }
      polls += 1
    }
  }
}

/// The loop that draws, waits for a key, and applies it.
struct RunLoop {
  let terminal: any TerminalDevice
  let colored: Bool
  let reader: ContentReader
  var state: ExplorerState
  let pendingWaste = Pending<WasteReport>()
  var wastePending: Bool
  /// The waste analysis to start once the first screen is drawn (it would take the cores the
  /// first screen is drawn with).
  var wasteToStart: (@Sendable () -> WasteReport)?
  let renderer = Renderer()
  /// Keys typed while a read ran, applied once it is done.
  var typedAhead: [TerminalEvent] = []

  init(terminal: any TerminalDevice, input: ExplorerInput, colored: Bool) {
    self.terminal = terminal
    self.colored = colored
    var report: WasteReport?
    var pending = false
    switch input.waste {
    case .ready(let ready): report = ready
    case .off: break
    case .compute: pending = true
    }
    state = ExplorerState(analysis: input.analysis, waste: report, wastePending: pending)
    state.defersFilterUpdates = true
    reader = ContentReader(
      source: input.content, tree: input.analysis.tree, timeline: state.tree.timeline,
      imageName: input.analysis.image.source)
    wastePending = pending
    if case .compute(let compute) = input.waste { wasteToStart = compute }
  }

  mutating func run() -> ExplorerExit {
    var size = terminal.size()
    state.layout(size)
    var previous: [String]?
    while true {
      if wastePending, let report = pendingWaste.value {
        state.wasteArrived(report)
        wastePending = false
      }
      state.settle()
      let lines = renderer.frame(state, size: size).encodedLines(colored: colored)
      terminal.write(FrameWriter.update(from: previous, to: lines))
      previous = lines
      if let compute = wasteToStart {
        let box = pendingWaste
        DispatchQueue.global().async { box.fulfil(compute()) }
        wasteToStart = nil
      }
      var event = nextEvent(timeoutMilliseconds: wastePending ? 200 : -1)
      // Apply every key already waiting before drawing again.
      var handled = 0
      while true {
        switch event {
        case .key(let key):
          switch state.handle(key) {
          case .quit: return .quit
          case .read(let request):
            let reader = reader
            let text = readingText(request)
            switch waiting(for: text, stoppable: true, size: &size, previous: &previous, { reader.pager(for: request) })
            {
            case .done(let page): state.show(page)
            case .stopped: state.say("Stopped waiting (\(text)); what it reads is dropped")
            case .ended(let exit): return exit
            }
          case .suspend:
            terminal.suspend()
            size = terminal.size()
            state.layout(size)
            previous = nil
          case .extract(let request):
            extract(request, size: size, previous: &previous)
          case .none: break
          }
        case .resize:
          size = terminal.size()
          state.layout(size)
          previous = nil
        case .endOfInput: return .endOfInput
        case .timeout: break
        }
        handled += 1
        guard event != .timeout, handled < 64 else { break }
        event = nextEvent(timeoutMilliseconds: 0)
        if event == .timeout { break }
      }
    }
  }

  private mutating func extract(_ request: ExtractRequest, size: TerminalSize, previous: inout [String]?) {
    let extractor = Extractor(
      source: reader.source, tree: reader.tree, timeline: reader.timeline, imageName: reader.imageName)
    let what = "\(state.tree.path(of: request.node)) (layer \(request.layer))"
    let text = "Saving \(what) to \(request.destination)"
    var size = size
    guard
      case .done(let outcome) = waiting(
        for: text, stoppable: false, size: &size, previous: &previous, { extractor.extract(request) })
    else { return }
    switch outcome {
    case .exists: state.askToOverwrite(request)
    case .failed(let why): state.say("Could not save: " + why)
    case .notKept(let note):
      // Too long for the status line: the reason and what to do, on a page of their own.
      state.show(PagerModel(title: "Could not save " + what, subtitle: "", note: note))
    case .saved(let entries, let bytes, let skipped):
      var text = "Saved \(state.tree.path(of: request.node)) (layer \(request.layer)) to \(request.destination): "
      text += entries == 1 ? ByteFormat.human(bytes) : "\(entries) entries, \(ByteFormat.human(bytes))"
      if skipped > 0 { text += "; \(skipped) skipped (devices, links without targets, or in the way)" }
      state.say(text)
    }
  }

  /// What the status line says while a file is read for the pager.
  private func readingText(_ request: ContentRequest) -> String {
    switch request {
    case .file(let node, let layer), .diff(let node, let layer):
      return "Reading \(state.tree.path(of: node)) from layer \(layer)"
    }
  }

  /// The next key typed ahead, else the terminal's next event.
  private mutating func nextEvent(timeoutMilliseconds: Int) -> TerminalEvent {
    typedAhead.isEmpty ? terminal.nextEvent(timeoutMilliseconds: timeoutMilliseconds) : typedAhead.removeFirst()
  }

  /// How a wait for work on another thread ended.
  enum Waited<Value> {
    case done(Value)
    /// The user stopped waiting (Esc); the work's result will be dropped.
    case stopped
    /// The user quit (Ctrl+C), or the terminal went away.
    case ended(ExplorerExit)
  }

  /// Does `work` (a read that may take a moment: a big layer, or a daemon sending the image
  /// again) on another thread, the status line saying `text`, what the read involves when it
  /// is slow, and the seconds it has taken, until it is done. When `stoppable`, Esc stops
  /// waiting and Ctrl+C quits; other keys wait their turn.
  private mutating func waiting<Value: Sendable>(
    for text: String, stoppable: Bool, size: inout TerminalSize, previous: inout [String]?,
    _ work: @escaping @Sendable () -> Value
  ) -> Waited<Value> {
    let result = Pending<Value>()
    let done = DispatchSemaphore(value: 0)
    DispatchQueue.global().async {
      result.fulfil(work())
      done.signal()
    }
    let note = reader.source?.rereadNote.map { ": " + $0 } ?? ""
    let start = DispatchTime.now()
    defer { state.message = nil }
    while true {
      // A quick read (a file, a kept content) is done before anything needs drawing.
      if done.wait(timeout: .now() + .milliseconds(50)) == .success, let value = result.value { return .done(value) }
      let seconds = (DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1_000_000_000
      state.message =
        text + note + "…" + (seconds >= 1 ? " \(seconds) s" : "")
        + (stoppable && !note.isEmpty ? " (Esc stops waiting)" : "")
      let lines = renderer.frame(state, size: size).encodedLines(colored: colored)
      terminal.write(FrameWriter.update(from: previous, to: lines))
      previous = lines
      guard stoppable else { continue }
      switch terminal.nextEvent(timeoutMilliseconds: 150) {
      case .key(let key) where key.isInterrupt: return .ended(.quit)
      case .key(.escape): return .stopped
      case .resize:
        size = terminal.size()
        state.layout(size)
        previous = nil
      case .endOfInput: return .ended(.endOfInput)
      case .key(let key): typedAhead.append(.key(key))
      case .timeout: break
      }
    }
  }
}

/// A value another thread hands over once.
final class Pending<Value: Sendable>: Sendable {
  private let slot = Mutex<Value?>(nil)

  /// Hands the value over.
  func fulfil(_ value: Value) { slot.withLock { $0 = value } }

  /// The value, once handed over.
  var value: Value? { slot.withLock { $0 } }
}
