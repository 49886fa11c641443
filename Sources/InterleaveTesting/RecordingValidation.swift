import Interleave

/// Validates a JSONL log recorded by ``TraceRecorder`` against `spec` with ``TraceValidator``.
///
/// ```swift
/// let report = try validateRecording(Put(keyed: true).monitored { Put.idempotence }, log: "run.jsonl")
/// report.verdict   // .admissible
/// ```
///
/// - Throws: ``TraceInputError`` if the file cannot be read or a line is not a valid event.
public func validateRecording<S: Specification>(
  _ spec: S, log path: String, options: ValidationOptions = ValidationOptions()
) throws(TraceInputError) -> ValidationReport {
  let stream = try TraceEventStream(paths: [path])
  var validator = TraceValidator(spec, options: options)
  while let event = try stream.next() {
    if !validator.feed(event) { break }
  }
  for warning in stream.warnings { validator.warn(warning) }
  return validator.finish()
}

extension ValidationReport {
  /// Why a log was not admissible, for a test failure: the verdict, the failed line and event,
  /// the reason, and why each candidate failed.
  var failureText: String {
    var out = "\(spec): the log is \(verdict.rawValue)"
    if let at = failedAt {
      out += " at \(at)"
      if let failedEvent { out += ": \(failedEvent)" }
    }
    out += "\n  \(reason)\n"
    if let lastMatched { out += "  last matched line: \(lastMatched)\n" }
    for failure in candidateFailures { out += "  - \(failure)\n" }
    return out
  }
}

/// The outcome of validating a recording in a test: the report, or why the log could not be read.
enum RecordingCheck {
  /// The report if the log was read, and the failure message unless it is admissible.
  static func run<S: Specification>(_ spec: S, log path: String, options: ValidationOptions)
    -> (report: ValidationReport?, failure: String?)
  {
    do {
      let report = try validateRecording(spec, log: path, options: options)
      return (report, report.verdict == .admissible ? nil : report.failureText)
    } catch {
      return (nil, "\(spec.name): cannot read the log \(path): \(error.description)")
    }
  }
}
