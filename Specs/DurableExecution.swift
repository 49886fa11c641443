import Interleave

/// A durable execution of one order by skip-when-done, on the execution model: a worker runs
/// `order(id) = { r1 = step(reserve); sleep(T); r2 = step(charge(r1)); step(ship(r2)) }` and
/// survives crashes anywhere (seed notes E3, section 4).
///
/// **Source.** Dominik Tornow (Bluesky, seed): "skip-when-done: Checkpoint before the function
/// starts; Checkpoint after the function returns; On restart, skip what's done" and "A crash?
/// An interruption. A sleep? An interruption."; Resonate's Durable Function Specification
/// (a sleep is a durable timer promise); Gunnar Morling's step log (a row per step, written as
/// intent before the call and completed with the return value after it).
///
/// **The model.** One process, `worker`:
/// - Its *durable* state is the step log: per step `pending` (checkpoint before) or
///   `done(result)` (checkpoint after), and the sleep's timer with its deadline. The log is the
///   worker's own disk (Morling's SQLite file), not a shared promise store: there is one worker
///   and no second one that could take the order over (no lease, no fencing), so nobody else
///   needs to read it. A shared store would only matter with a second worker.
/// - Its *volatile* state is the current activation: the next thing to do (the program counter)
///   and the program's variables `r1` and `r2`.
/// - The *shared* state is the outside world: an append-only effect log of the calls that
///   reached the providers (`reserve(1)`, `charge(101)`, `ship(201)`, each with the time it
///   happened). The providers answer deterministically (`argument + 100`) and do not
///   deduplicate: every call is an effect.
/// - Each durable step is three atomic model steps, so a crash can fall between any two:
///   `checkpointBefore` (log `pending`, event `stepBegin`), `call` (the effect, event `effect`)
///   and `checkpointAfter` (log `done(result)`, event `stepEnd`).
/// - The sleep is two steps: `sleep` creates the durable timer (deadline `now + T`; event
///   `interrupt(sleep(until:))`: the execution sleeps from here on) and `suspend` interrupts the
///   worker with ``ProcessContext/sleep(until:)``; the model lets it `wake` only at
///   `now >= deadline`.
/// - Recovery (``start(_:)`` after `restart` or `wake`) re-runs the program from the top: a
///   step whose log says `done` is skipped and its result reused (event `stepReplay`), a settled
///   timer is skipped, and the first step that is not done runs (event `resume`). A timer that
///   has not settled sends the worker back to `suspend`, to the same deadline, without a
///   `resume`: the execution is still asleep. After the last step the worker stops: the order
///   is complete.
/// - Faults: up to `crashes` crashes of the worker, anywhere it runs (a sleeping worker is
///   already interrupted). The clock ticks up to `sleep + 1`.
///
/// Skip-when-done makes each step *at least once*: a crash between a step's effect and its
/// checkpoint after runs the step again, because the log cannot tell whether the call
/// happened. The correct variant therefore repeats an effect right after itself, and
/// ``EffectObservation/atLeastOnce`` (the seed notes' `dupLast` equivalence) is the
/// observation under which it is interruption-transparent; exactly-once effects would need
/// providers that deduplicate by an idempotency key.
///
/// **Variants** (``Variant``):
/// - `correct`: holds DE-1 to DE-4, DE-6, DE-8 (``rules(_:)``) and DE-7
///   (``interruptionTransparency(_:)``).
/// - `noCheckpointAfter`: the charge step's checkpoint after is missing (its result is kept
///   only in memory). A crash after the charge returned re-runs it on restart: a second charge.
///   DE-3 sees it at the re-run's checkpoint before; DE-7 sees it once the ship's effect came
///   between the two charges.
/// - `nonDurableSleep`: the sleep is an in-memory timer (`setTimer(..., durable: false)`, no
///   interruption), journaled as done when it is armed. A crash during the sleep loses the
///   timer, and the restarted program skips the sleep and charges before the deadline: DE-8.
///   The effect log without times looks the same as an uninterrupted run's, so DE-7 sees it
///   only with ``EffectObservation/timed``.
public struct DurableExecution: DistributedSystem {
  /// The correct engine, or one of its two bugs.
  public enum Variant: String, CaseIterable, Sendable {
    /// Skip-when-done with a durable timer: holds.
    case correct
    /// The charge step's checkpoint after is missing: a restart charges again.
    case noCheckpointAfter
    /// The sleep is an in-memory timer: a crash during it lets the restart charge early.
    case nonDurableSleep
  }

