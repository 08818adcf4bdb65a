import Foundation
import TestSupport
import Testing

/// File contents in the explorer for images that cannot be read again like a file: one in a
/// real Docker Engine (asked for again, by ID, for each file) and one on standard input.
@Suite(
  "strata explore: file contents from the Docker Engine and standard input (tmux)", .serialized,
  .enabled(if: Tmux.available, "tmux is not installed: the screen tests are skipped"))
struct DaemonContentScreenTests {
  static let reference = "localhost/strata/wasteful:latest"

  @Test(
    "an image by name: the pager, the diff and Ctrl+E read its files; once it is gone, a clear note",
    .timeLimit(.minutes(5)),
    .enabled(if: TestDaemon.runnable(.docker), "dockerd and docker not installed (Scripts/setup.sh installs them)"))
  func daemonImage() throws {
    let daemon = try TestDaemon.start(.docker)
    defer { daemon.stop() }
    try daemon.load(ExplorerScreenTests.wasteful)
    try withTemporaryDirectory { directory in
      let command = "cd '\(directory.path)' && DOCKER_HOST=unix://\(daemon.socket) " + exploreCommand(Self.reference)
      let tmux = try Tmux(columns: 160, rows: 45, command)
      defer { tmux.kill() }
      try tmux.waitFor("Files as of layer 9", seconds: 60)
      try tmux.filter("app.conf")
      try tmux.send("Enter", "End", "Enter")
      // The layer's command mentions log_level=info too: wait for the pager's numbered lines.
      let page = try tmux.waitFor("1 log_level=info")
      #expect(page.contains("2 workers=4"), "\(page)")
      try tmux.send("q")
      try tmux.waitForNo("1 log_level=info")
      try tmux.send("d")
      let diff = try tmux.waitFor("@@ -1,2 +1,2 @@")
      #expect(diff.contains("- log_level=debug") && diff.contains("+ log_level=info"), "\(diff)")
      try tmux.send("q")
      try tmux.waitForNo("@@ -1,2 +1,2 @@")
      try tmux.send("C-e")
      try tmux.waitFor("save /etc/myapp/app.conf (layer 9) to: app.conf█")
      try tmux.send("Enter")
      try tmux.waitFor("Saved /etc/myapp/app.conf (layer 9) to app.conf")
      let saved = directory.appendingPathComponent("app.conf").path
      #expect(try String(contentsOfFile: saved, encoding: .utf8) == "log_level=info\nworkers=4\n")

      // A directory whose files come from layers 0, 6 and 9: one more stream serves them all.
      try tmux.send("Escape", "Escape")
      try tmux.waitForNo("filter app.conf")
      try tmux.send("Home", "Down", "Down", "Down")
      try tmux.waitFor("/etc  dir ·")
      try tmux.send("C-e")
      try tmux.waitFor("save /etc (layer 9) to: etc█")
      try tmux.send("Enter")
      try tmux.waitFor("Saved /etc (layer 9) to etc:")
      for file in ["etc/passwd", "etc/group", "etc/myapp/app.conf", "etc/hostname"] {
        let byFile = try StrataTool.run(["cat", ExplorerScreenTests.wasteful, file])
        let saved = try Data(contentsOf: directory.appendingPathComponent(file))
        #expect(byFile.status == 0 && [UInt8](saved) == byFile.stdoutBytes, "\(file)")
      }

      try checkSlowRead(daemon)

      // The image leaves the daemon: what it shows now is a note, never other bytes.
      let removed = try daemon.client(["rmi", "-f", Self.reference])
      #expect(removed.status == 0, "\(removed.stderr)")
      try tmux.filter("app.conf")
      try tmux.send("Enter", "End", "Enter")
      let gone = try tmux.waitFor("is no longer in the Docker Engine")
      #expect(gone.contains("Could not read /etc/myapp/app.conf from layer 9"), "\(gone)")
      #expect(!gone.contains("1 log_level"), "\(gone)")
    }
  }

  /// A daemon slow to send the image again: the status line says what is going on, Esc stops
  /// waiting, and the file shows once the read is done.
  func checkSlowRead(_ daemon: TestDaemon) throws {
    let proxy = try FaultProxy(upstream: daemon.socket, mode: "later:slow:100", in: daemon.directory)
    defer { proxy.stop() }
    let tmux = try Tmux(columns: 160, rows: 45, "DOCKER_HOST=unix://\(proxy.socket) " + exploreCommand(Self.reference))
    defer { tmux.kill() }
    try tmux.waitFor("Files as of layer 9", seconds: 60)
    try tmux.filter("app.conf")
    try tmux.send("Enter", "End", "Enter")
    try tmux.waitFor("Reading /etc/myapp/app.conf from layer 9: the Docker Engine sends the image again…")
    try tmux.waitFor("(Esc stops waiting)")
    try tmux.send("Escape")
    try tmux.waitFor("Stopped waiting (Reading /etc/myapp/app.conf from layer 9)")
    try tmux.send("Enter")
    let page = try tmux.waitFor("1 log_level=info", seconds: 60)
    #expect(page.contains("2 workers=4"), "\(page)")
  }

  @Test func standard_input_says_why_a_file_is_not_there_and_what_to_do() throws {
    let command = "cat '\(ExplorerScreenTests.wasteful)' | " + exploreCommand("-")
    let tmux = try Tmux(columns: 80, rows: 24, command)
    defer { tmux.kill() }
    try tmux.waitFor("Files as of layer 9")
    try tmux.filter("app.conf")
    try tmux.send("Enter", "End", "Enter")
    let page = try tmux.waitFor("was not kept")
    #expect(page.contains("The content of /etc/myapp/app.conf (layer 9) was not kept:"), "\(page)")
    #expect(page.contains("standard input was read once, as a stream"), "\(page)")
    #expect(page.contains("docker save -o image.tar IMAGE && strata explore image.tar"), "\(page)")
    #expect(page.contains("strata explore docker://IMAGE"), "\(page)")
    // Ctrl+E says the same on a page of its own (too long for the status line), and saves nothing.
    try withTemporaryDirectory { directory in
      let tmux = try Tmux(columns: 80, rows: 24, "cd '\(directory.path)' && " + command)
      defer { tmux.kill() }
      try tmux.waitFor("Files as of layer 9")
      try tmux.filter("app.conf")
      try tmux.send("Enter", "End", "C-e")
      try tmux.waitFor("save /etc/myapp/app.conf (layer 9) to: app.conf█")
      try tmux.send("Enter")
      let note = try tmux.waitFor("Could not save /etc/myapp/app.conf (layer 9)")
      #expect(note.contains("standard input was read once"), "\(note)")
      #expect(note.contains("docker save -o image.tar IMAGE && strata explore image.tar"), "\(note)")
      #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("app.conf").path))
    }
  }
}
