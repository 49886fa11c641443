/// A spec checked together with trace properties: the product of the spec and the monitors.
///
/// Its state is the base state plus the monitors' memory (and, once a property fails, the
/// violation), so the model checker explores and fingerprints them together, and the shortest
/// counterexample to a trace property comes out of BFS like any other. A state whose property has
/// failed has no successors; end-of-trace obligations are checked in states without successors.
///
/// ```swift
/// let result = Put(keyed: false).monitored { Put.idempotence }.check()
/// result.violation?.kind   // .property
/// ```
public struct MonitoredSpec<Base: Specification, Property: TraceProperty>: Specification
where Property.State == Base.State, Property.Action == Base.Action, Property.Response == Base.Response {
  public typealias Action = Base.Action
  public typealias Response = Base.Response

  /// The base state with the monitors' memory.
  public struct State: Hashable, Sendable {
    /// The spec's own state.
    public var base: Base.State
    /// What the monitors remember.
    public var memory: Property.Memory
    /// The property that failed on the way here, if any.
    public var violation: PropertyViolation?

    @inlinable
    init(base: Base.State, memory: Property.Memory, violation: PropertyViolation?) {
      self.base = base
      self.memory = memory
      self.violation = violation
    }

    // `==` and `hash(into:)` are written out and inlinable, here and in the memories of the
    // library's properties, so that they specialize for the spec: synthesized, they run
    // unspecialized (about 10,000 instructions to compare two DurableExecution states, which
    // `--exact` does for every successor that is not new).
    @inlinable
    public static func == (lhs: State, rhs: State) -> Bool {
      lhs.base == rhs.base && lhs.memory == rhs.memory && lhs.violation == rhs.violation
    }

    @inlinable
    public func hash(into hasher: inout Hasher) {
      hasher.combine(base)
      hasher.combine(memory)
      hasher.combine(violation)
    }
  }

  /// The spec being checked.
  public let base: Base
  /// The properties checked along every trace.
  public let property: Property

  /// Checks `property` on every trace of `base`.
  @inlinable
  public init(_ base: Base, property: Property) {
    self.base = base
    self.property = property
  }

  public var name: String { base.name }

  public var initialStates: [State] {
    base.initialStates.map { State(base: $0, memory: property.initialMemory(for: $0), violation: nil) }
  }

  @inlinable
  public func forEachEnabledAction(in state: State, _ body: (Action) -> Void) {
    guard state.violation == nil else { return }
    base.forEachEnabledAction(in: state.base, body)
  }

  @inlinable
  public func apply(_ action: Action, to state: inout State) -> Response {
    apply(action, to: &state, at: nil)
  }

  /// Applies the action and lets the monitors observe the step, with the log's time if known.
  @inlinable
  public func apply(_ action: Action, to state: inout State, at time: Double?) -> Response {
    let before = state.base
    let response = base.apply(action, to: &state.base, at: time)
    let step = TraceStep(before: before, action: action, response: response, after: state.base, time: time)
    if let violation = property.observe(step, memory: &state.memory) { state.violation = violation }
    return response
  }

  /// The base spec's buffer, with the monitors' memory.
  @inlinable
  public func successorBuffer(of state: State) -> State? {
    base.successorBuffer(of: state.base).map { State(base: $0, memory: state.memory, violation: state.violation) }
  }

  /// The base spec refills its buffer; the monitors' memory is assigned.
  @inlinable
  public func refillSuccessorBuffer(_ buffer: inout State, from state: State) -> Bool {
    guard base.refillSuccessorBuffer(&buffer.base, from: state.base) else { return false }
    buffer.memory = state.memory
    buffer.violation = state.violation
    return true
  }

  /// The base spec applies the action to its buffer; the monitors observe the step from `parent`.
  @inlinable
  public func apply(_ action: Action, toSuccessor successor: inout State, of parent: State) -> Response {
    let response = base.apply(action, toSuccessor: &successor.base, of: parent.base)
    let step = TraceStep(before: parent.base, action: action, response: response, after: successor.base, time: nil)
    if let violation = property.observe(step, memory: &successor.memory) { successor.violation = violation }
    return response
  }

  @inlinable
  public func restore(_ successor: inout State, after action: Action, from parent: State) {
    base.restore(&successor.base, after: action, from: parent.base)
    successor.memory = parent.memory
    successor.violation = parent.violation
  }

  public var invariants: [Invariant<State>] {
    base.invariants.map { invariant in Invariant(invariant.name) { invariant.holds($0.base) } }
  }

  @inlinable
  public func brokenPostcondition(
    from old: State, by action: Action, response: Response, to new: State
  ) -> BrokenPostcondition? {
    base.brokenPostcondition(from: old.base, by: action, response: response, to: new.base)
  }

  @inlinable
  public func isWithinConstraint(_ state: State) -> Bool { base.isWithinConstraint(state.base) }

  @inlinable
  public func isTerminal(_ state: State) -> Bool { state.violation != nil || base.isTerminal(state.base) }

  @inlinable
  public func propertyViolation(in state: State) -> PropertyViolation? { state.violation }

  @inlinable
  public func unmetObligation(in state: State) -> PropertyViolation? {
    state.violation == nil ? property.finish(state.memory) : nil
  }

  @inlinable
  public func fingerprint(of state: State) -> UInt64 {
    var f = Fingerprinter(seed: base.fingerprint(of: state.base))
    property.fingerprint(state.memory, into: &f)
    if let violation = state.violation { violation.property.fingerprint(into: &f) }
    return f.finalize()
  }

  public func render(_ state: State) -> JSONValue { base.render(state.base) }
  public func describe(_ action: Action) -> ActionDescription { base.describe(action) }
  public func render(response: Response) -> JSONValue { base.render(response: response) }
  public var actionKinds: [String] { base.actionKinds }
  @inlinable public func isHidden(_ action: Action) -> Bool { base.isHidden(action) }
  public func actions(named name: String, arguments: JSONObject, in state: State) -> [Action]? {
    base.actions(named: name, arguments: arguments, in: state.base)
  }
  public func allowsStutter(_ event: ActionDescription, in state: State) -> Bool { base.allowsStutter(event, in: state.base) }
  public func disabledReason(named name: String, arguments: JSONObject, in state: State) -> String? {
    base.disabledReason(named: name, arguments: arguments, in: state.base)
  }
  @inlinable public func actionKind(of action: Action) -> Int { base.actionKind(of: action) }
  @inlinable public func coverageKey(of action: Action) -> Int? { base.coverageKey(of: action) }
}

extension Specification {
  /// This spec with trace properties checked on every trace (see ``MonitoredSpec``).
  @inlinable
  public func monitored<P: TraceProperty>(
    @PropertyBuilder _ properties: () -> P
  ) -> MonitoredSpec<Self, P> where P.State == State, P.Action == Action, P.Response == Response {
    MonitoredSpec(self, property: properties())
  }

  /// The steps of type this spec produces, for writing properties and hand-made traces.
  public typealias Step = TraceStep<State, Action, Response>
}
