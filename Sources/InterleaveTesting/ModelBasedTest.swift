import Interleave

/// A model-based property test: drives an implementation and its spec with the same actions and
/// checks that they agree, then shrinks any disagreement to a short sequence.
///
/// ```swift
/// let result = ModelBasedTest(PaymentSpec(), system: LivePayments.self, seed: 1, runs: 200, depth: 12).run()
/// if let failure = result.failure { print(failure.report) }
/// ```
///
/// Each sequence starts from a fresh system (`System()`) and the spec's first initial state. At
/// each step an action enabled in the spec is chosen (at random from a ``SplitMix64`` seeded with
/// the run's seed, or in order in the exhaustive phase), performed on the system and applied to
/// the spec; then the system's response and observed state fields are compared with the spec's,
/// and the spec's post-conditions, invariants and trace properties are checked.
///
/// With `exhaustiveDepth: k`, every sequence of up to `k` actions is run first. Then `runs`
/// random walks of up to `depth` steps follow; run `i` uses seed `seed + i`.
///
/// A failure is shrunk: chunks of the sequence are deleted (halving their size down to 1) and the
/// rest is replayed on a fresh system and the spec, skipping actions no longer enabled in the
/// spec; a candidate is kept only if it fails with the same kind of failure, until no deletion
/// helps.
public struct ModelBasedTest<System: SystemUnderTest> {
  /// The spec the system must conform to.
  public typealias Spec = System.Spec

  /// The spec.
  public let spec: Spec
  /// The seed of the first random run.
  public var seed: UInt64
  /// The number of random runs.
  public var runs: Int
  /// The most steps per random run.
  public var depth: Int
  /// If set, every action sequence up to this length is run before the random runs.
  public var exhaustiveDepth: Int?

  /// Creates a test of `system` against `spec`.
  public init(
    _ spec: Spec, system: System.Type = System.self, seed: UInt64 = 0, runs: Int = 100, depth: Int = 20,
    exhaustiveDepth: Int? = nil
  ) {
    self.spec = spec
    self.seed = seed
    self.runs = runs
    self.depth = depth
    self.exhaustiveDepth = exhaustiveDepth
  }

  /// A failure on one sequence: the kind, the property (if any) and what happened.
  struct Divergence: Equatable {
    var kind: ConformanceFailureKind
    var property: String?
    var message: String

    /// Whether `other` is the same kind of failure (for shrinking).
    func isSame(as other: Divergence) -> Bool { kind == other.kind && property == other.property }
  }

  /// One sequence's execution: the actions run and the failure that stopped it.
  struct Execution {
    var actions: [Spec.Action] = []
    var divergence: Divergence?
  }

  /// Runs the exhaustive phase, then the random runs; stops at the first failure and shrinks it.
  public func run() -> ConformanceResult<Spec> {
    var result = ConformanceResult<Spec>(spec: spec.name, seed: seed, sequences: 0, steps: 0, failure: nil)
    guard let initial = spec.initialStates.first else { return result }
    if let bound = exhaustiveDepth, bound > 0 {
      var prefix: [Spec.Action] = []
      if let failed = exhaustive(from: initial, prefix: &prefix, bound: bound, result: &result) {
        result.failure = failure(failed, run: nil, seed: nil, initial: initial)
        return result
      }
    }
    for run in 0..<max(0, runs) {
      let runSeed = seed &+ UInt64(run)
      var random = SplitMix64(seed: runSeed)
      let execution = execute(from: initial, limit: depth) { enabled in
        enabled.isEmpty ? nil : enabled[random.index(below: enabled.count)]
      }
      result.sequences += 1
      result.steps += execution.actions.count
      if execution.divergence != nil {
        result.failure = failure(execution, run: run, seed: runSeed, initial: initial)
        return result
      }
    }
    return result
  }

  /// Every path of the spec up to `bound` actions, depth first in enumeration order; each
  /// maximal path is run on a fresh system. Returns the first failing execution.
  func exhaustive(
    from state: Spec.State, prefix: inout [Spec.Action], bound: Int, result: inout ConformanceResult<Spec>
  ) -> Execution? {
    let enabled = prefix.count < bound ? spec.enabledActions(in: state) : []
    if enabled.isEmpty {
      let execution = replay(prefix, from: spec.initialStates[0])
      result.sequences += 1
      result.steps += execution.actions.count
      return execution.divergence == nil ? nil : execution
    }
    for action in enabled {
      var next = state
      _ = spec.apply(action, to: &next)
      prefix.append(action)
      defer { prefix.removeLast() }
      if let failed = exhaustive(from: next, prefix: &prefix, bound: bound, result: &result) { return failed }
    }
    return nil
  }

