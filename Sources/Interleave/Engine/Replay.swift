extension Specification {
  /// Runs `actionPositions` from `initialStates[initialPosition]`, where each number is the
  /// position of the action among those enabled at that point (the order of
  /// ``forEachEnabledAction(in:_:)``). Returns nil if a position is out of range, which means the
  /// spec enumerates actions nondeterministically.
  @inlinable
  public func replay(initialPosition: Int, actionPositions: [Int]) -> Counterexample<Self>? {
    let initials = initialStates
    guard initials.indices.contains(initialPosition) else { return nil }
    var trace = Counterexample<Self>(initialState: initials[initialPosition], steps: [])
    var state = trace.initialState
    for position in actionPositions {
      var current = 0
      var chosen: Action?
      forEachEnabledAction(in: state) { action in
        if current == position { chosen = action }
        current += 1
      }
      guard let action = chosen else { return nil }
      let response = apply(action, to: &state)
      trace.steps.append(.init(action: action, response: response, state: state))
    }
    return trace
  }

  /// Runs `actions` from `initial`, checking that each is enabled; returns nil at the first
  /// action that is not enabled.
  @inlinable
  public func run(_ actions: [Action], from initial: State) -> Counterexample<Self>? {
    var trace = Counterexample<Self>(initialState: initial, steps: [])
    var state = initial
    for action in actions {
      var enabled = false
      forEachEnabledAction(in: state) { if $0 == action { enabled = true } }
      guard enabled else { return nil }
      let response = apply(action, to: &state)
      trace.steps.append(.init(action: action, response: response, state: state))
    }
    return trace
  }

  /// The actions enabled in `state`, in enumeration order.
  @inlinable
  public func enabledActions(in state: State) -> [Action] {
    var actions: [Action] = []
    forEachEnabledAction(in: state) { actions.append($0) }
    return actions
  }
}
