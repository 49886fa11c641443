/// A simulation result rendered for output: the failing runs with their seeds and the shrunk
/// counterexamples, as text (``text``) or JSON (``json``).
///
/// Nothing in it depends on timing, so the same seed gives the same report, byte for byte.
public struct SimulationReport: Sendable {
  /// A run that failed.
  public struct FailedRun: Sendable, Hashable {
    /// The run's index, 0-based.
    public var run: Int
    /// The run's own seed (`--seed <seed> --runs 1` replays it).
    public var seed: UInt64
    /// The kind of property that failed.
    public var kind: ViolationKind
    /// The property's name.
    public var name: String
    /// The steps the run took up to the failure.
    public var steps: Int
  }

  /// A failing run and its shrunk counterexample.
  public struct ShrunkRun: Sendable {
    /// The run's index, 0-based.
    public var run: Int
    /// The run's own seed.
    public var seed: UInt64
    /// The actions of the run as found, up to the failure.
    public var original: [ActionDescription]
    /// The shrunk counterexample, initial state first.
    public var violation: CheckReport.ReportedViolation
  }

  /// The spec's name.
  public var spec: String
  /// The parameter values (an object; empty when the spec has none).
  public var parameters: JSONValue = .object(JSONObject())
  /// The seed, the number of runs and the depth.
  public var options: SimulationOptions
  /// Steps taken over all runs.
  public var steps: Int
  /// Every failing run, in run order.
  public var failures: [FailedRun]
  /// The first failing run of each failed property, shrunk.
  public var shrunk: [ShrunkRun]

  /// Renders `result` of simulating `spec`.
  public init<S: Specification>(_ result: SimulationResult<S>, spec: S) {
    self.spec = spec.name
    options = result.options
    steps = result.steps
    failures = result.failures.map {
      FailedRun(run: $0.run, seed: $0.seed, kind: $0.violation.kind, name: $0.violation.name, steps: $0.violation.trace.steps.count)
    }
    shrunk = result.failures.compactMap { failure in
      guard let shrunk = failure.shrunk else { return nil }
      return ShrunkRun(
        run: failure.run, seed: failure.seed, original: failure.violation.trace.actions.map(spec.describe),
        violation: CheckReport.ReportedViolation(shrunk, spec: spec))
    }
  }

  /// Whether no run failed.
  public var passed: Bool { failures.isEmpty }

  /// The report as text: the summary line, the failing runs and each shrunk counterexample.
  public var text: String {
    var title = spec
    if case .object(let object) = parameters, !object.isEmpty {
      title += " (" + object.map { "\($0.key)=\($0.value.displayText.trimmingQuotes)" }.joined(separator: " ") + ")"
    }
    let settings = "seed \(options.seed), depth \(options.depth), \(grouped(steps)) steps"
    guard !failures.isEmpty else {
      return "\(title): no failure in \(grouped(options.runs)) runs (\(settings))\n"
    }
    var out = "\(title): \(failures.count) of \(grouped(options.runs)) runs failed (\(settings))\n"
    out += "Failing runs (replay one with --seed <seed> --runs 1):\n"
    for failure in failures {
      out += "  run \(failure.run)  seed \(failure.seed)  \(failure.kind.rawValue) \(failure.name) after \(failure.steps) step\(failure.steps == 1 ? "" : "s")\n"
    }
    for run in shrunk {
      let length = run.violation.steps.count - 1
      out += "\nRun \(run.run) (seed \(run.seed)): \(run.original.count) step\(run.original.count == 1 ? "" : "s"), shrunk to \(length):\n"
      out += "  original: \(run.original.map(\.description).joined(separator: ", "))\n"
      out += run.violation.text
    }
    return out
  }

  /// The report as one JSON object (the CLI's `--json` output).
  public var json: JSONValue {
    func seedJSON(_ seed: UInt64) -> JSONValue { seed <= UInt64(Int.max) ? .int(Int(seed)) : .string(String(seed)) }
    var object: JSONObject = [
      "spec": .string(spec),
      "params": parameters,
      "verdict": .string(failures.isEmpty ? Verdict.holds.rawValue : Verdict.violation.rawValue),
      "seed": seedJSON(options.seed),
      "runs": .int(options.runs),
      "depth": .int(options.depth),
      "steps": .int(steps),
    ]
    object["failedRuns"] = .array(
      failures.map {
        ["run": .int($0.run), "seed": seedJSON($0.seed), "kind": .string($0.kind.rawValue), "name": .string($0.name),
         "steps": .int($0.steps)]
      })
    object["counterexamples"] = .array(
      shrunk.map {
        var entry: JSONObject = ["run": .int($0.run), "seed": seedJSON($0.seed)]
        entry["original"] = .array($0.original.map { ["action": .string($0.name), "args": .object($0.arguments)] })
        entry["shrunk"] = $0.violation.json
        return .object(entry)
      })
    return .object(object)
  }
}

extension CheckReport.ReportedViolation {
  /// Renders `violation` of `spec`: the initial state, then each step.
  public init<S: Specification>(_ violation: Violation<S>, spec: S) {
    var steps = [CheckReport.Step(action: nil, response: .null, state: spec.render(violation.trace.initialState))]
    for step in violation.trace.steps {
      steps.append(
        CheckReport.Step(
          action: spec.describe(step.action), response: spec.render(response: step.response), state: spec.render(step.state)))
    }
    self.init(kind: violation.kind, name: violation.name, message: violation.message, steps: steps)
  }
}
