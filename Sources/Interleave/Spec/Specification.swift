/// A system described as a state machine: the one interface the model checker sees.
///
/// Conform a type to write a spec on the fast path: an enum of actions and a `switch`.
/// The readable path, ``Spec``, conforms to this protocol too, so both run through the same
/// engine.
///
/// ```swift
/// struct Counter: Specification {
///   enum Action: Hashable, Sendable { case increment, reset }
///   let name = "Counter"
///   var initialStates: [Int] { [0] }
///   func forEachEnabledAction(in state: Int, _ body: (Action) -> Void) {
///     if state < 3 { body(.increment) }          // requires: state < 3
///     body(.reset)
///   }
///   func apply(_ action: Action, to state: inout Int) {
///     switch action {
///     case .increment: state += 1
///     case .reset: state = 0
///     }
///   }
///   var invariants: [Invariant<Int>] { [Invariant("bounded") { $0 <= 3 }] }
/// }
/// ```
///
/// Only the first four requirements have no default. The others refine the spec: invariants,
/// post-conditions, a state constraint that bounds the search, terminal states that are not
/// deadlocks, and how states and actions render and fingerprint.
public protocol Specification: Sendable {
  /// The state of the system. Equal states must be interchangeable.
  associatedtype State: Hashable & Sendable
  /// A step the system can take, with its arguments.
  associatedtype Action: Hashable & Sendable
  /// What a step answers to its caller (`Void` when actions answer nothing).
  associatedtype Response = Void

  /// The spec's name, as the CLI and reports show it.
  var name: String { get }

  /// The states the system can start in.
  var initialStates: [State] { get }

  /// Calls `body` with every action enabled in `state`: the pre-conditions (`requires`) are the
  /// guards that decide which actions are passed. The order must be deterministic.
  func forEachEnabledAction(in state: State, _ body: (Action) -> Void)

  /// Applies an enabled action's effect to `state` and returns the action's response.
  func apply(_ action: Action, to state: inout State) -> Response

  /// A copy of `state` that the model checker may apply the enabled actions of `state` to, one
  /// after the other (``apply(_:toSuccessor:of:)``), putting it back after each
  /// (``restore(_:after:from:)``); nil to apply each action to a copy of `state` of its own.
  /// Nil by default.
  ///
  /// These and ``refillSuccessorBuffer(_:from:)`` are for states with storage that every
  /// successor would copy: an array of processes, of which an action changes one. Such a spec
  /// returns a copy whose storage is its own, writes into it in place, and puts back only what
  /// the action changed. The breadth-first search uses them for states that are not plain data.
  func successorBuffer(of state: State) -> State?

  /// Makes `buffer`, the successor buffer of another state, a successor buffer of `state`,
  /// reusing its storage: a search that expands one state after another keeps one buffer.
  /// Assigns a new one (``successorBuffer(of:)``) by default. Returns false, leaving `buffer` as
  /// it was, where it cannot (by default, where `state` has no buffer); the search then asks
  /// ``successorBuffer(of:)``.
  func refillSuccessorBuffer(_ buffer: inout State, from state: State) -> Bool

  /// Applies an action enabled in `parent` to `successor`, which is equal to `parent` and came
  /// from ``successorBuffer(of:)`` (and ``restore(_:after:from:)`` after an earlier action), and
  /// returns the action's response. ``apply(_:to:)`` by default.
  func apply(_ action: Action, toSuccessor successor: inout State, of parent: State) -> Response

  /// Makes `successor` equal to `parent` again, after ``apply(_:toSuccessor:of:)`` applied
  /// `action` to it. Assigns `parent` by default.
  func restore(_ successor: inout State, after action: Action, from parent: State)

  /// Named predicates that must hold in every reachable state.
  var invariants: [Invariant<State>] { get }

  /// Checks the post-conditions (`ensures`) of one step; returns the first that fails, or nil.
  func brokenPostcondition(
    from old: State, by action: Action, response: Response, to new: State
  ) -> BrokenPostcondition?

  /// A trace property that failed on the way to `state`, when the state carries monitors
  /// (see ``MonitoredSpec``); nil by default.
  func propertyViolation(in state: State) -> PropertyViolation?

  /// An obligation still open in `state`, checked where a trace ends: in states without
  /// successors. Nil by default.
  func unmetObligation(in state: State) -> PropertyViolation?

  /// The state constraint (TLC's `CONSTRAINT`): a successor outside it is still checked against
  /// the invariants, but it is neither stored nor expanded. It bounds the search; it is no verdict.
  func isWithinConstraint(_ state: State) -> Bool

