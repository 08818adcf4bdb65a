import Analysis
import Dispatch
import ImageModel
import Testing

@testable import Explorer

@Suite("Run loop on a mock terminal")
struct ExplorerRunTests {
  func input(_ analysis: ImageAnalysis = Images.sample, waste: ExplorerInput.Waste = .off) -> ExplorerInput {
    ExplorerInput(analysis: analysis, waste: waste, content: nil)
  }

  @Test func quitting_restores_the_terminal() throws {
    let terminal = MockTerminal(events: [.key(.character("q"))])
    let exit = try Explorer.run(on: terminal, colored: true) { _ in input() }
    #expect(exit == .quit)
    #expect(terminal.entered == 1)
    #expect(terminal.restored == 1)
    #expect(terminal.screenText.contains("Files as of layer 2"))
  }

  @Test func ctrl_c_quits_from_the_pager_and_from_the_filter() throws {
    for keys: [KeyStroke] in [[.character("/"), .character("x")], [.tab, .enter], [.character("?")]] {
      let terminal = MockTerminal(events: (keys + [.control("c")]).map { .key($0) })
      #expect(try Explorer.run(on: terminal, colored: false) { _ in input() } == .quit)
      #expect(terminal.restored == 1)
    }
  }

  @Test func an_error_while_loading_is_thrown_after_restoring() {
    struct Broken: Error {}
    let terminal = MockTerminal()
    #expect(throws: Broken.self) { try Explorer.run(on: terminal, colored: false) { _ in throw Broken() } }
    #expect(terminal.restored == 1)
  }

  @Test func q_while_loading_cancels() throws {
    let terminal = MockTerminal()
    terminal.eventsWhileLoading = [.key(.character("q"))]
    // The load lasts until the loading screen has been handed the `q` (or a deadline passes), so
    // it cannot finish first.
    let delivered = terminal.loadingEventsDelivered
    let exit = try Explorer.run(on: terminal, colored: false) { progress in
      progress.report("reading big.tar", fraction: 0.5)
      _ = delivered.wait(timeout: .now() + 30)
      return input()
    }
    #expect(exit == .cancelled)
    #expect(terminal.restored == 1)
  }

  @Test func the_end_of_input_ends_the_explorer() throws {
    let terminal = MockTerminal()
    #expect(try Explorer.run(on: terminal, colored: false) { _ in input() } == .endOfInput)
    #expect(terminal.restored == 1)
  }

  @Test func a_resize_redraws_at_the_new_size() throws {
    let terminal = MockTerminal(rows: 24, columns: 80, events: [.key(.down), .resize, .key(.character("j"))])
    terminal.sizeAfterResize = TerminalSize(rows: 40, columns: 120)
    let exit = try Explorer.run(on: terminal, colored: true) { _ in input() }
    #expect(exit == .endOfInput)
    #expect(terminal.lineWidths.allSatisfy { $0 == 120 })
    #expect(terminal.screen.count == 40)
  }

  @Test func waste_computed_in_the_background_arrives() throws {
    let analysis = Images.analysis([[Images.file("tmp/big.tar.gz", 5000)], [Images.whiteout("tmp/big.tar.gz")]])
    let terminal = MockTerminal(events: [.key(.tab), .key(.tab)])
    _ = try Explorer.run(on: terminal, colored: false) { _ in
      input(analysis, waste: .compute { WasteAnalyzer.analyze(analysis) })
    }
    #expect(terminal.screenText.contains("5.00 kB    /tmp/"), "\(terminal.screenText)")
    #expect(terminal.screenText.contains("Waste · strata 5.00 kB"))
  }

  @Test func a_terminal_that_cannot_be_entered_is_an_error() {
    let terminal = MockTerminal()
    terminal.failToEnter = true
    #expect(throws: TerminalError.self) { try Explorer.run(on: terminal, colored: false) { _ in input() } }
  }
}
