import Interleave
import XCTest

/// Model-checks `spec` and fails the calling XCTest unless it holds, with the counterexample.
///
/// ```swift
/// func testPutIsIdempotent() {
///   assertHolds(Put(keyed: true).monitored { Put.idempotence })
/// }
/// ```
///
/// A violation or an inconclusive run calls `XCTFail` at the caller's file and line with the
/// readable report (``CheckReport/text``).
@discardableResult
public func assertHolds<S: Specification>(
  _ spec: S, options: CheckOptions = CheckOptions(), file: StaticString = #filePath, line: UInt = #line
) -> CheckResult<S> {
  let result = ModelChecker(spec, options: options).run()
  if result.verdict != .holds {
    XCTFail(CheckReport(result, spec: spec).text, file: file, line: line)
  }
  return result
}

/// Runs a model-based test and fails the calling XCTest with its report if the system diverges.
///
/// ```swift
/// assertConforms(ModelBasedTest(PaymentSpec(), system: LivePayments.self, seed: 1, runs: 200))
/// ```
@discardableResult
public func assertConforms<System: SystemUnderTest>(
  _ test: ModelBasedTest<System>, file: StaticString = #filePath, line: UInt = #line
) -> ConformanceResult<System.Spec> {
  let result = test.run()
  if let failure = result.failure {
    XCTFail(failure.report, file: file, line: line)
  }
  return result
}

/// Validates a log recorded by ``TraceRecorder`` and fails the calling XCTest with the
/// validation's reason and failed line unless the log is admissible.
///
/// Returns the report, or nil if the log could not be read (which fails the test too).
@discardableResult
public func assertValidRecording<S: Specification>(
  _ spec: S, log path: String, options: ValidationOptions = ValidationOptions(),
  file: StaticString = #filePath, line: UInt = #line
) -> ValidationReport? {
  let (report, failure) = RecordingCheck.run(spec, log: path, options: options)
  if let failure { XCTFail(failure, file: file, line: line) }
  return report
}
