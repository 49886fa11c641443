/// A ``DistributedSystem`` compiled down to a ``Specification``: what the model checker, trace
/// properties, the validator and the test helpers see.
///
/// Its states are ``SystemState``s, its actions ``SystemAction``s with stable trace names, and a
/// step's response is the list of events the handler emitted.
///
/// ```swift
/// let result = Ping().spec.check()
/// let monitored = Ping().spec.monitored { AtMostOnceEffect(...) }
/// ```
public struct SystemSpec<System: DistributedSystem>: Specification {
  public typealias State = SystemState<System>
  public typealias Action = SystemAction<System>
  public typealias Response = [System.Event]

  /// The system.
  public let system: System

  /// Compiles `system`.
  public init(_ system: System) { self.system = system }

  public var name: String { system.name }
  public var invariants: [Invariant<State>] { system.invariants }
  public func isTerminal(_ state: State) -> Bool { system.isTerminal(state) }
  public func isWithinConstraint(_ state: State) -> Bool { system.isWithinConstraint(state) }
}

extension DistributedSystem {
  /// The system as a ``Specification``, for the model checker, properties and validator.
  public var spec: SystemSpec<Self> { SystemSpec(self) }
}
