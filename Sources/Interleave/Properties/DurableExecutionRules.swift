/// Why an execution was interrupted: a crash and a sleep are the same interruption.
public enum InterruptionCause: Hashable, Sendable {
  /// The process crashed (involuntary).
  case crash
  /// The execution sleeps until the given time (voluntary).
  case sleep(until: Double)
  /// The execution suspended, awaiting something (voluntary).
  case suspend
}

/// What a step of a durable execution did, as the skip-when-done rules see it.
public enum DurableEvent<Execution: Hashable & Sendable, StepID: Hashable & Sendable>: Hashable, Sendable {
  /// Checkpoint before: step `step` of `execution` starts (an invocation opens).
  case stepBegin(execution: Execution, step: StepID)
  /// Checkpoint after: the step returned `result` (a fingerprint of its value).
  case stepEnd(execution: Execution, step: StepID, result: UInt64)
  /// On restart, the step was skipped and its recorded `result` reused.
  case stepReplay(execution: Execution, step: StepID, result: UInt64)
  /// An externally visible side effect attributed to the step.
  case effect(execution: Execution, step: StepID)
  /// The execution was interrupted.
  case interrupt(execution: Execution, cause: InterruptionCause)
  /// The execution resumed at `time` (the step's clock when nil).
  case resume(execution: Execution, time: Double?)
}

/// The rules of durable execution by checkpoints: skip-when-done and its companions (DE-1 to
/// DE-4, DE-6 and DE-8 in docs/properties.md).
///
/// Sources: Dominik Tornow (Bluesky, seed): "skip-when-done: Checkpoint before the function
/// starts; Checkpoint after the function returns; On restart, skip what's done", and "A crash? An
/// interruption. A sleep? An interruption."; Resonate's Durable Function Specification
/// (docs.resonatehq.io/spec/programming-model/durable-function-specification); Gunnar Morling,
/// "Building a Durable Execution Engine With SQLite" (2025) for the step log.
///
/// - DE-1 checkpoint before: every effect of a step lies inside an open invocation of it
///   (after its begin, before its end or an interruption).
/// - DE-2 single completion: a step ends at most once; every replay returns the recorded result.
/// - DE-3 skip when done: after a step ended, it never begins again and has no effect.
/// - DE-4 re-invocation only after interruption: two begins of a step are separated by an
///   interruption of its execution.
/// - DE-6 effect bound: a step's effects never outnumber its invocations.
/// - DE-8 sleep: after `interrupt(sleep(until: T))` the execution resumes only at `t >= T`, and
///   no step of it begins before it resumes.
public struct DurableExecutionRules<State, Action, Response, Execution: Hashable & Sendable & Fingerprintable, StepID: Hashable & Sendable & Fingerprintable>: TraceProperty {
  /// The rules, to check a subset.
  public enum Rule: String, Hashable, Sendable, CaseIterable {
    case checkpointBefore = "DE-1"
    case singleCompletion = "DE-2"
    case skipWhenDone = "DE-3"
    case reinvocationAfterInterruption = "DE-4"
    case effectBound = "DE-6"
    case sleep = "DE-8"

    /// The rule's bit in ``DurableExecutionRules/checked``.
    @inlinable
    var bit: UInt8 {
      switch self {
      case .checkpointBefore: 1
      case .singleCompletion: 2
      case .skipWhenDone: 4
      case .reinvocationAfterInterruption: 8
      case .effectBound: 16
      case .sleep: 32
      }
    }
  }

  // The monitor's types write out `==`, `hash(into:)` and their fingerprint, inlinable, and so
  // do its methods, so that they specialize for the spec's types: synthesized or not
  // inlinable, they ran generic, asking the runtime for type metadata on every step (a third of
  // a DurableExecution check).

  /// A step of an execution.
  public struct StepKey: Hashable, Sendable, Fingerprintable {
    public var execution: Execution
    public var step: StepID

    @inlinable
    init(execution: Execution, step: StepID) {
      self.execution = execution
      self.step = step
    }

    @inlinable
    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.execution == rhs.execution && lhs.step == rhs.step }

    @inlinable
    public func hash(into hasher: inout Hasher) {
      hasher.combine(execution)
      hasher.combine(step)
    }