  /// The program's durable steps; the effect each one has carries the same name.
  public enum StepName: String, Hashable, Sendable, CaseIterable, Fingerprintable, JSONRenderable {
    case reserve, charge, ship
    public var jsonValue: JSONValue { .string(rawValue) }
  }

  /// A step's entry in the worker's step log.
  public enum Checkpoint: Hashable, Sendable, Fingerprintable {
    /// Checkpoint before: the step has started (and may have had its effect).
    case pending
    /// Checkpoint after: the step returned `result`.
    case done(result: Int)

    public func fingerprint(into f: inout Fingerprinter) {
      switch self {
      case .pending: f.combine(UInt64.max)
      case .done(let result): f.combine(result)
      }
    }
  }

  /// The sleep's entry in the worker's step log.
  public enum SleepCheckpoint: Hashable, Sendable, Fingerprintable {
    /// A durable timer (Resonate's timer promise): settled once `now >= until`.
    case timer(until: Int)
    /// `nonDurableSleep`: journaled as done as soon as the in-memory timer was armed.
    case armed

    public func fingerprint(into f: inout Fingerprinter) {
      switch self {
      case .timer(let until): f.combine(until)
      case .armed: f.combine(UInt64.max)
      }
    }
  }

  /// The worker's disk: the step log.
  public struct Durable: Hashable, Sendable, Fingerprintable {
    public var reserve: Checkpoint?
    public var charge: Checkpoint?
    public var ship: Checkpoint?
    public var sleep: SleepCheckpoint?

    /// The checkpoint of `step`.
    public subscript(step: StepName) -> Checkpoint? {
      get {
        switch step {
        case .reserve: reserve
        case .charge: charge
        case .ship: ship
        }
      }
      set {
        switch step {
        case .reserve: reserve = newValue
        case .charge: charge = newValue
        case .ship: ship = newValue
        }
      }
    }

    public func fingerprint(into f: inout Fingerprinter) {
      f.combine(reserve)
      f.combine(charge)
      f.combine(ship)
      f.combine(sleep)
    }
  }

  /// What the current activation does next: the program counter.
  public enum Next: Hashable, Sendable, Fingerprintable {
    /// Write the step's checkpoint before.
    case checkpointBefore(StepName)
    /// Call the provider: the effect.
    case call(StepName)
    /// Write the step's checkpoint after, with the provider's answer.
    case checkpointAfter(step: StepName, result: Int)
    /// Create the sleep's timer.
    case sleep
    /// Interrupt the worker until the timer's deadline.
    case suspend(until: Int)
    /// `nonDurableSleep`: wait, running, for the in-memory timer.
    case waiting

    public func fingerprint(into f: inout Fingerprinter) {
      switch self {
      case .checkpointBefore(let step): f.combine(1); f.combine(step)
      case .call(let step): f.combine(2); f.combine(step)
      case .checkpointAfter(let step, let result): f.combine(3); f.combine(step); f.combine(result)
      case .sleep: f.combine(4)
      case .suspend(let until): f.combine(5); f.combine(until)
      case .waiting: f.combine(6)
      }
    }
  }

  /// The current activation: lost in a crash or a sleep.
  public struct Volatile: Hashable, Sendable, Fingerprintable {
    /// The next thing to do; nil once the program has returned.
    public var next: Next?
    /// The program's variable `r1`: the reservation.
    public var r1: Int?
    /// The program's variable `r2`: the charge.
    public var r2: Int?

    public init() {}

    public func fingerprint(into f: inout Fingerprinter) {
      f.combine(next)
      f.combine(r1)
      f.combine(r2)
    }
  }

