/// A spec written the readable way: rules collected by a result builder.
///
/// ```swift
/// let spec = Spec("Peterson", initial: Peterson.State()) {
///   for i in 0..<2 {
///     Rule("want", ["i": i], requires: { $0.pc[i] == .idle }) {
///       $0.flag[i] = true
///       $0.pc[i] = .wanting
///     }
///   }
/// } invariants: {
///   Invariant("mutual exclusion") { !($0.pc[0] == .critical && $0.pc[1] == .critical) }
/// }
/// let result = spec.check()
/// ```
///
/// It conforms to ``Specification``, so the model checker, reports and traces treat it like a
/// spec written with the protocol. An action is the index of its rule; it describes itself with
/// the rule's name and arguments. Prefer the protocol for large state spaces: stored closures cost
/// a few hundred nanoseconds per step where an enum and a `switch` cost tens.
public struct Spec<State: Hashable & Sendable>: Specification {
  /// An action of a builder spec: the index of its rule.
  public struct Action: Hashable, Sendable, Comparable {
    /// The position of the rule in the spec.
    public let rule: Int
    @usableFromInline init(rule: Int) { self.rule = rule }
    public static func < (lhs: Action, rhs: Action) -> Bool { lhs.rule < rhs.rule }
  }

  public let name: String
  public let initialStates: [State]
  /// The rules in the order written.
  public private(set) var rules: [Rule<State>]
  public private(set) var invariants: [Invariant<State>]
  @usableFromInline private(set) var constraint: (@Sendable (State) -> Bool)?
  @usableFromInline private(set) var terminal: (@Sendable (State) -> Bool)?
  @usableFromInline let fingerprintFunction: @Sendable (State) -> UInt64
  @usableFromInline let kindOfRule: [Int]
  public let actionKinds: [String]

  /// Creates a spec from initial states, rules and invariants.
  ///
  /// - Parameters:
  ///   - name: the spec's name in reports.
  ///   - initial: the initial states.
  ///   - constraint: TLC's state constraint: successors outside it are checked, not expanded.
  ///   - terminal: declared end states, which are not deadlocks.
  public init(
    _ name: String,
    initial: [State],
    constraint: (@Sendable (State) -> Bool)? = nil,
    terminal: (@Sendable (State) -> Bool)? = nil,
    @RuleBuilder<State> rules: () -> [Rule<State>],
    @InvariantBuilder<State> invariants: () -> [Invariant<State>] = { [] }
  ) {
    self.name = name
    self.initialStates = initial
    self.rules = rules()
    self.invariants = invariants()
    self.constraint = constraint
    self.terminal = terminal
    self.fingerprintFunction = Spec.fingerprintFunction()
    var kinds: [String] = []
    var kindOfRule: [Int] = []
    for rule in self.rules {
      if let existing = kinds.firstIndex(of: rule.name) {
        kindOfRule.append(existing)
      } else {
        kindOfRule.append(kinds.count)
        kinds.append(rule.name)
      }
    }
    self.kindOfRule = kindOfRule
    self.actionKinds = kinds
  }

  /// Creates a spec with one initial state.
  public init(
    _ name: String,
    initial: State,
    constraint: (@Sendable (State) -> Bool)? = nil,
    terminal: (@Sendable (State) -> Bool)? = nil,
    @RuleBuilder<State> rules: () -> [Rule<State>],
    @InvariantBuilder<State> invariants: () -> [Invariant<State>] = { [] }
  ) {
    self.init(name, initial: [initial], constraint: constraint, terminal: terminal, rules: rules, invariants: invariants)
  }

  /// Uses the state's ``Fingerprintable`` conformance when it has one, reflection otherwise.
  static func fingerprintFunction() -> @Sendable (State) -> UInt64 {
    if let type = State.self as? any (Fingerprintable & Sendable).Type {
      return fingerprintFunction(using: type)
    }
    return { ReflectiveFingerprint.fingerprint(of: $0) }
  }

  static func fingerprintFunction<F: Fingerprintable & Sendable>(using type: F.Type) -> @Sendable (State) -> UInt64 {
    { state in Fingerprinter.fingerprint(of: unsafeBitCast(state, to: F.self)) }
  }

  // The methods the search calls for every state are inlinable, so that they are specialized
  // for the state type in the module that checks the spec: unspecialized, each call asked the
  // runtime for the metadata of `Rule<State>` and its arrays, a cache all threads share (half
  // of an Increment run, and two workers were slower than one).
  @inlinable
  public func forEachEnabledAction(in state: State, _ body: (Action) -> Void) {
    for index in rules.indices where rules[index].isEnabled(in: state) {
      body(Action(rule: index))
    }
  }

  @inlinable
  public func apply(_ action: Action, to state: inout State) -> JSONValue {
    rules[action.rule].effect(&state)
  }

  public func brokenPostcondition(
    from old: State, by action: Action, response: JSONValue, to new: State
  ) -> BrokenPostcondition? {
    let rule = rules[action.rule]
    for ensurance in rule.ensurances where !ensurance.holds(old, new, response) {
      return BrokenPostcondition(rule: describe(action).description, condition: ensurance.name)
    }
    return nil
  }

  @inlinable public func isWithinConstraint(_ state: State) -> Bool { constraint?(state) ?? true }
  @inlinable public func isTerminal(_ state: State) -> Bool { terminal?(state) ?? false }
  @inlinable public func fingerprint(of state: State) -> UInt64 { fingerprintFunction(state) }

  public func describe(_ action: Action) -> ActionDescription {
    ActionDescription(name: rules[action.rule].name, arguments: rules[action.rule].arguments)
  }

  public func render(response: JSONValue) -> JSONValue { response }

  /// A copy whose rules, invariants, constraint and terminal test have closures of their own,
  /// for one thread of a search.
  public func copyForWorker() -> Spec {
    var copy = self
    copy.rules = rules.map { $0.copyForWorker() }
    copy.invariants = invariants.map { $0.copyForWorker() }
    if let constraint { copy.constraint = { constraint($0) } }
    if let terminal { copy.terminal = { terminal($0) } }
    return copy
  }

  /// The first false pre-condition of the rules named `name` whose arguments include `arguments`.
  public func disabledReason(named name: String, arguments: JSONObject, in state: State) -> String? {
    for rule in rules where rule.name == name && arguments.allSatisfy({ rule.arguments[$0.key] == $0.value }) {
      if let failed = rule.failedRequirement(in: state) { return "\(name) requires \(failed)" }
    }
    return nil
  }
  @inlinable public func actionKind(of action: Action) -> Int { kindOfRule[action.rule] }
}
