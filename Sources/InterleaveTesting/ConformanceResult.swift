import Interleave

/// What went wrong in a model-based test.
public enum ConformanceFailureKind: String, Sendable, Hashable {
  /// The system answered differently from the spec.
  case response
  /// An observed state field differs from the spec's state.
  case state
  /// A spec invariant is false after a step.
  case invariant
  /// A step broke one of the spec's post-conditions.
  case postcondition
  /// One of the spec's trace properties failed.
  case property
}

/// A model-based test's failure: the original action sequence, the shrunk one, and a report.
public struct ConformanceFailure<Spec: Specification> {
  /// What kind of check failed.
  public var kind: ConformanceFailureKind
  /// The invariant, post-condition or trace property that failed; nil for a mismatch.
  public var property: String?
  /// What failed on the shrunk sequence, in words.
  public var message: String
  /// The random run that failed (0-based), or nil when the exhaustive phase found it.
  public var run: Int?
  /// The failing run's seed (replay it with `seed: seed, runs: 1`), or nil when the exhaustive
  /// phase found it.
  public var seed: UInt64?
  /// The actions as first found, up to the failure.
  public var original: [Spec.Action]
  /// The shortest sequence found that fails the same way.
  public var shrunk: [Spec.Action]
  /// The readable report: the seed, both sequences and how to reproduce.
  public var report: String
}

/// The outcome of a model-based test.
public struct ConformanceResult<Spec: Specification> {
  /// The spec's name.
  public var spec: String
  /// The seed of the first random run.
  public var seed: UInt64
  /// Action sequences run (exhaustive paths and random runs, shrinking excluded).
  public var sequences: Int
  /// Steps taken over those sequences.
  public var steps: Int
  /// The first failure, shrunk; nil if the system conforms.
  public var failure: ConformanceFailure<Spec>?

  /// Whether no sequence failed.
  public var passed: Bool { failure == nil }

  /// The failure's report, or a one-line summary when the system conforms.
  public var report: String {
    failure?.report ?? "\(spec): the system conforms in \(sequences) sequences, \(steps) steps (seed \(seed))\n"
  }
}
