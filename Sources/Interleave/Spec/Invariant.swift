/// A named predicate that must hold in every reachable state.
public struct Invariant<State>: Sendable {
  /// The name reports use.
  public let name: String
  /// The predicate.
  public let holds: @Sendable (State) -> Bool

  /// Creates an invariant named `name`.
  public init(_ name: String, _ holds: @escaping @Sendable (State) -> Bool) {
    self.name = name
    self.holds = holds
  }

  /// The same invariant behind a closure context of its own (``Specification/copyForWorker()``).
  public func copyForWorker() -> Invariant {
    let holds = self.holds
    return Invariant(name) { holds($0) }
  }
}
