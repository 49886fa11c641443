/// A trace property written as a closure over a memory of your choice: the quick way to state a
/// simple past-time property.
///
/// ```swift
/// // "A withdrawal never happens before the first deposit."
/// let depositFirst = ClosureProperty("deposit before withdrawal", for: Bank.self, memory: false) { step, deposited in
///   if case .deposit = step.action { deposited = true }
///   if case .withdraw = step.action, !deposited { return "withdrawal before any deposit" }
///   return nil
/// }
/// ```
public struct ClosureProperty<State, Action, Response, Memory: Hashable & Sendable>: TraceProperty {
  public let name: String
  @usableFromInline let initial: Memory
  @usableFromInline let step: @Sendable (TraceStep<State, Action, Response>, inout Memory) -> String?
  @usableFromInline let end: @Sendable (Memory) -> String?

  /// Creates a property.
  /// - Parameters:
  ///   - name: the property's name.
  ///   - memory: the memory before the first step.
  ///   - atEnd: the obligation left open at the end of a finite trace, as a message, or nil.
  ///   - step: observes a step; returns a message if the step breaks the property.
  public init(
    _ name: String, memory: Memory,
    atEnd: @escaping @Sendable (Memory) -> String? = { _ in nil },
    step: @escaping @Sendable (TraceStep<State, Action, Response>, inout Memory) -> String?
  ) {
    self.name = name
    self.initial = memory
    self.step = step
    self.end = atEnd
  }

  @inlinable
  public func initialMemory(for initialState: State) -> Memory { initial }

  @inlinable
  public func observe(_ step: TraceStep<State, Action, Response>, memory: inout Memory) -> PropertyViolation? {
    self.step(step, &memory).map(violation)
  }

  @inlinable
  public func finish(_ memory: Memory) -> PropertyViolation? { end(memory).map(violation) }
}

extension ClosureProperty {
  /// Creates a property for the steps of spec type `S`.
  public init<S: Specification>(
    _ name: String, for spec: S.Type, memory: Memory,
    atEnd: @escaping @Sendable (Memory) -> String? = { _ in nil },
    step: @escaping @Sendable (TraceStep<State, Action, Response>, inout Memory) -> String?
  ) where S.State == State, S.Action == Action, S.Response == Response {
    self.init(name, memory: memory, atEnd: atEnd, step: step)
  }
}
