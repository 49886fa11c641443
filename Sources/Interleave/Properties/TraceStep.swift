/// One step of a trace: the state before, the action, its response and the state after.
///
/// The model checker produces steps from a spec; the validator produces them from a log; tests
/// can write them by hand. Trace properties observe nothing else.
public struct TraceStep<State, Action, Response> {
  /// The state before the step.
  public var before: State
  /// The action taken.
  public var action: Action
  /// What the action answered.
  public var response: Response
  /// The state after the step.
  public var after: State
  /// The step's clock reading, when the source has one (a log's `time` field); nil in the
  /// model checker, where time windows read a clock from the state instead.
  public var time: Double?

  /// Creates a step.
  @inlinable
  public init(before: State, action: Action, response: Response, after: State, time: Double? = nil) {
    self.before = before
    self.action = action
    self.response = response
    self.after = after
    self.time = time
  }
}

extension TraceStep where Response == Void {
  /// Creates a step of an action that answers nothing.
  @inlinable
  public init(before: State, action: Action, after: State, time: Double? = nil) {
    self.init(before: before, action: action, response: (), after: after, time: time)
  }
}

extension Counterexample {
  /// The trace as steps, for trace properties.
  public var traceSteps: [TraceStep<S.State, S.Action, S.Response>] {
    var before = initialState
    return steps.map { step in
      defer { before = step.state }
      return TraceStep(before: before, action: step.action, response: step.response, after: step.state)
    }
  }
}
