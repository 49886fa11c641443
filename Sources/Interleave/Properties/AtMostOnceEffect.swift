/// At most one effect per key: the effect-count form of idempotence that needs no state, for
/// logs that record external effects (ledger entries, charges, emails) but not the system state.
///
/// Definition (docs/properties.md, "effect-count formulation"): for every key k,
/// `|{steps that are effects with key k}| <= 1`. Source: the seed notes' derivation from Def I-1
/// (Tornow); it is what a validator can check on production logs where states are absent.
public struct AtMostOnceEffect<State, Action, Response, Key: Hashable & Sendable & Fingerprintable>: TraceProperty {
  public let name: String
  @usableFromInline let effect: @Sendable (TraceStep<State, Action, Response>) -> Key?

  /// Creates the property.
  /// - Parameters:
  ///   - name: the name violations report.
  ///   - effect: the key of the effect a step performs, or nil if the step performs none.
  public init(_ name: String = "at most one effect per key", effect: @escaping @Sendable (TraceStep<State, Action, Response>) -> Key?) {
    self.name = name
    self.effect = effect
  }

  @inlinable
  public func initialMemory(for initialState: State) -> Set<Key> { [] }

  @inlinable
  public func observe(_ step: TraceStep<State, Action, Response>, memory: inout Set<Key>) -> PropertyViolation? {
    guard let key = effect(step) else { return nil }
    if memory.insert(key).inserted { return nil }
    return secondEffect(for: key)
  }

  /// The violation of a second effect for `key`.
  @usableFromInline
  func secondEffect(for key: Key) -> PropertyViolation {
    violation("a second effect for key \(JSONRendering.render(key).jsonText)")
  }
}
