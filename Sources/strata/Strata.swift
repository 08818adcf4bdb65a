import ArgumentParser

/// The `strata` command: where the bytes of a container image come from.
@main
struct Strata: ParsableCommand {
  static let version = "0.1.0"

  static let configuration = CommandConfiguration(
    commandName: "strata",
    abstract: "Shows where the bytes of a container image come from.",
    discussion: """
      IMAGE is a `docker save` or `podman save` archive (optionally .gz/.zst), an OCI archive,
      an OCI layout directory, or - for standard input.

      Exit codes: 0 success, 1 a CI rule failed, 2 an error (unreadable image, bad arguments).
      """,
    version: version,
    subcommands: [Analyze.self, Compare.self],
    defaultSubcommand: Analyze.self
  )
}
