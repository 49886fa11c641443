/// One action of a readable spec: a name and arguments, named pre-conditions, an effect and
/// named post-conditions.
///
/// ```swift
/// Rule("RMPrepare", ["rm": rm]) {
///   $0.rmState[rm] = .prepared
///   $0.msgs.insert(.prepared(rm))
/// }
/// .requires("rm is working") { $0.rmState[rm] == .working }
/// .ensures("prepared is announced") { old, new in new.msgs.contains(.prepared(rm)) }
/// ```
public struct Rule<State>: Sendable {
  /// A named pre-condition.
  public struct Requirement: Sendable {
    /// The name diagnostics use.
    public let name: String
    /// The guard.
    public let holds: @Sendable (State) -> Bool
  }

  /// A named post-condition over the old state, the new state and the response.
  public struct Ensurance: Sendable {
    /// The name violations report.
    public let name: String
    /// The condition.
    public let holds: @Sendable (State, State, JSONValue) -> Bool
  }

  /// The action's trace name.
  public let name: String
  /// The action's arguments, as logs record them.
  public let arguments: JSONObject
  /// The pre-conditions: the rule is enabled when all hold.
  public private(set) var requirements: [Requirement]
  /// The effect; it returns the response (`.null` when the action answers nothing).
  public private(set) var effect: @Sendable (inout State) -> JSONValue
  /// The post-conditions.
  public private(set) var ensurances: [Ensurance] = []

  /// Creates a rule whose effect answers nothing.
  ///
  /// The unnamed guard `requires` is reported as `requires`; add named ones with
  /// ``requires(_:_:)``.
  public init(
    _ name: String, _ arguments: KeyValuePairs<String, any JSONRenderable> = [:],
    requires: (@Sendable (State) -> Bool)? = nil,
    effect: @escaping @Sendable (inout State) -> Void
  ) {
    self.name = name
    self.arguments = Rule.arguments(arguments)
    self.requirements = requires.map { [Requirement(name: "requires", holds: $0)] } ?? []
    self.effect = { state in
      effect(&state)
      return .null
    }
  }

  /// Creates a rule whose effect answers with a response, for example
  /// `Rule.answering("get", ["key": k]) { s in s.store[k].map(JSONValue.int) ?? .null }`.
  public static func answering(
    _ name: String, _ arguments: KeyValuePairs<String, any JSONRenderable> = [:],
    requires: (@Sendable (State) -> Bool)? = nil,
    _ respond: @escaping @Sendable (inout State) -> JSONValue
  ) -> Rule {
    Rule(name: name, arguments: Rule.arguments(arguments), requires: requires, effect: respond)
  }

  init(
    name: String, arguments: JSONObject, requires: (@Sendable (State) -> Bool)?,
    effect: @escaping @Sendable (inout State) -> JSONValue
  ) {
    self.name = name
    self.arguments = arguments
    self.requirements = requires.map { [Requirement(name: "requires", holds: $0)] } ?? []
    self.effect = effect
  }

  static func arguments(_ pairs: KeyValuePairs<String, any JSONRenderable>) -> JSONObject {
    JSONObject(pairs.map { (key: $0.key, value: $0.value.jsonValue) })
  }

  /// Adds a named pre-condition.
  public func requires(_ name: String, _ holds: @escaping @Sendable (State) -> Bool) -> Rule {
    var copy = self
    copy.requirements.append(Requirement(name: name, holds: holds))
    return copy
  }

  /// Adds a named post-condition over the old and the new state.
  public func ensures(_ name: String, _ holds: @escaping @Sendable (_ old: State, _ new: State) -> Bool) -> Rule {
    var copy = self
    copy.ensurances.append(Ensurance(name: name, holds: { old, new, _ in holds(old, new) }))
    return copy
  }

  /// Adds a named post-condition over the old state, the new state and the response.
  public func ensures(
    _ name: String,
    _ holds: @escaping @Sendable (_ old: State, _ new: State, _ response: JSONValue) -> Bool
  ) -> Rule {
    var copy = self
    copy.ensurances.append(Ensurance(name: name, holds: holds))
    return copy
  }

  /// The same rule with closures of its own (``Specification/copyForWorker()``): each closure is
  /// wrapped in a new one, whose context is this copy's alone.
  public func copyForWorker() -> Rule {
    var copy = self
    copy.requirements = requirements.map { requirement in
      let holds = requirement.holds
      return Requirement(name: requirement.name, holds: { holds($0) })
    }
    let effect = self.effect
    copy.effect = { effect(&$0) }
    copy.ensurances = ensurances.map { ensurance in
      let holds = ensurance.holds
      return Ensurance(name: ensurance.name, holds: { holds($0, $1, $2) })
    }
    return copy
  }

  /// Whether every pre-condition holds in `state`.
  @inlinable
  public func isEnabled(in state: State) -> Bool {
    for requirement in requirements where !requirement.holds(state) { return false }
    return true
  }

  /// The first pre-condition that fails in `state`, or nil.
  public func failedRequirement(in state: State) -> String? {
    requirements.first { !$0.holds(state) }?.name
  }
}

/// Collects the rules of a ``Spec``: plain statements, `for` loops, `if` and `switch`.
@resultBuilder
public enum RuleBuilder<State> {
  public static func buildExpression(_ rule: Rule<State>) -> [Rule<State>] { [rule] }
  public static func buildExpression(_ rules: [Rule<State>]) -> [Rule<State>] { rules }
  public static func buildBlock(_ parts: [Rule<State>]...) -> [Rule<State>] { parts.flatMap { $0 } }
  public static func buildArray(_ parts: [[Rule<State>]]) -> [Rule<State>] { parts.flatMap { $0 } }
  public static func buildOptional(_ part: [Rule<State>]?) -> [Rule<State>] { part ?? [] }
  public static func buildEither(first: [Rule<State>]) -> [Rule<State>] { first }
  public static func buildEither(second: [Rule<State>]) -> [Rule<State>] { second }
}

/// Collects the invariants of a ``Spec``.
@resultBuilder
public enum InvariantBuilder<State> {
  public static func buildExpression(_ invariant: Invariant<State>) -> [Invariant<State>] { [invariant] }
  public static func buildBlock(_ parts: [Invariant<State>]...) -> [Invariant<State>] { parts.flatMap { $0 } }
  public static func buildArray(_ parts: [[Invariant<State>]]) -> [Invariant<State>] { parts.flatMap { $0 } }
  public static func buildOptional(_ part: [Invariant<State>]?) -> [Invariant<State>] { part ?? [] }
  public static func buildEither(first: [Invariant<State>]) -> [Invariant<State>] { first }
  public static func buildEither(second: [Invariant<State>]) -> [Invariant<State>] { second }
}
