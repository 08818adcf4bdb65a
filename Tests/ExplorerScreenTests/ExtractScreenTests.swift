import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Ctrl+E (save a file or a directory), Ctrl+Z (suspend and `fg`), and `strata cat`, on the
/// real binary.
@Suite(
  "strata explore: extract and suspend (tmux)", .serialized,
  .enabled(if: Tmux.available, Comment(rawValue: Tmux.missing)))
struct ExtractScreenTests {
  /// The explorer on the wasteful image, started in `directory` (where Ctrl+E saves by default).
  func open(in directory: URL, columns: Int, rows: Int) throws -> Tmux {
    let tmux = try Tmux(
      columns: columns, rows: rows, "cd '\(directory.path)' && " + exploreCommand(ExplorerScreenTests.wasteful))
    do {
      try tmux.waitFor("Files as of layer 9")
    } catch {
      tmux.kill()
      throw error
    }
    return tmux
  }

  @Test(arguments: DiveKeysScreenTests.sizes) func ctrl_e_saves_a_file_and_never_replaces_without_asking(
    columns: Int, rows: Int
  ) throws {
    try withTemporaryDirectory { directory in
      let tmux = try open(in: directory, columns: columns, rows: rows)
      defer { tmux.kill() }
      try tmux.filter("app.conf")
      try tmux.send("Enter", "End", "C-e")
      try tmux.waitFor("save /etc/myapp/app.conf (layer 9) to: app.conf█")
      try tmux.send("Enter")
      try tmux.waitFor("Saved /etc/myapp/app.conf (layer 9) to app.conf")
      let saved = directory.appendingPathComponent("app.conf").path
      #expect(try String(contentsOfFile: saved, encoding: .utf8) == "log_level=info\nworkers=4\n")
      try "mine".write(toFile: saved, atomically: false, encoding: .utf8)
      try tmux.send("C-e", "Enter")
      try tmux.waitFor("app.conf exists: replace it? y/n")
      try tmux.send("n")
      try tmux.waitFor("Not saved: app.conf is left as it was")
      #expect(try String(contentsOfFile: saved, encoding: .utf8) == "mine")
      // An older version, to a path typed over the default.
      try tmux.send("[", "[", "[", "[", "[", "[")
      try tmux.waitFor("Files as of layer 3")
      try tmux.send("End", "C-e", "C-u")
      try tmux.type("old.conf")
      try tmux.send("Enter")
      try tmux.waitFor("Saved /etc/myapp/app.conf (layer 3) to old.conf")
      let old = directory.appendingPathComponent("old.conf").path
      #expect(try String(contentsOfFile: old, encoding: .utf8) == "log_level=debug\nworkers=1\n")
    }
  }

  @Test func ctrl_e_saves_a_directory_with_links_stored_as_links() throws {
    try withTemporaryDirectory { directory in
      let tmux = try open(in: directory, columns: 120, rows: 30)
      defer { tmux.kill() }
      try tmux.send("Tab")
      try tmux.waitFor("Space open")
      try tmux.send("C-e")
      try tmux.waitFor("save /app (layer 9) to: app█")
      try tmux.send("Enter")
      try tmux.waitFor("Saved /app (layer 9) to app:")
      let main = directory.appendingPathComponent("app/main.py").path
      #expect(FileManager.default.fileExists(atPath: main))
      #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("app/.git/HEAD").path))
      // The root's symbolic link is saved as a link, not as the file it points to.
      try tmux.send("Down", "Down", "Down", "Down", "Down")
      try tmux.waitFor("/linuxrc  symlink")
      try tmux.send("C-e", "Enter")
      try tmux.waitFor("Saved /linuxrc")
      let link = directory.appendingPathComponent("linuxrc").path
      #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == "/bin/busybox")
    }
  }

  @Test(arguments: DiveKeysScreenTests.sizes) func ctrl_z_suspends_and_fg_comes_back_to_the_same_screen(
    columns: Int, rows: Int
  ) throws {
    let tmux = try Tmux(columns: columns, rows: rows, "env PS1='shell$ ' bash --norc --noprofile -i")
    defer { tmux.kill() }
    try tmux.waitFor("shell$")
    try tmux.type("\(Tmux.strata) explore '\(ExplorerScreenTests.wasteful)'")
    try tmux.send("Enter")
    try tmux.waitFor("Files as of layer 9")
    try tmux.send("Up")
    try tmux.waitFor("Files as of layer 8")
    try tmux.send("C-z")
    let shell = try tmux.waitFor("Stopped")
    #expect(!shell.contains("Files as of layer"))
    #expect(try tmux.value("#{alternate_on}") == "0")
    try tmux.type("fg")
    try tmux.send("Enter")
    try tmux.waitFor("Files as of layer 8")
    #expect(try tmux.value("#{alternate_on}") == "1")
    try tmux.send("Up")
    try tmux.waitFor("Files as of layer 7")
    try tmux.send("q")
    try tmux.waitFor("the shell's prompt again") { $0.contains("shell$") && !$0.contains("Files as of") }
  }
}

@Suite("strata cat")
struct CatCommandTests {
  let wasteful = ExplorerScreenTests.wasteful