  /// A call that reached a provider: an externally visible effect.
  public struct Effect: Hashable, Sendable, Fingerprintable, JSONRenderable {
    /// The step that made the call.
    public var step: StepName
    /// Its argument (the order, `r1` or `r2`).
    public var argument: Int
    /// The time of the call.
    public var at: Int

    /// `charge(101)`.
    public var call: String { "\(step.rawValue)(\(argument))" }

    public func fingerprint(into f: inout Fingerprinter) {
      f.combine(step)
      f.combine(argument)
      f.combine(at)
    }

    /// `"charge(101) at 2"`.
    public var jsonValue: JSONValue { .string("\(call) at \(at)") }
  }

  /// The outside world.
  public struct Shared: Hashable, Sendable, Fingerprintable {
    /// Every call that reached a provider, in order.
    public var effects: [Effect] = []

    public func fingerprint(into f: inout Fingerprinter) { f.combine(effects) }
  }

  /// The worker's own steps: three per durable step, two for the sleep.
  public enum Step: Hashable, Sendable {
    /// Checkpoint before `step`: log it `pending`.
    case checkpointBefore(step: StepName)
    /// Call the provider for `step`: the effect.
    case call(step: StepName)
    /// Checkpoint after `step`: log it `done` with the result.
    case checkpointAfter(step: StepName)
    /// Start the sleep: create its timer (durable, or in memory in `nonDurableSleep`).
    case sleep
    /// Interrupt the worker until the timer's deadline.
    case suspend
  }

  /// The in-memory timer of `nonDurableSleep`.
  public enum Timer: Hashable, Sendable {
    case wakeUp
  }

  /// One process: no messages (``DistributedSystem/Message`` has no default).
  public typealias Message = Never

  /// What the worker's steps emit: the durable-execution events of the order.
  public typealias Event = DurableEvent<String, StepName>

  /// What the DE-7 property observes of a finished run.
  public enum EffectObservation: String, Hashable, Sendable, CaseIterable {
    /// The effect log's calls, with a call that repeats right after itself counted once (the
    /// seed notes' `dupLast`: a step re-run after a crash between its effect and its checkpoint
    /// after). The default.
    case atLeastOnce
    /// The effect log's calls as they are: exactly-once effects.
    case exact
    /// As ``atLeastOnce``, with the time of each call (of the last of a repeated one).
    case timed
  }

  /// The order's execution id in events.
  public static let execution = "order-1"
  /// The order id, `reserve`'s argument.
  public static let order = 1
  /// The worker's process id.
  public static let worker = ProcessID(0)

  /// The variant.
  public var variant: Variant
  /// The crash budget.
  public var crashes: Int
  /// The sleep's duration `T`.
  public var sleep: Int

  /// Creates the system.
  /// - Parameters:
  ///   - variant: the correct engine or a bug.
  ///   - crashes: how many times the worker may crash (0...3).
  ///   - sleep: the sleep's duration `T`, in clock ticks (1...3).
  public init(variant: Variant = .correct, crashes: Int = 2, sleep: Int = 2) {
    precondition((0...3).contains(crashes), "crashes must be in 0...3")
    precondition((1...3).contains(sleep), "sleep must be in 1...3")
    self.variant = variant
    self.crashes = crashes
    self.sleep = sleep
  }

  public var name: String { "DurableExecution" }
  public var processes: [String] { ["worker"] }
  public var faults: FaultBudget { FaultBudget(crashes: crashes, losses: 0, duplications: 0) }
  /// One tick more than the sleep: a sleep that starts at 0 or 1 can end.
  public var clockLimit: Int? { sleep + 1 }
  public var initialShared: Shared { Shared() }
  public func initialDurable(of process: ProcessID) -> Durable { Durable() }
  public func initialVolatile(of process: ProcessID) -> Volatile { Volatile() }

  // MARK: The program

