/// A property of whole traces, checked by a monitor that observes each step.
///
/// A trace property is a value: its configuration (which actions are requests, what is
/// observable, a window) and a pure `observe` function over a small `Memory`. The same value
/// checks every interleaving in the model checker, where its memory becomes part of the explored
/// state (product construction, see ``MonitoredSpec``), and every recorded log in the validator,
/// and it runs on a plain array of steps with ``check(_:)``.
///
/// Safety violations are reported by ``observe(_:memory:)`` at the step that breaks the property;
/// obligations still open at the end of a finite trace by ``finish(_:)``.
public protocol TraceProperty<State, Action, Response>: Sendable {
  /// The spec's state.
  associatedtype State
  /// The spec's action.
  associatedtype Action
  /// The spec's response.
  associatedtype Response
  /// What the monitor remembers between steps. Keep it small and bounded: in the model checker
  /// it multiplies the state space.
  associatedtype Memory: Hashable & Sendable

  /// The property's name, as violations report it.
  var name: String { get }

  /// The memory before the first step, given the trace's initial state.
  func initialMemory(for initialState: State) -> Memory

  /// Observes one step; returns a violation if this step breaks the property.
  func observe(_ step: TraceStep<State, Action, Response>, memory: inout Memory) -> PropertyViolation?

  /// At the end of a finite trace: the obligation still open, if any.
  func finish(_ memory: Memory) -> PropertyViolation?

  /// Feeds the memory into a fingerprint (the model checker stores it with the state).
  func fingerprint(_ memory: Memory, into fingerprinter: inout Fingerprinter)
}

/// A trace property that failed: which one, and why.
public struct PropertyViolation: Hashable, Sendable, CustomStringConvertible {
  /// The property's name.
  public var property: String
  /// What went wrong, in words.
  public var message: String

  /// Creates a violation report.
  public init(property: String, message: String) {
    self.property = property
    self.message = message
  }

  public var description: String { "\(property): \(message)" }
}

/// Where a trace property failed on a finite trace.
public enum PropertyVerdict: Hashable, Sendable {
  /// No step broke it and no obligation is open.
  case holds
  /// Step `step` (0-based) broke it.
  case violated(step: Int, PropertyViolation)
  /// The trace ended with an obligation open.
  case unmetObligation(PropertyViolation)

  /// The violation, if any.
  public var violation: PropertyViolation? {
    switch self {
    case .holds: nil
    case .violated(_, let violation), .unmetObligation(let violation): violation
    }
  }
}

extension TraceProperty {
  @inlinable
  public func finish(_ memory: Memory) -> PropertyViolation? { nil }

  @inlinable
  public func fingerprint(_ memory: Memory, into fingerprinter: inout Fingerprinter) {
    ReflectiveFingerprint.combine(component: memory, into: &fingerprinter)
  }

  /// A violation of this property with `message`.
  @inlinable
  public func violation(_ message: String) -> PropertyViolation {
    PropertyViolation(property: name, message: message)
  }

  /// Runs the monitor over a finite trace of steps, without the model checker.
  ///
  /// - Parameters:
  ///   - steps: the steps in order.
  ///   - complete: whether the trace is known to be whole; open obligations count only then.
  public func check(_ steps: [TraceStep<State, Action, Response>], complete: Bool = true) -> PropertyVerdict {
    guard let first = steps.first else { return .holds }
    var memory = initialMemory(for: first.before)
    for (index, step) in steps.enumerated() {
      if let violation = observe(step, memory: &memory) { return .violated(step: index, violation) }
    }
    if complete, let open = finish(memory) { return .unmetObligation(open) }
    return .holds
  }
}

extension TraceProperty where Memory: Fingerprintable {
  @inlinable
  public func fingerprint(_ memory: Memory, into fingerprinter: inout Fingerprinter) {
    memory.fingerprint(into: &fingerprinter)
  }
}
