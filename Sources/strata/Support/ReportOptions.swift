import Analysis
import ArgumentParser
import Reporting

/// The help texts of ``ReportOptions`` that differ from one command to another, so that each
/// command's `--help` keeps its own wording.
protocol ReportOptionsHelp {
  /// Help for `--min-size`.
  static var minSize: String { get }
  /// Appended to the `--min-size '…' is not a size` error, e.g. ` (try 1MB)`; may be empty.
  static var minSizeHint: String { get }
  /// Help for `--top`.
  static var top: String { get }
  /// Help for `--color`.
  static var color: String { get }
}

/// Options that say how a report is written: where to, how many entries, which sizes, in what
/// units and colours. Shared by `analyze` and `compare`; `Help` supplies their own help texts.
/// `--help` lists these options together, where the command declares the group; `validate()`
/// runs while the arguments are read, before the command's own `validate()`.
struct ReportOptions<Help: ReportOptionsHelp>: ParsableArguments {
  @Option(name: [.short, .long], help: "Write the report to FILE instead of standard output.")
  var output: String?

  @Option(help: ArgumentHelp(Help.minSize))
  var minSize: String?

  @Option(name: .customLong("top"), help: ArgumentHelp(Help.top))
  var topGiven: Int?

  @Flag(help: "Exact byte counts instead of human units.")
  var bytes = false

  @Option(help: ArgumentHelp(Help.color))
  var color: String = "auto"

  func validate() throws {
    if let minSize, ByteSize.parse(minSize) == nil {
      throw ValidationError("--min-size '\(minSize)' is not a size\(Help.minSizeHint)")
    }
    try ColorMode.validate(color)
    if let topGiven, topGiven < 0 { throw ValidationError("--top must not be negative") }
  }

  /// `--top`, 10 when not given.
  var top: Int { topGiven ?? 10 }

  /// Whether the report goes to standard output (no `--output`, or `--output -`).
  var toTerminal: Bool { output == nil || output == "-" }

  /// `--min-size` in bytes, when given.
  var minSizeBytes: Int64? { minSize.flatMap(ByteSize.parse) }

  /// `--min-size` in bytes, 0 when not given.
  var minBytes: Int64 { minSizeBytes ?? 0 }

  /// The colours for a text report: none when it goes to a file.
  var style: Style { ColorMode.style(color, colored: toTerminal) }

  /// The terminal's width for a text report, none when it goes to a file.
  var width: Int? { toTerminal ? Terminal.width : nil }
}

extension ColorMode {
  /// Checks a `--color` value, with the message every command gives.
  static func validate(_ text: String) throws {
    if ColorMode(rawValue: text) == nil { throw ValidationError("--color must be auto, always or never") }
  }

  /// Whether output is coloured for a validated `--color` value (`auto` when not one).
  static func wanted(_ text: String) -> Bool {
    Terminal.wantsColor(ColorMode(rawValue: text) ?? .auto)
  }

  /// The style for a `--color` value; plain unless `colored` (e.g. the output is a terminal).
  static func style(_ text: String, colored: Bool = true) -> Style {
    Style(colored: colored && wanted(text))
  }
}