  func cat(_ arguments: [String]) throws -> (status: Int32, output: String) {
    try #require(FileManager.default.isExecutableFile(atPath: Tmux.strata), "no \(Tmux.strata): run swift build")
    return try Tmux.run([Tmux.strata, "cat"] + arguments)
  }

  @Test func it_writes_a_file_as_of_the_last_layer_or_the_one_asked() throws {
    #expect(try cat([wasteful, "/etc/myapp/app.conf"]) == (0, "log_level=info\nworkers=4\n"))
    #expect(try cat([wasteful, "etc/myapp/app.conf", "--layer", "3"]) == (0, "log_level=debug\nworkers=1\n"))
  }

  @Test func it_follows_symbolic_links_inside_the_image() throws {
    // /bin/sh → /bin/busybox: an ELF file, 1,982,256 bytes in the tar.
    let pipeline =
      "'\(Tmux.strata)' cat '\(wasteful)' /bin/sh | tee /dev/null | od -An -tx1 -N4; '\(Tmux.strata)' cat '\(wasteful)' /bin/sh | wc -c"
    let result = try Tmux.run(["sh", "-c", pipeline])
    let words = result.output.split(whereSeparator: { $0 == " " || $0 == "\n" })
    #expect(words.prefix(4) == ["7f", "45", "4c", "46"])
    #expect(words.last == "1982256")
  }

  @Test func what_is_not_a_file_there_is_an_error_naming_it() throws {
    let cases: [([String], String)] = [
      ([wasteful, "/etc"], "/etc: is a directory"),
      ([wasteful, "/tmp/sdk-installer.tar.gz"], "/tmp/sdk-installer.tar.gz: no such file in the image at layer 9"),
      ([wasteful, "/x", "--layer", "12"], "--layer 12: \(wasteful) has layers 0 to 9"),
    ]
    for (arguments, message) in cases {
      let result = try cat(arguments)
      #expect(result.status == 2)
      #expect(result.output == "strata: " + (message.hasPrefix("--") ? message : "\(wasteful): \(message)") + "\n")
    }
  }

  /// The bytes `strata cat ARGUMENTS` writes, read as the shell hands `input` over.
  func catBytes(_ arguments: [String], input: StrataTool.Input = .inherited) throws -> ChildProcess.Result {
    try StrataTool.run(["cat"] + arguments, input: input)
  }

  @Test func from_standard_input_a_pipe_or_a_named_pipe_it_writes_the_same_bytes_as_from_the_file() throws {
    let archive = try Array(Data(contentsOf: URL(fileURLWithPath: wasteful)))
    // A small text file, a 1.9 MB binary, a file in two layers as of the earlier one.
    for arguments in [["/etc/myapp/app.conf"], ["/bin/busybox"], ["etc/myapp/app.conf", "--layer", "3"]] {
      let byFile = try catBytes([wasteful] + arguments)
      #expect(byFile.status == 0, "\(byFile.stderr)")
      let piped = try catBytes(["-"] + arguments, input: .pipe(archive))
      #expect(piped.status == 0 && piped.stdoutBytes == byFile.stdoutBytes, "\(arguments) | \(piped.stderr)")
      let redirected = try catBytes(["-"] + arguments, input: .file(URL(fileURLWithPath: wasteful)))
      #expect(
        redirected.status == 0 && redirected.stdoutBytes == byFile.stdoutBytes, "\(arguments) < \(redirected.stderr)")
    }
    // A named pipe (`<(cat archive)`), read once like standard input.
    let fifo = "/tmp/strata-cat-\(UInt32.random(in: 0...UInt32.max)).fifo"
    #expect(mkfifo(fifo, 0o600) == 0)
    defer { unlink(fifo) }
    let result = try Tmux.run([
      "sh", "-c", "cat '\(wasteful)' > '\(fifo)' & '\(Tmux.strata)' cat '\(fifo)' /etc/myapp/app.conf",
    ])
    #expect(result == (0, "log_level=info\nworkers=4\n"))
  }

  @Test func from_a_stream_a_link_whose_target_went_by_first_names_the_path_to_ask_for() throws {
    // /bin/sh → /bin/busybox, which comes before the link in its layer's tar.
    let archive = try Array(Data(contentsOf: URL(fileURLWithPath: wasteful)))
    let result = try catBytes(["-", "/bin/sh"], input: .pipe(archive))
    #expect(result.status == 2)
    #expect(result.stdoutBytes.isEmpty)
    #expect(
      result.stderr.contains(
        "strata: -: /bin/sh leads to /bin/busybox, whose content went by before strata met the link"))
    #expect(result.stderr.contains("ask for it by that path (strata cat - /bin/busybox)"))
    // /bin/ash → /bin/busybox comes before its target: the target is kept as it goes by.
    let busybox = try catBytes([wasteful, "/bin/busybox"])
    let ash = try catBytes(["-", "/bin/ash"], input: .pipe(archive))
    #expect(
      ash.status == 0 && ash.stdoutBytes == busybox.stdoutBytes && busybox.stdoutBytes.count == 1_982_256,
      "\(ash.stderr)")
  }
}
