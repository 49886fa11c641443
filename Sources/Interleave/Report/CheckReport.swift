/// A model-checking result rendered for output: states, actions and responses as JSON.
///
/// Front ends print it as text (``text``), as one JSON object (``json``) or write its
/// counterexample as JSONL (``ReportedViolation/jsonLines``).
public struct CheckReport: Sendable {
  /// One step of a rendered trace.
  public struct Step: Sendable, Hashable {
    /// The action, or nil for the initial state.
    public var action: ActionDescription?
    /// The response (`null` when there is none).
    public var response: JSONValue
    /// The state after the step (or the initial state).
    public var state: JSONValue

    /// The step as a JSON object: `{"action", "args", "state"}`, and `"response"` when there is one.
    public var json: JSONValue {
      var object: JSONObject = [
        "action": action.map { .string($0.name) } ?? .null,
        "args": .object(action?.arguments ?? JSONObject()),
      ]
      if response != .null { object["response"] = response }
      object["state"] = state
      return .object(object)
    }
  }

  /// A rendered violation.
  public struct ReportedViolation: Sendable {
    /// The kind of property that failed.
    public var kind: ViolationKind
    /// The property's name.
    public var name: String
    /// The property's message, if any.
    public var message: String?
    /// The trace; the first step is the initial state.
    public var steps: [Step]

    /// The violation as a JSON object: `{"kind", "name", "steps"}` (and `"message"`).
    public var json: JSONValue {
      var object: JSONObject = ["kind": .string(kind.rawValue), "name": .string(name)]
      if let message { object["message"] = .string(message) }
      object["steps"] = .array(steps.map(\.json))
      return .object(object)
    }

    /// The trace as JSONL: one step object per line, the initial state first.
    public var jsonLines: String { steps.map { $0.json.jsonText + "\n" }.joined() }
  }

  /// The spec's name.
  public var spec: String
  /// The parameter values (an object; empty when the spec has none).
  public var parameters: JSONValue = .object(JSONObject())
  public var verdict: Verdict
  public var inconclusiveReason: String?
  public var distinctStates: Int
  public var generatedStates: Int
  public var depth: Int
  public var seconds: Double
  public var statesPerSecond: Double
  public var coverage: [ActionCoverage]
  public var collisionProbability: Double
  public var bytesPerState: Double
  public var strategy: CheckOptions.Strategy
  public var exact: Bool
  public var violations: [ReportedViolation]
  /// An error inside the checker (see ``CheckResult/internalError``).
  public var internalError: String?

  /// Renders `result` of checking `spec`.
  public init<S: Specification>(_ result: CheckResult<S>, spec: S) {
    self.spec = spec.name
    verdict = result.verdict
    inconclusiveReason = result.inconclusiveReason
    distinctStates = result.distinctStates
    generatedStates = result.generatedStates
    depth = result.depth
    seconds = result.seconds
    statesPerSecond = result.statesPerSecond
    coverage = result.coverage
    collisionProbability = result.collisionProbability
    bytesPerState = result.bytesPerState
    strategy = result.options.strategy
    exact = result.options.exact
    internalError = result.internalError
    violations = result.violations.map { violation in
      var steps = [Step(action: nil, response: .null, state: spec.render(violation.trace.initialState))]
      for step in violation.trace.steps {
        steps.append(
          Step(action: spec.describe(step.action), response: spec.render(response: step.response), state: spec.render(step.state)))
      }
      return ReportedViolation(kind: violation.kind, name: violation.name, message: violation.message, steps: steps)
    }
  }

  /// The first violation, if any.
  public var violation: ReportedViolation? { violations.first }

  /// The report as one JSON object (the CLI's `--json` output).
  public var json: JSONValue {
    var object: JSONObject = [
      "spec": .string(spec),
      "params": parameters,
      "verdict": .string(verdict.rawValue),
    ]
    if let inconclusiveReason { object["reason"] = .string(inconclusiveReason) }
    if let internalError { object["internalError"] = .string(internalError) }
    object["distinctStates"] = .int(distinctStates)
    object["generatedStates"] = .int(generatedStates)
    object["depth"] = .int(depth)
    object["seconds"] = .double((seconds * 1000).rounded() / 1000)
    object["statesPerSecond"] = .double(statesPerSecond.rounded())
    object["strategy"] = .string(strategy.rawValue)
    object["exact"] = .bool(exact)
    object["collisionProbability"] = .double(collisionProbability)
    object["bytesPerState"] = .double((bytesPerState * 10).rounded() / 10)
    object["coverage"] = .array(
      coverage.map {
        ["action": .string($0.action), "distinct": .int($0.distinct), "generated": .int($0.generated)]
      })
    object["neverEnabled"] = .array(coverage.filter(\.neverEnabled).map { .string($0.action) })
    object["violation"] = violations.first?.json ?? .null
    object["violations"] = .array(violations.map(\.json))
    return .object(object)
  }
}
