import Analysis
import ArgumentParser
import CBuildInfo
import Reporting

/// The `strata` command: where the bytes of a container image come from.
@main
struct Strata: ParsableCommand {
  /// The release version: the one place it is written. The release scripts read it from
  /// `strata --version`, and CHANGELOG.md's first entry must name it (a test checks).
  static let version = "0.1.0"

  /// The commit the binary was built from, "unknown" for a plain `swift build`.
  static let commit = String(cString: strata_build_commit())

  /// What `--version` prints: `strata 0.1.0 (commit 0123456789ab)`.
  static let versionLine = "strata \(version) (commit \(commit))"

  static let configuration = CommandConfiguration(
    commandName: "strata",
    abstract: "Shows where the bytes of a container image come from.",
    discussion: """
      IMAGE is a `docker save` or `podman save` archive (optionally .gz/.zst),
      an OCI archive, an OCI layout directory, - for standard input, or an
      image by name: app:1 or docker://app:1 (the Docker Engine), podman://app:1
      (podman's API service); --source docker|podman|docker-archive|oci-archive
      says where, as dive's --source does.

      Exit codes: 0 success, 1 a CI rule failed (`strata ci`), 2 an error
      (unreadable image, invalid configuration, bad arguments).

      Manual: `man strata`. Shell completions: installed by the .deb and by
      Scripts/setup.sh; print them with `strata --generate-completion-script
      bash` (or zsh, fish).
      """,
    version: versionLine,
    subcommands: [Analyze.self, CI.self, Compare.self, Explore.self, Cat.self],
    defaultSubcommand: Analyze.self
  )

  /// Runs the command. Bad arguments exit with 2, strata's code for every error (the parser's
  /// own default would be 64), so that CI scripts see 0, 1 or 2 only.
  static func main() {
    MemoryTrim.tuneAllocator()
    if let word = CommandLine.arguments.dropFirst().first, let suggestion = CommandSuggestion.misspelt(word) {
      Output.standardError(
        "strata: unknown command '\(word)'; did you mean '\(suggestion)'? (strata --help lists the commands)")
      exit(withError: ExitCode(2))
    }
    do {
      var command = try parseAsRoot()
      try command.run()
    } catch {
      // The one error boundary: every command's errors end here, as one line and exit code 2.
      if let message = CommandError.message(for: error) {
        // Messages quote names from the image: never let their control characters reach a terminal.
        Output.standardError("strata: \(SafeText.escape(message))")
        exit(withError: ExitCode(2))
      }
      if exitCode(for: error) == .validationFailure {
        Output.standardError(fullMessage(for: error))
        exit(withError: ExitCode(2))
      }
      exit(withError: error)
    }
  }
}
