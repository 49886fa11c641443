/// The classic specification patterns (Dwyer, Avrunin and Corbett, "Patterns in Property
/// Specifications for Finite-State Verification", ICSE 1999), with global scope, over finite
/// traces: each step predicate reads a whole step.

/// Absence: no step satisfies `forbidden`.
public struct Absence<State, Action, Response>: TraceProperty {
  public let name: String
  @usableFromInline let forbidden: @Sendable (TraceStep<State, Action, Response>) -> Bool

  /// Creates the property.
  public init(_ name: String, forbidden: @escaping @Sendable (TraceStep<State, Action, Response>) -> Bool) {
    self.name = name
    self.forbidden = forbidden
  }

  @inlinable
  public func initialMemory(for initialState: State) -> Bool { false }

  @inlinable
  public func observe(_ step: TraceStep<State, Action, Response>, memory: inout Bool) -> PropertyViolation? {
    forbidden(step) ? violation("a forbidden step happened") : nil
  }
}

/// Existence: some step satisfies `required`; an obligation at the end of a finite trace.
public struct Existence<State, Action, Response>: TraceProperty {
  public let name: String
  @usableFromInline let required: @Sendable (TraceStep<State, Action, Response>) -> Bool

  /// Creates the property.
  public init(_ name: String, required: @escaping @Sendable (TraceStep<State, Action, Response>) -> Bool) {
    self.name = name
    self.required = required
  }

  @inlinable
  public func initialMemory(for initialState: State) -> Bool { false }

  @inlinable
  public func observe(_ step: TraceStep<State, Action, Response>, memory: inout Bool) -> PropertyViolation? {
    if required(step) { memory = true }
    return nil
  }

  @inlinable
  public func finish(_ memory: Bool) -> PropertyViolation? {
    memory ? nil : violation("the trace ended before the required step happened")
  }
}

/// Precedence: a step satisfying `effect` happens only after some step satisfying `cause`.
public struct Precedence<State, Action, Response>: TraceProperty {
  public let name: String
  @usableFromInline let cause: @Sendable (TraceStep<State, Action, Response>) -> Bool
  @usableFromInline let effect: @Sendable (TraceStep<State, Action, Response>) -> Bool

  /// Creates the property: `effect` steps require an earlier `cause` step.
  public init(
    _ name: String,
    cause: @escaping @Sendable (TraceStep<State, Action, Response>) -> Bool,
    effect: @escaping @Sendable (TraceStep<State, Action, Response>) -> Bool
  ) {
    self.name = name
    self.cause = cause
    self.effect = effect
  }

  @inlinable
  public func initialMemory(for initialState: State) -> Bool { false }

  @inlinable
  public func observe(_ step: TraceStep<State, Action, Response>, memory: inout Bool) -> PropertyViolation? {
    if effect(step) && !memory && !cause(step) { return violation("the step happened before any step it must follow") }
    if cause(step) { memory = true }
    return nil
  }
}

/// Bounded response: after a step satisfying `trigger`, a step satisfying `response` happens
/// within the next `steps` steps. A trigger still unanswered at the end of a finite trace is an
/// open obligation.
public struct BoundedResponse<State, Action, Response>: TraceProperty {
  public let name: String
  @usableFromInline let trigger: @Sendable (TraceStep<State, Action, Response>) -> Bool
  @usableFromInline let answer: @Sendable (TraceStep<State, Action, Response>) -> Bool
  @usableFromInline let limit: Int

  /// Creates the property: every `trigger` is followed by a `response` step at most `steps` later.
  public init(
    _ name: String, within steps: Int,
    trigger: @escaping @Sendable (TraceStep<State, Action, Response>) -> Bool,
    response: @escaping @Sendable (TraceStep<State, Action, Response>) -> Bool
  ) {
    precondition(steps >= 1, "the bound must be at least one step")
    self.name = name
    self.trigger = trigger
    self.answer = response
    self.limit = steps
  }

  /// Steps since the oldest unanswered trigger, or nil when none is pending.
  @inlinable
  public func initialMemory(for initialState: State) -> Int? { nil }

  @inlinable
  public func observe(_ step: TraceStep<State, Action, Response>, memory: inout Int?) -> PropertyViolation? {
    if let pending = memory {
      if answer(step) {
        memory = nil
      } else if pending + 1 >= limit {
        return violation("no response within \(limit) step\(limit == 1 ? "" : "s") of the trigger")
      } else {
        memory = pending + 1
      }
    }
    if memory == nil && trigger(step) { memory = 0 }
    return nil
  }

  @inlinable
  public func finish(_ memory: Int?) -> PropertyViolation? {
    memory == nil ? nil : violation("the trace ended with a trigger still waiting for its response")
  }
}
