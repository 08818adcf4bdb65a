import Foundation
import TestSupport
import Testing

/// `strata explore` driven in tmux like a person would: keys in, screen out.
@Suite(
  "strata explore on a real terminal (tmux)", .serialized,
  .enabled(if: Tmux.available, Comment(rawValue: Tmux.missing)))
struct ExplorerScreenTests {
  static let wasteful = fixtureURL("images/wasteful/wasteful.tar").path

  func open(_ image: String = wasteful, columns: Int = 80, rows: Int = 24) throws -> Tmux {
    try #require(FileManager.default.isExecutableFile(atPath: Tmux.strata), "no \(Tmux.strata): run swift build")
    let tmux = try Tmux(columns: columns, rows: rows, exploreCommand(image))
    do {
      try tmux.waitFor("Files as of layer")
    } catch {
      tmux.kill()
      throw error
    }
    return tmux
  }

  @Test func it_opens_with_layers_tree_waste_and_key_hints() throws {
    let tmux = try open()
    defer { tmux.kill() }
    let screen = try tmux.waitFor("strata 776 kB")
    #expect(screen.hasPrefix(" localhost/strata/wasteful:latest · 2.52 MB · dive 85.0 %, 584 kB wasted"))
    #expect(screen.contains("● Layers · this layer"))
    #expect(screen.contains("Files as of layer 9"))
    #expect(screen.contains("▸ app/"))
    #expect(screen.contains("Tab pane"))
    #expect(lineCount(screen) == 24)
  }

  @Test func moving_between_layers_redraws_the_tree() throws {
    let tmux = try open()
    defer { tmux.kill() }
    try tmux.send("Up")
    try tmux.waitFor("Files as of layer 8")
    try tmux.send("Home")
    let first = try tmux.waitFor("Files as of layer 0")
    #expect(!first.contains("▸ app/"))
    try tmux.send("]")
    try tmux.waitFor("Files as of layer 1")
  }

  @Test func space_expands_and_collapses_and_ctrl_space_does_all() throws {
    let tmux = try open()
    defer { tmux.kill() }
    try tmux.send("Tab", "Space")
    try tmux.waitFor("▾ app/")
    try tmux.waitFor("requirements.txt")
    try tmux.send("Space")
    try tmux.waitFor("▸ app/")
    try tmux.waitForNo("requirements.txt")
    try tmux.send("C-Space")
    try tmux.waitFor("▾ .git/")
    try tmux.send("C-Space")
    try tmux.waitFor("▸ app/")
    try tmux.waitForNo("▾ .git/")  // the waste pane may list /app/.git/… paths
  }

  @Test func typing_a_filter_narrows_the_tree() throws {
    let tmux = try open()
    defer { tmux.kill() }
    var screen = try tmux.filter("app.conf")
    #expect(screen.contains("└ app.conf"))
    #expect(!screen.contains("bin/"))
    try tmux.send("Escape")
    screen = try tmux.waitForNo("filter app.conf")
    #expect(screen.contains("▸ bin/"))
    try tmux.send("C-f")
    try tmux.type("*.pyc")
    screen = try tmux.waitFor("glob *.pyc")
    #expect(screen.contains("main.cpython-311.pyc"))
  }

  @Test func change_kinds_hide_and_layer_changes_mode_toggle() throws {
    let tmux = try open(columns: 120, rows: 30)
    defer { tmux.kill() }
    try tmux.send("Tab", "c")
    var screen = try tmux.waitFor("Changes in layer 9")
    #expect(screen.contains("▸ etc/"))
    #expect(!screen.contains("bin/"))
    #expect(!screen.contains("run/"))
    try tmux.send("c", "C-u")
    screen = try tmux.waitFor("hiding unchanged")
    #expect(!screen.contains("bin/"))
    #expect(screen.contains("~    238 B └── ▸ etc/"))
    try tmux.send("C-a", "C-r", "M")
    try tmux.waitFor("nothing to show")
    try tmux.send("C-a", "C-r", "M", "C-u")
    try tmux.waitForNo("hiding")
  }

  @Test func help_shows_every_key_and_closes() throws {
    let tmux = try open()
    defer { tmux.kill() }
    try tmux.send("?")
    var screen = try tmux.waitFor("dive's keys: everywhere")
    #expect(screen.contains("Ctrl+C  q"))
    try tmux.send("PageDown")
    screen = try tmux.waitFor("strata's own keys")
    try tmux.send("Escape")
    try tmux.waitForNo("dive's keys")
  }

  @Test func enter_on_the_largest_wasted_file_jumps_to_it() throws {
    let tmux = try open()
    defer { tmux.kill() }
    try tmux.waitFor("strata 776 kB")
    try tmux.send("Tab", "Tab", "s")
    try tmux.waitFor("307 kB L4 /tmp/sdk-in")
    try tmux.send("Enter")
    // Wait for the last line the jump changes: a capture can land while a frame is being drawn.
    let screen = try tmux.waitFor("added L4, removed L7")
    #expect(screen.contains("Files as of layer 4"))
    #expect(screen.contains("+   307 kB │ └ sdk-installer.tar.gz"))
    #expect(screen.contains("/tmp/sdk-installer.tar.gz  file · 307 kB"))
    #expect(screen.contains("added L4, removed L7"))
  }

  @Test func a_text_file_opens_in_the_pager_and_its_diff_too() throws {
    let tmux = try open()
    defer { tmux.kill() }
    try tmux.filter("app.conf")
    try tmux.send("Enter", "End", "Enter")
    var screen = try tmux.waitFor("log_level=info")
    #expect(screen.contains("1 log_level=info"))
    try tmux.send("q")
    try tmux.waitForNo("log_level=info")
    try tmux.send("d")
    screen = try tmux.waitFor("@@ -1,2 +1,2 @@")
    #expect(screen.contains("- log_level=debug"))
    #expect(screen.contains("+ log_level=info"))
  }