  /// The program's instructions, in order.
  enum Instruction { case step(StepName), sleep }
  static let program: [Instruction] = [.step(.reserve), .sleep, .step(.charge), .step(.ship)]
  static func position(of step: StepName) -> Int {
    switch step {
    case .reserve: 0
    case .charge: 2
    case .ship: 3
    }
  }
  static let sleepPosition = 1

  /// The provider's deterministic answer to a call.
  public static func answer(_ step: StepName, argument: Int) -> Int { argument + 100 }

  /// The argument the program passes to `step`: the order, `r1` or `r2`.
  static func argument(of step: StepName, _ volatile: Volatile) -> Int {
    switch step {
    case .reserve: order
    case .charge: volatile.r1!
    case .ship: volatile.r2!
    }
  }

  /// Stores a step's result in the program's variables.
  static func assign(_ result: Int, of step: StepName, to volatile: inout Volatile) {
    switch step {
    case .reserve: volatile.r1 = result
    case .charge: volatile.r2 = result
    case .ship: break
    }
  }

  /// Runs the program from instruction `start`: steps the log says are done are skipped (their
  /// results replayed), a settled timer is skipped; it stops at the first thing left to do, or
  /// stops the worker when the program has returned.
  func run(_ context: inout ProcessContext<Self>, from start: Int) {
    for index in start..<Self.program.count {
      switch Self.program[index] {
      case .step(let step):
        if case .done(let result)? = context.durable[step] {
          context.emit(.stepReplay(execution: Self.execution, step: step, result: UInt64(result)))
          Self.assign(result, of: step, to: &context.volatile)
          continue
        }
        context.volatile.next = .checkpointBefore(step)
        return
      case .sleep:
        switch context.durable.sleep {
        case .armed?:
          continue  // nonDurableSleep: the journal says the sleep is done
        case .timer(let until)?:
          if context.now >= until { continue }  // the timer has settled
          context.volatile.next = .suspend(until: until)  // sleep on, to the same deadline
          return
        case nil:
          context.volatile.next = .sleep
          return
        }
      }
    }
    context.volatile.next = nil
    context.stop()
  }

  /// Whether recovery finds the program still asleep: every step before the sleep is done and
  /// its timer has not settled, so the worker goes back to sleep without resuming.
  static func isStillAsleep(_ durable: Durable, now: Int) -> Bool {
    guard case .done? = durable.reserve, case .timer(let until)? = durable.sleep else { return false }
    return now < until
  }

  /// Boot, and recovery after a crash or a sleep: run the program from the top. Recovery
  /// resumes the execution (event `resume`) unless the sleep is not over: then the worker only
  /// goes back to sleep, and the execution stays asleep.
  public func start(_ context: inout ProcessContext<Self>) {
    if context.isRecovery, !Self.isStillAsleep(context.durable, now: context.now) {
      context.emit(.resume(execution: Self.execution, time: nil))
    }
    run(&context, from: 0)
  }

  public func forEachStep(of context: ProcessContext<Self>, _ body: (Step) -> Void) {
    switch context.volatile.next {
    case .checkpointBefore(let step)?: body(.checkpointBefore(step: step))
    case .call(let step)?: body(.call(step: step))
    case .checkpointAfter(let step, _)?: body(.checkpointAfter(step: step))
    case .sleep?: body(.sleep)
    case .suspend?: body(.suspend)
    case .waiting?, nil: break
    }
  }

