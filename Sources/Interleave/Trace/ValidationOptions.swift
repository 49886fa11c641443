/// Bounds and switches of trace validation.
public struct ValidationOptions: Sendable {
  /// The most spec states kept as explanations of the log so far; past it the verdict is
  /// inconclusive.
  public var maxCandidates = 100_000
  /// The most hidden (unlogged) actions fired between two logged lines.
  public var maxHiddenSteps = 3
  /// The log is known to be whole: obligations still open at its end refute it instead of
  /// making it inconclusive.
  public var complete = false
  /// How many candidates' failure reasons a refutation lists.
  public var reportedCandidates = 8

  /// The defaults.
  public init(maxCandidates: Int = 100_000, maxHiddenSteps: Int = 3, complete: Bool = false) {
    self.maxCandidates = maxCandidates
    self.maxHiddenSteps = maxHiddenSteps
    self.complete = complete
  }
}

/// Admissible, refuted or inconclusive.
public enum ValidationVerdict: String, Sendable, Codable {
  /// Some behaviour of the spec explains the whole log.
  case admissible
  /// No behaviour of the spec explains the log up to a line.
  case refuted
  /// A bound was hit, or an obligation is open at the end of a log that may have been cut off.
  case inconclusive
}

/// The outcome of validating a log against a spec.
public struct ValidationReport: Sendable {
  /// The spec's name.
  public var spec: String
  public var verdict: ValidationVerdict
  /// Events read (header lines not counted).
  public var lines: Int
  /// Events explained before the verdict.
  public var matchedLines: Int
  /// Where the log was refuted (or the bound hit), if it was.
  public var failedAt: TraceEvent.Origin?
  /// The event at that line, as `name(args)`.
  public var failedEvent: String?
  /// The last line that was explained.
  public var lastMatched: TraceEvent.Origin?
  /// Why, in one sentence.
  public var reason: String
  /// For a refutation: why each candidate state (up to a few) could not take the event.
  public var candidateFailures: [String]
  /// For a refutation: the actions enabled in those candidates.
  public var enabledActions: [String]
  /// The largest candidate set held.
  public var maxCandidates: Int
  /// Problems that did not stop validation (a truncated last line, ignored members).
  public var warnings: [String]
  /// Wall-clock seconds.
  public var seconds: Double

  /// Creates a report; the validator is its usual source.
  @inlinable
  public init(
    spec: String, verdict: ValidationVerdict, lines: Int, matchedLines: Int, failedAt: TraceEvent.Origin?,
    failedEvent: String?, lastMatched: TraceEvent.Origin?, reason: String, candidateFailures: [String],
    enabledActions: [String], maxCandidates: Int, warnings: [String], seconds: Double
  ) {
    self.spec = spec
    self.verdict = verdict
    self.lines = lines
    self.matchedLines = matchedLines
    self.failedAt = failedAt
    self.failedEvent = failedEvent
    self.lastMatched = lastMatched
    self.reason = reason
    self.candidateFailures = candidateFailures
    self.enabledActions = enabledActions
    self.maxCandidates = maxCandidates
    self.warnings = warnings
    self.seconds = seconds
  }

  /// Events per second.
  public var eventsPerSecond: Double { seconds > 0 ? Double(lines) / seconds : 0 }
}
