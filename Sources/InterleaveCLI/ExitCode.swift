/// The CLI's exit statuses (see docs/cli.md): scripts depend on them.
public enum ExitCode: Int32, Sendable {
  /// The spec holds (check) or the log is admissible (validate).
  case holds = 0
  /// A violation was found, or the log was refuted.
  case violation = 1
  /// A resource bound was hit before a verdict.
  case inconclusive = 2
  /// The command line was wrong (sysexits EX_USAGE).
  case usage = 64
  /// Input data was malformed (sysexits EX_DATAERR).
  case dataError = 65
  /// An internal error (sysexits EX_SOFTWARE).
  case internalError = 70
}

/// A command-line error: the message and the exit status it maps to.
struct CommandError: Error {
  var message: String
  var code: ExitCode
  var usage: String?

  static func usage(_ message: String, _ usage: String) -> CommandError {
    CommandError(message: message, code: .usage, usage: usage)
  }
}