  public func perform(_ step: Step, _ context: inout ProcessContext<Self>) {
    switch step {
    case .checkpointBefore(let name):
      context.durable[name] = .pending
      context.emit(.stepBegin(execution: Self.execution, step: name))
      context.volatile.next = .call(name)
    case .call(let name):
      let argument = Self.argument(of: name, context.volatile)
      context.shared.effects.append(Effect(step: name, argument: argument, at: context.now))
      context.emit(.effect(execution: Self.execution, step: name))
      context.volatile.next = .checkpointAfter(step: name, result: Self.answer(name, argument: argument))
    case .checkpointAfter(let name):
      guard case .checkpointAfter(_, let result)? = context.volatile.next else { preconditionFailure("no result") }
      if !(variant == .noCheckpointAfter && name == .charge) {
        context.durable[name] = .done(result: result)
      }
      // The step returned: the engine records its end (in the bug, only in memory).
      context.emit(.stepEnd(execution: Self.execution, step: name, result: UInt64(result)))
      Self.assign(result, of: name, to: &context.volatile)
      run(&context, from: Self.position(of: name) + 1)
    case .sleep:
      // The execution sleeps from here on, in both variants; only the timer differs.
      let until = context.now + sleep
      context.emit(.interrupt(execution: Self.execution, cause: .sleep(until: Double(until))))
      if variant == .nonDurableSleep {
        context.durable.sleep = .armed
        context.setTimer(.wakeUp, at: until, durable: false)
        context.volatile.next = .waiting
      } else {
        context.durable.sleep = .timer(until: until)
        context.volatile.next = .suspend(until: until)
      }
    case .suspend:
      guard case .suspend(let until)? = context.volatile.next else { preconditionFailure("not suspending") }
      context.sleep(until: until)
    }
  }

  /// `nonDurableSleep`: the in-memory timer fired; the program goes on after the sleep.
  public func timeout(_ timer: Timer, _ context: inout ProcessContext<Self>) {
    context.emit(.resume(execution: Self.execution, time: nil))
    run(&context, from: Self.sleepPosition + 1)
  }

  // MARK: Properties

  /// DE-1 to DE-4, DE-6 and DE-8, as checked by ``rules(_:)``.
  public typealias Rules = DurableExecutionRules<
    SystemState<DurableExecution>, SystemAction<DurableExecution>, [Event], String, StepName
  >

  /// The durable events of a step: what the worker emitted, and `interrupt(crash)` for a crash
  /// (an environment action, which runs no handler).
  @Sendable public static func durableEvents(
    of step: TraceStep<SystemState<DurableExecution>, SystemAction<DurableExecution>, [Event]>
  ) -> [Event] {
    if case .crash = step.action { return [.interrupt(execution: execution, cause: .crash)] }
    return step.response
  }

  /// The skip-when-done rules (all by default), with DE-8 reading the model's clock.
  public static func rules(_ rules: Set<Rules.Rule> = Set(Rules.Rule.allCases)) -> Rules {
    Rules("skip-when-done", rules: rules, events: durableEvents).clock { Double($0.before.now) }
  }

  /// What DE-7 observes of a state: the calls in the effect log, as `observation` says.
  public static func observedEffects(_ state: SystemState<DurableExecution>, _ observation: EffectObservation) -> [String] {
    var calls: [String] = []
    var texts: [String] = []
    for effect in state.shared.effects {
      let text = observation == .timed ? "\(effect.call) at \(effect.at)" : effect.call
      if observation != .exact, calls.last == effect.call {
        texts[texts.count - 1] = text  // the repeat replaces the call it repeats
      } else {
        calls.append(effect.call)
        texts.append(text)
      }
    }
    return texts
  }

  /// Whether the order is complete: the worker ran the program to its end and stopped.
  public static func isFinished(_ state: SystemState<DurableExecution>) -> Bool {
    state[worker].status == .stopped
  }

  /// DE-7: every finished run shows what some run of the same variant without crashes shows.
  public func interruptionTransparency(_ observation: EffectObservation = .atLeastOnce)
    -> InterruptionTransparency<DurableExecution, [String]>
  {
    var reference = self
    reference.crashes = 0
    return InterruptionTransparency(
      "interruption transparency (DE-7)", reference: reference,
      observe: { Self.observedEffects($0, observation) }, finished: { Self.isFinished($0) })
  }

  /// The system monitored by ``rules(_:)`` and ``interruptionTransparency(_:)``, as the catalog
  /// checks it.
  public var monitoredSpec: MonitoredSpec<SystemSpec<DurableExecution>, BothProperties<Rules, InterruptionTransparency<DurableExecution, [String]>>> {
    spec.monitored {
      Self.rules()
      interruptionTransparency()
    }
  }
}