  @Test func it_survives_resizes() throws {
    let tmux = try open()
    defer { tmux.kill() }
    try tmux.resize(columns: 132, rows: 40)
    var screen = try tmux.waitFor("dive efficiency 85.0 %")
    #expect(lineCount(screen) == 40)
    try tmux.resize(columns: 30, rows: 8)
    try tmux.waitFor("too small")
    try tmux.resize(columns: 80, rows: 24)
    screen = try tmux.waitFor("Files as of layer 9")
    try tmux.send("Up")
    try tmux.waitFor("Files as of layer 8")
    #expect(!screen.contains("too small"))
  }

  func lineCount(_ screen: String) -> Int {
    var lines = screen.split(separator: "\n", omittingEmptySubsequences: false)
    if lines.last == "" { lines.removeLast() }
    return lines.count
  }

  func expectRestored(_ tmux: Tmux, exit: String) throws {
    let screen = try tmux.waitFor("the settings stty prints") { $0.contains("strata-exit=") && $0.contains("icanon") }
    #expect(screen.contains("strata-exit=\(exit)"))
    #expect(try tmux.value("#{alternate_on}") == "0")
    #expect(try tmux.value("#{cursor_flag}") == "1")
    #expect(screen.contains(" icanon "))
    #expect(screen.contains(" echo "))
    #expect(!screen.contains("-icanon"))
  }

  @Test func q_quits_and_leaves_the_terminal_as_it_was() throws {
    let tmux = try open()
    defer { tmux.kill() }
    #expect(try tmux.value("#{alternate_on}") == "1")
    try tmux.send("q")
    try expectRestored(tmux, exit: "0")
  }

  @Test func ctrl_c_quits_from_inside_the_pager_too() throws {
    let tmux = try open()
    defer { tmux.kill() }
    try tmux.send("?")
    try tmux.waitFor("dive's keys")
    try tmux.send("C-c")
    try expectRestored(tmux, exit: "0")
  }

  @Test func sigterm_restores_the_terminal() throws {
    let tmux = try open()
    defer { tmux.kill() }
    let shell = try tmux.value("#{pane_pid}")
    let children = try Tmux.run(["pgrep", "-P", shell]).output.split(separator: "\n")
    let pid = try #require(children.first.map(String.init))
    _ = try Tmux.run(["kill", "-TERM", pid])
    try expectRestored(tmux, exit: "143")
  }

  @Test func a_crash_restores_the_terminal_before_the_crash_report() throws {
    // Without the runtime's interactive crash reporter, the process dies of the signal.
    let command = exploreCommand(Self.wasteful)
    let tmux = try Tmux(command.replacingOccurrences(of: Tmux.strata, with: "SWIFT_BACKTRACE=enable=no " + Tmux.strata))
    defer { tmux.kill() }
    try tmux.waitFor("Files as of layer")
    let shell = try tmux.value("#{pane_pid}")
    let pid = try #require(try Tmux.run(["pgrep", "-P", shell]).output.split(separator: "\n").first.map(String.init))
    _ = try Tmux.run(["kill", "-SEGV", pid])
    try expectRestored(tmux, exit: "139")
  }

  @Test func a_bad_image_fails_with_the_terminal_restored() throws {
    let tmux = try Tmux(exploreCommand("/nonexistent/image.tar"))
    defer { tmux.kill() }
    // The exit status is printed before stty's settings: wait for both, not for the first.
    let screen = try tmux.waitFor("the settings stty prints") { $0.contains("strata-exit=2") && $0.contains("icanon") }
    #expect(screen.contains("strata: /nonexistent/image.tar: no such file or directory"))
    #expect(try tmux.value("#{alternate_on}") == "0")
    #expect(screen.contains(" icanon "))
  }

  @Test func wide_and_control_characters_in_names_stay_aligned() throws {
    try withTemporaryDirectory { directory in
      let image = try DockerArchive.write(
        to: directory.appendingPathComponent("names.tar").path,
        layers: [
          TarBuilder().dir("名前").file("名前/読んでください.txt", size: 2048).file("bad\u{1B}[2Jname", text: "x")
            .file("tab\tname", text: "y").build()
        ])
      let tmux = try open(image)
      defer { tmux.kill() }
      try tmux.send("Tab", "C-Space")
      let screen = try tmux.waitFor("読んでください.txt")
      #expect(screen.contains("bad\\x1B[2Jname"))
      #expect(screen.contains("tab\\tname"))
      let lines = screen.split(separator: "\n").dropFirst(2).prefix(5)
      let columns = lines.map { line in
        line.prefix { $0 != "│" }.reduce(0) { $0 + (($1.unicodeScalars.first?.value ?? 0) >= 0x3000 ? 2 : 1) }
      }
      #expect(Set(columns).count == 1, "\(lines)")
    }
  }
}

@Suite("strata explore without a terminal")
struct ExploreRefusalTests {
  @Test func it_refuses_when_standard_output_is_not_a_terminal() throws {
    try #require(FileManager.default.isExecutableFile(atPath: Tmux.strata), "no \(Tmux.strata): run swift build")
    let result = try Tmux.run([Tmux.strata, "explore", ExplorerScreenTests.wasteful])
    #expect(result.status == 2)
    #expect(result.output.contains("explore needs a terminal"))
    #expect(result.output.contains("strata analyze"))
  }
}
