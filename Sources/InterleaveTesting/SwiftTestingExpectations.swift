import Interleave
import Testing

/// Model-checks `spec` and records an issue at the caller unless it holds, with the
/// counterexample as text and as a JSONL attachment.
///
/// ```swift
/// @Test func putIsIdempotent() {
///   expectHolds(Put(keyed: true).monitored { Put.idempotence })
/// }
/// ```
///
/// The attachment, `<spec>-counterexample.jsonl`, has one step per line, the initial state
/// first: `interleave validate` reads it back.
@discardableResult
public func expectHolds<S: Specification>(
  _ spec: S, options: CheckOptions = CheckOptions(), sourceLocation: SourceLocation = #_sourceLocation
) -> CheckResult<S> {
  let result = ModelChecker(spec, options: options).run()
  if result.verdict != .holds {
    let report = CheckReport(result, spec: spec)
    Issue.record(Comment(rawValue: report.text), sourceLocation: sourceLocation)
    if let violation = report.violation {
      Attachment.record(violation.jsonLines, named: "\(spec.name)-counterexample.jsonl", sourceLocation: sourceLocation)
    }
  }
  return result
}

/// Runs a model-based test and records an issue at the caller with its report if the system
/// diverges.
///
/// ```swift
/// @Test func paymentsConform() {
///   expectConforms(ModelBasedTest(PaymentSpec(), system: LivePayments.self, seed: 1))
/// }
/// ```
@discardableResult
public func expectConforms<System: SystemUnderTest>(
  _ test: ModelBasedTest<System>, sourceLocation: SourceLocation = #_sourceLocation
) -> ConformanceResult<System.Spec> {
  let result = test.run()
  if let failure = result.failure {
    Issue.record(Comment(rawValue: failure.report), sourceLocation: sourceLocation)
  }
  return result
}

/// Validates a log recorded by ``TraceRecorder`` and records an issue at the caller with the
/// validation's reason and failed line unless the log is admissible.
///
/// Returns the report, or nil if the log could not be read (which records an issue too).
@discardableResult
public func expectValidRecording<S: Specification>(
  _ spec: S, log path: String, options: ValidationOptions = ValidationOptions(),
  sourceLocation: SourceLocation = #_sourceLocation
) -> ValidationReport? {
  let (report, failure) = RecordingCheck.run(spec, log: path, options: options)
  if let failure { Issue.record(Comment(rawValue: failure), sourceLocation: sourceLocation) }
  return report
}
