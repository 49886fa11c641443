/// A spec whose states are identified up to symmetry: the fingerprint of a state is the
/// fingerprint of its canonical form, so the search stores one state per symmetry class and
/// expands the first member of each class it meets (TLC's `SYMMETRY`).
///
/// Exactness depends on the canonical form: if two symmetric states always get the same form
/// (for interchangeable processes, sorting their local states does that), the counts are those
/// of the quotient, as TLC reports them.
public struct SymmetryReduced<Base: Specification>: Specification {
  public typealias State = Base.State
  public typealias Action = Base.Action
  public typealias Response = Base.Response

  /// The spec reduced.
  public let base: Base

  /// Reduces `base` by its ``Specification/canonicalForm(of:)``.
  @inlinable
  public init(_ base: Base) { self.base = base }

  public var name: String { base.name }
  public var initialStates: [State] { base.initialStates }
  @inlinable public func forEachEnabledAction(in state: State, _ body: (Action) -> Void) {
    base.forEachEnabledAction(in: state, body)
  }
  @inlinable public func apply(_ action: Action, to state: inout State) -> Response { base.apply(action, to: &state) }
  @inlinable public func successorBuffer(of state: State) -> State? { base.successorBuffer(of: state) }
  @inlinable public func refillSuccessorBuffer(_ buffer: inout State, from state: State) -> Bool {
    base.refillSuccessorBuffer(&buffer, from: state)
  }
  @inlinable
  public func apply(_ action: Action, toSuccessor successor: inout State, of parent: State) -> Response {
    base.apply(action, toSuccessor: &successor, of: parent)
  }
  @inlinable
  public func restore(_ successor: inout State, after action: Action, from parent: State) {
    base.restore(&successor, after: action, from: parent)
  }
  public var invariants: [Invariant<State>] { base.invariants }
  @inlinable public func brokenPostcondition(from old: State, by action: Action, response: Response, to new: State)
    -> BrokenPostcondition?
  { base.brokenPostcondition(from: old, by: action, response: response, to: new) }
  @inlinable public func propertyViolation(in state: State) -> PropertyViolation? { base.propertyViolation(in: state) }
  @inlinable public func unmetObligation(in state: State) -> PropertyViolation? { base.unmetObligation(in: state) }
  @inlinable public func isWithinConstraint(_ state: State) -> Bool { base.isWithinConstraint(state) }
  @inlinable public func isTerminal(_ state: State) -> Bool { base.isTerminal(state) }
  @inlinable public func fingerprint(of state: State) -> UInt64 { base.fingerprint(of: base.canonicalForm(of: state)) }
  @inlinable public func canonicalForm(of state: State) -> State { base.canonicalForm(of: state) }
  @inlinable public func storedForm(of state: State) -> State { base.canonicalForm(of: state) }
  public func render(_ state: State) -> JSONValue { base.render(state) }
  public func describe(_ action: Action) -> ActionDescription { base.describe(action) }
  public func render(response: Response) -> JSONValue { base.render(response: response) }
  public var actionKinds: [String] { base.actionKinds }
  @inlinable public func actionKind(of action: Action) -> Int { base.actionKind(of: action) }
  @inlinable public func coverageKey(of action: Action) -> Int? { base.coverageKey(of: action) }
  @inlinable public func isHidden(_ action: Action) -> Bool { base.isHidden(action) }
  public func actions(named name: String, arguments: JSONObject, in state: State) -> [Action]? {
    base.actions(named: name, arguments: arguments, in: state)
  }
  public func allowsStutter(_ event: ActionDescription, in state: State) -> Bool { base.allowsStutter(event, in: state) }
  public func disabledReason(named name: String, arguments: JSONObject, in state: State) -> String? {
    base.disabledReason(named: name, arguments: arguments, in: state)
  }
}

extension CheckResult {
  /// The same result for a spec with the same state, action and response types.
  @inlinable
  func relabeled<T: Specification>(as: T.Type) -> CheckResult<T>
  where T.State == S.State, T.Action == S.Action, T.Response == S.Response {
    CheckResult<T>(
      verdict: verdict, inconclusiveReason: inconclusiveReason, distinctStates: distinctStates,
      generatedStates: generatedStates, depth: depth, seconds: seconds, coverage: coverage,
      violations: violations.map { violation in
        Violation<T>(
          kind: violation.kind, name: violation.name, message: violation.message,
          trace: Counterexample<T>(
            initialState: violation.trace.initialState,
            steps: violation.trace.steps.map { .init(action: $0.action, response: $0.response, state: $0.state) }))
      },
      collisionProbability: collisionProbability, visitedBytes: visitedBytes, options: options, internalError: internalError)
  }
}