    @inlinable
    public func fingerprint(into f: inout Fingerprinter) {
      f.combine(execution)
      f.combine(step)
    }
  }

  /// What the monitor remembers of one step.
  public struct StepMemory: Hashable, Sendable, Fingerprintable {
    /// Invocations minus effects (DE-6), saturating at 255.
    public var unusedInvocations: UInt8 = 0
    /// Whether an invocation is open.
    public var open = false
    /// Whether the step has begun at least once.
    public var begun = false
    /// Whether an interruption of the execution happened since the last begin.
    public var interruptedSinceBegin = false
    /// The recorded result, once the step ended.
    public var result: UInt64?

    @inlinable
    init() {}

    /// The four small fields in one word.
    @inlinable
    var flags: UInt64 {
      UInt64(unusedInvocations) | (open ? 256 : 0) | (begun ? 512 : 0) | (interruptedSinceBegin ? 1024 : 0)
    }

    @inlinable
    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.flags == rhs.flags && lhs.result == rhs.result }

    @inlinable
    public func hash(into hasher: inout Hasher) {
      hasher.combine(flags)
      hasher.combine(result)
    }

    @inlinable
    public func fingerprint(into f: inout Fingerprinter) {
      f.combine(flags)
      f.combine(result)
    }
  }

  /// The monitor's memory: per step, and per sleeping execution the time it sleeps until.
  public struct Memory: Hashable, Sendable, Fingerprintable {
    public var steps: [StepKey: StepMemory] = [:]
    public var sleepingUntil: [Execution: Double] = [:]

    @inlinable
    init() {}

    @inlinable
    public static func == (lhs: Self, rhs: Self) -> Bool {
      lhs.steps == rhs.steps && lhs.sleepingUntil == rhs.sleepingUntil
    }

    @inlinable
    public func hash(into hasher: inout Hasher) {
      hasher.combine(steps)
      hasher.combine(sleepingUntil)
    }

    @inlinable
    public func fingerprint(into f: inout Fingerprinter) {
      f.combine(steps)
      f.combine(sleepingUntil)
    }
  }

  public let name: String
  @usableFromInline let events: @Sendable (TraceStep<State, Action, Response>) -> [DurableEvent<Execution, StepID>]
  /// The rules checked, one ``Rule/bit`` each.
  @usableFromInline let checked: UInt8
  @usableFromInline var clock: @Sendable (TraceStep<State, Action, Response>) -> Double? = { $0.time }

  /// Creates the property.
  /// - Parameters:
  ///   - name: the name violations report.
  ///   - rules: the rules to check (all by default).
  ///   - events: what a step did to the executions (usually zero or one event).
  public init(
    _ name: String = "skip-when-done",
    rules: Set<Rule> = Set(Rule.allCases),
    events: @escaping @Sendable (TraceStep<State, Action, Response>) -> [DurableEvent<Execution, StepID>]
  ) {
    self.name = name
    self.checked = rules.reduce(0) { $0 | $1.bit }
    self.events = events
  }

  /// The clock for DE-8; by default the step's own `time` (from a log).
  public func clock(_ clock: @escaping @Sendable (TraceStep<State, Action, Response>) -> Double?) -> Self {
    var copy = self
    copy.clock = clock
    return copy
  }

  @inlinable
  public func initialMemory(for initialState: State) -> Memory { Memory() }

  @inlinable
  public func observe(_ step: TraceStep<State, Action, Response>, memory: inout Memory) -> PropertyViolation? {
    for event in events(step) {
      if let failure = apply(event, at: clock(step), to: &memory) { return violation(failure) }
    }
    return nil
  }

  @usableFromInline
  func text<T>(_ value: T) -> String { JSONRendering.render(value).jsonText }

  /// Whether `rule` is checked.
  @inlinable
  func checks(_ rule: Rule) -> Bool { checked & rule.bit != 0 }

  @inlinable
  func apply(_ event: DurableEvent<Execution, StepID>, at time: Double?, to memory: inout Memory) -> String? {
    switch event {
    case .stepBegin(let execution, let step):
      let key = StepKey(execution: execution, step: step)
      var state = memory.steps[key] ?? StepMemory()
      if checks(.sleep), let until = memory.sleepingUntil[execution] {
        return "DE-8: step \(text(step)) of \(text(execution)) began while the execution sleeps until \(until)"
      }
      if checks(.skipWhenDone), state.result != nil {
        return "DE-3: step \(text(step)) of \(text(execution)) began again after it completed (skip what is done)"
      }
      if checks(.reinvocationAfterInterruption), state.begun, !state.interruptedSinceBegin {
        return "DE-4: step \(text(step)) of \(text(execution)) was invoked twice without an interruption in between"
      }
      state.begun = true
      state.open = true
      state.interruptedSinceBegin = false
      if state.unusedInvocations < 255 { state.unusedInvocations += 1 }
      memory.steps[key] = state
    case .stepEnd(let execution, let step, let result):
      let key = StepKey(execution: execution, step: step)
      var state = memory.steps[key] ?? StepMemory()
      if checks(.singleCompletion), state.result != nil {
        return "DE-2: step \(text(step)) of \(text(execution)) completed a second time"
      }
      state.result = result
      state.open = false
      memory.steps[key] = state
    case .stepReplay(let execution, let step, let result):
      let state = memory.steps[StepKey(execution: execution, step: step)]
      if checks(.singleCompletion), let recorded = state?.result, recorded != result {
        return "DE-2: the replay of step \(text(step)) of \(text(execution)) returned another value than the recorded one"
      }
    case .effect(let execution, let step):
      let key = StepKey(execution: execution, step: step)
      var state = memory.steps[key] ?? StepMemory()
      if checks(.skipWhenDone), state.result != nil {
        return "DE-3: step \(text(step)) of \(text(execution)) had an effect after it completed"
      }
      if checks(.checkpointBefore), !state.open {
        return "DE-1: step \(text(step)) of \(text(execution)) had an effect outside an invocation (no checkpoint before it)"
      }
      if checks(.effectBound) {
        if state.unusedInvocations == 0 {
          return "DE-6: step \(text(step)) of \(text(execution)) had more effects than invocations"
        }
        state.unusedInvocations -= 1
      }
      memory.steps[key] = state
    case .interrupt(let execution, let cause):
      memory.steps.updateValues { key, state in
        if key.execution == execution {
          state.open = false
          state.interruptedSinceBegin = true
        }
      }
      if case .sleep(let until) = cause { memory.sleepingUntil[execution] = until }
    case .resume(let execution, let resumedAt):
      if let until = memory.sleepingUntil.removeValue(forKey: execution), checks(.sleep),
        let now = resumedAt ?? time, now < until
      {
        return "DE-8: \(text(execution)) resumed at \(now), before its sleep ends at \(until)"
      }
    }
    return nil
  }
}