  /// Whether `state` is a declared end state, so that having no successor is not a deadlock.
  func isTerminal(_ state: State) -> Bool

  /// The deterministic 64-bit fingerprint of a state.
  func fingerprint(of state: State) -> UInt64

  /// The representative of `state`'s symmetry class, for symmetry reduction (`--symmetry`): two
  /// states that differ only by a permutation of interchangeable processes must have the same
  /// canonical form, and the invariants must not tell them apart. The state itself by default.
  func canonicalForm(of state: State) -> State

  /// What an exact (`--exact`) visited set stores for a state: the state itself, or under
  /// symmetry reduction its canonical form. The state itself by default.
  func storedForm(of state: State) -> State

  /// Applies an action at a known time (a log's `time`), for specs whose trace properties use
  /// time windows; the plain ``apply(_:to:)`` by default.
  func apply(_ action: Action, to state: inout State, at time: Double?) -> Response

  /// The state as JSON, for reports and traces.
  func render(_ state: State) -> JSONValue

  /// The action's trace name and JSON arguments, for reports and logs.
  func describe(_ action: Action) -> ActionDescription

  /// The response as JSON, for reports and traces.
  func render(response: Response) -> JSONValue

  /// Whether an action is internal: real logs do not record it, so the validator may fire such
  /// actions, up to a bound, between two logged lines. False by default.
  func isHidden(_ action: Action) -> Bool

  /// The actions a logged event names, built from the logged arguments, for actions whose
  /// arguments come from an unbounded domain (an amount, a key) that `forEachEnabledAction` does
  /// not enumerate during validation. Return only actions enabled in `state`. Nil by default:
  /// the validator matches the enabled actions by trace name and arguments.
  func actions(named name: String, arguments: JSONObject, in state: State) -> [Action]?

  /// Whether a logged event may leave `state` unchanged when no matching action is enabled (a
  /// stutter: the system logged a step that had no effect). False by default.
  func allowsStutter(_ event: ActionDescription, in state: State) -> Bool

  /// Why no action named `name` with these arguments is enabled in `state`: the name of the
  /// pre-condition that is false, for diagnostics. Nil by default.
  func disabledReason(named name: String, arguments: JSONObject, in state: State) -> String?

  /// The names of the spec's kinds of action, for coverage, or `[]` to group by trace name.
  var actionKinds: [String] { get }

  /// The index in ``actionKinds`` of an action's kind; used only when `actionKinds` is not empty.
  func actionKind(of action: Action) -> Int

  /// Where ``actionKinds`` is empty, and coverage groups actions by trace name: a small number
  /// (0 to 63) that all actions of one trace name share and no action of another name has, for
  /// the actions whose name the spec knows cheaply; nil for the others, which coverage looks up
  /// by value (hashing the whole action). Nil by default.
  func coverageKey(of action: Action) -> Int?

  /// A copy of the spec for one thread of a search. The default is the spec itself.
  ///
  /// A spec that keeps closures (a builder ``Spec``'s rules) returns a copy whose closures are
  /// its own: calling a closure retains and releases its context, and with one set of closures
  /// for all threads those reference counts are a cache line that every thread writes.
  func copyForWorker() -> Self
}

/// A post-condition that a step broke: the rule (the action's trace name) and the condition.
public struct BrokenPostcondition: Hashable, Sendable, CustomStringConvertible {
  /// The trace name of the action whose step broke the condition.
  public var rule: String
  /// The name of the condition.
  public var condition: String

  /// Creates a report of a broken post-condition.
  public init(rule: String, condition: String) {
    self.rule = rule
    self.condition = condition
  }

  public var description: String { "\(rule): \(condition)" }
}

/// An action's name in traces and its JSON arguments.
public struct ActionDescription: Hashable, Sendable, CustomStringConvertible {
  /// The trace name, as logs name the action.
  public var name: String
  /// The arguments by name.
  public var arguments: JSONObject

  /// Creates a description.
  public init(name: String, arguments: JSONObject = JSONObject()) {
    self.name = name
    self.arguments = arguments
  }

  /// `name(arg: value, ...)`, or `name` without arguments.
  public var description: String {
    if arguments.isEmpty { return name }
    let list = arguments.members.map { "\($0.key): \($0.value.jsonText)" }.joined(separator: ", ")
    return "\(name)(\(list))"
  }

