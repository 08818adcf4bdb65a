import Configuration
import Explorer
import ImageLoading
import Reporting

/// Why a command stopped: one line naming the input and the problem. Commands throw it (or the
/// typed errors of the modules below) up to the one boundary, `Strata.main`, which prints
/// `strata: message` on standard error and exits with 2.
struct CommandError: Error, CustomStringConvertible {
  /// What went wrong, naming the input.
  var message: String

  /// Creates the error.
  init(_ message: String) { self.message = message }

  var description: String { message }

  /// The one-line message for an error a command stops with, or nil for the errors the argument
  /// parser reports itself (bad arguments, `ExitCode`).
  static func message(for error: any Error) -> String? {
    switch error {
    case let error as CommandError: error.message
    case let error as ImageLoadError: error.description
    case let error as ConfigError: error.description
    case let error as BaselineError: error.description
    case let error as TerminalError: error.message
    default: nil
    }
  }
}