  /// Runs up to `limit` steps on a fresh system and the spec; `choose` picks the next action
  /// among those enabled in the spec, or nil to stop.
  func execute(from initial: Spec.State, limit: Int, choose: ([Spec.Action]) -> Spec.Action?) -> Execution {
    var system = System()
    var state = initial
    var execution = Execution()
    while execution.actions.count < limit {
      guard let action = choose(spec.enabledActions(in: state)) else { break }
      execution.actions.append(action)
      if let divergence = step(&system, &state, action, index: execution.actions.count) {
        execution.divergence = divergence
        break
      }
    }
    return execution
  }

  /// Replays `actions` on a fresh system and the spec, skipping actions the spec does not enable.
  func replay(_ actions: [Spec.Action], from initial: Spec.State) -> Execution {
    var system = System()
    var state = initial
    var execution = Execution()
    for action in actions {
      var enabled = false
      spec.forEachEnabledAction(in: state) { if $0 == action { enabled = true } }
      guard enabled else { continue }
      execution.actions.append(action)
      if let divergence = step(&system, &state, action, index: execution.actions.count) {
        execution.divergence = divergence
        break
      }
    }
    return execution
  }

  /// Performs `action` on both and checks the response, the observed state and the spec's own
  /// properties.
  func step(_ system: inout System, _ state: inout Spec.State, _ action: Spec.Action, index: Int) -> Divergence? {
    let observation = system.perform(action)
    let old = state
    let response = spec.apply(action, to: &state)
    let label = "step \(index) \(spec.describe(action))"
    if let observed = observation.response {
      let expected = spec.render(response: response)
      if let difference = JSONMatch.mismatch(observed: observed, actual: expected) {
        let path = difference.path == "value" || difference.path.isEmpty ? "" : " (at \(difference.path))"
        return Divergence(
          kind: .response, property: nil,
          message: "\(label): the system answered \(observed.jsonText), the spec answers \(expected.jsonText)\(path)")
      }
    }
    if let observed = observation.state,
      let difference = JSONMatch.mismatch(observed: observed, actual: spec.render(state))
    {
      return Divergence(
        kind: .state, property: nil,
        message: "after \(label): the system's \(difference.path) is \(difference.observed.jsonText), "
          + "the spec's is \(difference.actual?.jsonText ?? "missing")")
    }
    if let broken = spec.brokenPostcondition(from: old, by: action, response: response, to: state) {
      return Divergence(
        kind: .postcondition, property: broken.description, message: "\(label) breaks the post-condition \(broken)")
    }
    for invariant in spec.invariants where !invariant.holds(state) {
      return Divergence(
        kind: .invariant, property: invariant.name, message: "after \(label) the spec's invariant \(invariant.name) is false")
    }
    if let violation = spec.propertyViolation(in: state) {
      return Divergence(
        kind: .property, property: violation.property, message: "\(label) violates \(violation.property): \(violation.message)")
    }
    return nil
  }

  /// Shrinks a failing execution and writes its report.
  func failure(_ execution: Execution, run: Int?, seed runSeed: UInt64?, initial: Spec.State) -> ConformanceFailure<Spec> {
    let original = execution.actions
    guard var divergence = execution.divergence else { preconditionFailure("not a failure") }
    let expected = divergence
    let shrunk = Shrinking.deleteChunks(original) { candidate in
      let replayed = replay(candidate, from: initial)
      guard let found = replayed.divergence, found.isSame(as: expected) else { return nil }
      divergence = found
      return replayed.actions
    }
    var report = "\(spec.name): the system does not conform to the spec.\n"
    if let run, let runSeed {
      report += "Random run \(run) of \(runs) (seed \(runSeed); the test's seed is \(seed)) failed after \(original.count) step\(original.count == 1 ? "" : "s").\n"
    } else {
      report += "The exhaustive search (every sequence up to \(exhaustiveDepth ?? 0) steps) failed after \(original.count) step\(original.count == 1 ? "" : "s").\n"
    }
    report += "Shrunk from \(original.count) to \(shrunk.count) step\(shrunk.count == 1 ? "" : "s"):\n"
    for (index, action) in shrunk.enumerated() {
      report += "  \(index + 1). \(spec.describe(action))\n"
    }
    report += "  \(divergence.kind.rawValue) failure: \(divergence.message)\n"
    report += "Original sequence: \(original.map { spec.describe($0).description }.joined(separator: ", "))\n"
    if let runSeed {
      report += "Reproduce: ModelBasedTest(..., seed: \(runSeed), runs: 1, depth: \(depth)) replays this run; "
        + "seed: \(seed), runs: \(runs) reruns the whole test.\n"
    } else {
      report += "Reproduce: ModelBasedTest(..., exhaustiveDepth: \(exhaustiveDepth ?? 0)) finds it again (the exhaustive phase is deterministic).\n"
    }
    return ConformanceFailure(
      kind: divergence.kind, property: divergence.property, message: divergence.message, run: run, seed: runSeed,
      original: original, shrunk: shrunk, report: report)
  }
}