  /// Describes an action by reflection: an enum case's name and its payload.
  ///
  /// `case prepare(rm: Int)` describes as `prepare` with arguments `{"rm": 1}`; an unlabeled
  /// payload `case prepare(Int)` gets the argument name `_0` (label payloads for readable logs).
  public static func reflecting(_ action: Any) -> ActionDescription {
    let mirror = Mirror(reflecting: action)
    guard mirror.displayStyle == .enum, let payload = mirror.children.first else {
      return ActionDescription(name: String(describing: action))
    }
    let name = payload.label ?? String(describing: action)
    let payloadMirror = Mirror(reflecting: payload.value)
    if payloadMirror.displayStyle == .tuple {
      var arguments = JSONObject()
      for (index, child) in payloadMirror.children.enumerated() {
        let label = child.label.flatMap { $0.hasPrefix(".") ? nil : $0 } ?? "_\(index)"
        arguments[label] = JSONRendering.render(child.value)
      }
      return ActionDescription(name: name, arguments: arguments)
    }
    return ActionDescription(name: name, arguments: ["_0": JSONRendering.render(payload.value)])
  }
}

extension Specification {
  public var invariants: [Invariant<State>] { [] }

  @inlinable
  public func brokenPostcondition(
    from old: State, by action: Action, response: Response, to new: State
  ) -> BrokenPostcondition? { nil }

  @inlinable
  public func propertyViolation(in state: State) -> PropertyViolation? { nil }

  @inlinable
  public func unmetObligation(in state: State) -> PropertyViolation? { nil }

  @inlinable
  public func successorBuffer(of state: State) -> State? { nil }

  @inlinable
  public func refillSuccessorBuffer(_ buffer: inout State, from state: State) -> Bool {
    guard let fresh = successorBuffer(of: state) else { return false }
    buffer = fresh
    return true
  }

  @inlinable
  public func apply(_ action: Action, toSuccessor successor: inout State, of parent: State) -> Response {
    apply(action, to: &successor)
  }

  @inlinable
  public func restore(_ successor: inout State, after action: Action, from parent: State) { successor = parent }

  @inlinable
  public func isWithinConstraint(_ state: State) -> Bool { true }

  @inlinable
  public func isTerminal(_ state: State) -> Bool { false }

  /// Fingerprints by reflection, or through ``Fingerprintable`` when the state conforms.
  public func fingerprint(of state: State) -> UInt64 {
    ReflectiveFingerprint.fingerprint(of: state)
  }

  @inlinable
  public func render(_ state: State) -> JSONValue {
    // Specialized for the state type, this cast is decided at compile time.
    if let renderable = state as? any JSONRenderable { return renderable.jsonValue }
    return JSONRendering.render(state)
  }

  @inlinable
  public func canonicalForm(of state: State) -> State { state }

  @inlinable
  public func storedForm(of state: State) -> State { state }

  @inlinable
  public func apply(_ action: Action, to state: inout State, at time: Double?) -> Response { apply(action, to: &state) }

  public func describe(_ action: Action) -> ActionDescription { .reflecting(action) }

  @inlinable
  public func render(response: Response) -> JSONValue {
    if Response.self == Void.self { return .null }
    if let text = response as? String { return .string(text) }
    if let renderable = response as? any JSONRenderable { return renderable.jsonValue }
    return JSONRendering.render(response)
  }

  public var actionKinds: [String] { [] }

  @inlinable
  public func isHidden(_ action: Action) -> Bool { false }

  public func actions(named name: String, arguments: JSONObject, in state: State) -> [Action]? { nil }

  public func allowsStutter(_ event: ActionDescription, in state: State) -> Bool { false }

  public func disabledReason(named name: String, arguments: JSONObject, in state: State) -> String? { nil }

  @inlinable
  public func actionKind(of action: Action) -> Int { 0 }

  @inlinable
  public func coverageKey(of action: Action) -> Int? { nil }

  public func copyForWorker() -> Self { self }
}

extension Specification where State: Fingerprintable {
  /// Fingerprints through the state's ``Fingerprintable`` conformance: the fast path.
  @inlinable
  public func fingerprint(of state: State) -> UInt64 {
    Fingerprinter.fingerprint(of: state)
  }
}

extension Specification where Action: CaseIterable {
  /// One kind per case, for actions without payloads.
  public var actionKinds: [String] { Action.allCases.map { describe($0).name } }

  @inlinable
  public func actionKind(of action: Action) -> Int {
    Action.allCases.firstIndex(of: action).map { Action.allCases.distance(from: Action.allCases.startIndex, to: $0) } ?? 0
  }
}
