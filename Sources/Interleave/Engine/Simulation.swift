/// SplitMix64: a small, fast, seedable pseudo-random generator; the same seed gives the same
/// numbers on every platform and every Swift version.
///
/// ```swift
/// var random = SplitMix64(seed: 42)
/// let pick = random.index(below: 3)   // 0, 1 or 2, the same for seed 42 every time
/// ```
///
/// Simulation and model-based tests draw their choices from it instead of the standard
/// library's `random(in:using:)`, whose algorithm may change between releases.
public struct SplitMix64: RandomNumberGenerator, Sendable, Hashable {
  /// The generator's state: the seed, advanced by the golden gamma at every draw.
  public var state: UInt64

  /// Creates a generator whose sequence is determined by `seed`.
  @inlinable
  public init(seed: UInt64) { state = seed }

  /// The next 64 random bits.
  @inlinable
  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A number in `0..<bound` (multiply-shift: no division, deterministic); 0 if `bound` ≤ 1.
  @inlinable
  public mutating func index(below bound: Int) -> Int {
    guard bound > 1 else { return 0 }
    return Int(next().multipliedFullWidth(by: UInt64(bound)).high)
  }
}

/// How a simulation walks a spec: how many random runs, how deep, from which seed.
public struct SimulationOptions: Sendable, Hashable {
  /// The seed of the first run; run `i` uses `seed + i`, so one failing run is reproduced with
  /// its own seed and `runs: 1`.
  public var seed: UInt64
  /// The number of random walks.
  public var runs: Int
  /// The most steps per walk.
  public var depth: Int
  /// Report a state with no enabled action that the spec does not declare terminal.
  public var checkDeadlock: Bool
  /// Shrink the first failing run of each failed property to a shorter counterexample.
  public var shrink: Bool
  /// Threads that take the walks; all cores by default. The result does not depend on it.
  public var workers: Int

  /// Creates options: 100 runs of at most 20 steps from seed 0, deadlocks checked, shrinking on,
  /// on every core.
  public init(
    seed: UInt64 = 0, runs: Int = 100, depth: Int = 20, checkDeadlock: Bool = true, shrink: Bool = true,
    workers: Int = CheckOptions.defaultWorkers
  ) {
    self.seed = seed
    self.runs = runs
    self.depth = depth
    self.checkDeadlock = checkDeadlock
    self.shrink = shrink
    self.workers = workers
  }

  /// The seed of run `run` (0-based).
  public func seed(ofRun run: Int) -> UInt64 { seed &+ UInt64(run) }
}

/// One random walk that failed: its seed, what failed, and (for the first run that failed each
/// property) the shrunk counterexample.
public struct SimulationFailure<S: Specification> {
  /// The run's index, 0-based.
  public var run: Int
  /// The run's own seed: `SimulationOptions(seed: seed, runs: 1)` replays it.
  public var seed: UInt64
  /// What failed, with the walk up to the failure.
  public var violation: Violation<S>
  /// The same failure on a shorter trace, if this run was shrunk.
  public var shrunk: Violation<S>?

  /// Creates a failure report; ``Simulation/run()`` is its usual source.
  @inlinable
  public init(run: Int, seed: UInt64, violation: Violation<S>, shrunk: Violation<S>? = nil) {
    self.run = run
    self.seed = seed
    self.violation = violation
    self.shrunk = shrunk
  }
}

/// What a simulation found: the runs and steps taken and every failing run.
public struct SimulationResult<S: Specification> {
  /// The options the simulation ran with.
  public var options: SimulationOptions
  /// Steps taken over all runs.
  public var steps: Int
  /// The failing runs, in run order.
  public var failures: [SimulationFailure<S>]

  /// Creates a result; ``Simulation/run()`` is its usual source.
  @inlinable
  public init(options: SimulationOptions, steps: Int, failures: [SimulationFailure<S>]) {
    self.options = options
    self.steps = steps
    self.failures = failures
  }

  /// Whether no run failed.
  public var passed: Bool { failures.isEmpty }
}

/// Seeded random walks over a spec: a fast, incomplete alternative to model checking for state
/// spaces too large to explore, and the engine of `interleave simulate`.
///
/// Each walk starts in an initial state chosen at random and takes up to `depth` enabled actions
/// chosen at random, checking the post-conditions, the invariants and the trace properties after
/// every step, and deadlocks and open obligations where no action is enabled. A failing walk is
/// shrunk with ``Shrinking/deleteChunks(_:failing:)``: steps are deleted and the rest is replayed
/// (skipping actions no longer enabled) as long as the same property still fails.
///
/// The walks run on ``SimulationOptions/workers`` threads. Each walk depends only on its own
/// seed, and the failures are gathered in run order, so the result is the same for every number
/// of workers.
///
/// ```swift
/// let result = Simulation(Put(keyed: false).monitored { Put.idempotence },
///                         options: SimulationOptions(seed: 1, runs: 50, depth: 6)).run()
/// result.failures.first?.shrunk?.trace.steps.count   // 3
/// ```
public struct Simulation<S: Specification>: Sendable {
  /// The spec walked.
  public let spec: S
  /// How to walk it.
  public var options: SimulationOptions

  /// Creates a simulation of `spec`.
  @inlinable
  public init(_ spec: S, options: SimulationOptions = SimulationOptions()) {
    self.spec = spec
    self.options = options
  }

  /// The runs one worker takes at a time.
  @usableFromInline static var runsPerBlock: Int { 64 }

  /// Runs every walk and shrinks the first failure of each property.
  @inlinable
  public func run() -> SimulationResult<S> {
    var result = SimulationResult<S>(options: options, steps: 0, failures: [])
    let initials = spec.initialStates
    let runs = max(0, options.runs)
    guard !initials.isEmpty, runs > 0 else { return result }
    // Blocks of consecutive runs are handed to the workers as they come; each block's outcome
    // has its own slot, read in run order once every block is done.
    let blockCount = (runs + Self.runsPerBlock - 1) / Self.runsPerBlock
    let outcomes = SimulationOutcomes<S>(count: blockCount)
    WorkTickets().hand(blockCount, to: min(max(1, options.workers), blockCount)) { _, block in
      let first = block * Self.runsPerBlock
      outcomes.slots[block] = walks(first..<min(runs, first + Self.runsPerBlock), initials: initials)
      return 0
    }
    var shrunkProperties: Set<String> = []
    for block in 0..<blockCount {
      result.steps += outcomes.slots[block].steps
      for var failure in outcomes.slots[block].failures {
        let key = "\(failure.violation.kind.rawValue):\(failure.violation.name)"
        if options.shrink && shrunkProperties.insert(key).inserted {
          failure.shrunk = shrink(failure.violation)
        }
        result.failures.append(failure)
      }
    }
    return result
  }

  /// The walks of `runs`: the steps they took and their failures, not shrunk.
  ///
  /// A walk records nothing but its length; one that fails is walked again from its seed,
  /// which makes the same choices, to record its trace.
  @inlinable
  func walks(_ runs: Range<Int>, initials: [S.State]) -> SimulationOutcomes<S>.Block {
    var block = SimulationOutcomes<S>.Block()
    var unrecorded: Counterexample<S>? = nil
    for run in runs {
      let seed = options.seed(ofRun: run)
      var random = SplitMix64(seed: seed)
      let (steps, failure) = walk(from: initials[random.index(below: initials.count)], random: &random, recording: &unrecorded)
      block.steps += steps
      guard let failure else { continue }
      random = SplitMix64(seed: seed)
      let initial = initials[random.index(below: initials.count)]
      var trace: Counterexample<S>? = Counterexample(initialState: initial, steps: [])
      // The same failure again, unless the spec is not deterministic (which model checking
      // reports as an internal error); the trace is the one walked.
      let found = walk(from: initial, random: &random, recording: &trace).failure ?? failure
      let violation = Violation(kind: found.kind, name: found.name, message: found.message, trace: trace.unsafelyUnwrapped)
      block.failures.append(SimulationFailure(run: run, seed: seed, violation: violation, shrunk: nil))
    }
    return block
  }

  /// One random walk from `initial`: the steps it took and the first failure on it. With a
  /// trace in `recording`, each step is appended to it.
  @inlinable
  func walk(from initial: S.State, random: inout SplitMix64, recording trace: inout Counterexample<S>?) -> (steps: Int, failure: Failure?) {
    if let failure = failure(in: initial) { return (0, failure) }
    var state = initial
    var steps = 0
    var enabled: [S.Action] = []
    while steps < options.depth {
      enabled.removeAll(keepingCapacity: true)
      spec.forEachEnabledAction(in: state) { enabled.append($0) }
      if enabled.isEmpty {
        if let failure = endFailure(in: state) { return (steps, failure) }
        break
      }
      let action = enabled[random.index(below: enabled.count)]
      let old = state
      let response = spec.apply(action, to: &state)
      steps += 1
      trace?.steps.append(.init(action: action, response: response, state: state))
      if let failure = stepFailure(from: old, by: action, response: response, to: state) { return (steps, failure) }
      if !spec.isWithinConstraint(state) { break }
    }
    return (steps, nil)
  }

  /// A failure found on a trace: the kind and name of the property, and its message.
  @usableFromInline
  struct Failure: Equatable {
    @usableFromInline var kind: ViolationKind
    @usableFromInline var name: String
    @usableFromInline var message: String?
    @inlinable init(kind: ViolationKind, name: String, message: String?) {
      self.kind = kind
      self.name = name
      self.message = message
    }
  }

  /// An invariant or trace property that fails in `state`.
  @inlinable
  func failure(in state: S.State) -> Failure? {
    for invariant in spec.invariants where !invariant.holds(state) {
      return Failure(kind: .invariant, name: invariant.name, message: nil)
    }
    if let violation = spec.propertyViolation(in: state) {
      return Failure(kind: .property, name: violation.property, message: violation.message)
    }
    return nil
  }

  /// What a step breaks, in the model checker's order: post-condition, invariants, properties.
  @inlinable
  func stepFailure(from old: S.State, by action: S.Action, response: S.Response, to new: S.State) -> Failure? {
    if let broken = spec.brokenPostcondition(from: old, by: action, response: response, to: new) {
      return Failure(kind: .postcondition, name: broken.description, message: nil)
    }
    return failure(in: new)
  }

  /// An open obligation or a deadlock in a state without enabled actions.
  @inlinable
  func endFailure(in state: S.State) -> Failure? {
    if let open = spec.unmetObligation(in: state) {
      return Failure(kind: .property, name: open.property, message: open.message)
    }
    if options.checkDeadlock && !spec.isTerminal(state) {
      return Failure(kind: .deadlock, name: "deadlock", message: nil)
    }
    return nil
  }

  /// Replays `actions` from `initial`, skipping those not enabled, up to the first failure:
  /// the trace actually run and that failure.
  @inlinable
  public func replay(_ actions: [S.Action], from initial: S.State) -> (trace: Counterexample<S>, violation: Violation<S>?) {
    var trace = Counterexample<S>(initialState: initial, steps: [])
    func found(_ failure: Failure) -> (Counterexample<S>, Violation<S>?) {
      (trace, Violation(kind: failure.kind, name: failure.name, message: failure.message, trace: trace))
    }
    if let failure = failure(in: initial) { return found(failure) }
    var state = initial
    for action in actions {
      var enabled = false
      spec.forEachEnabledAction(in: state) { if $0 == action { enabled = true } }
      guard enabled else { continue }
      let old = state
      let response = spec.apply(action, to: &state)
      trace.steps.append(.init(action: action, response: response, state: state))
      if let failure = stepFailure(from: old, by: action, response: response, to: state) { return found(failure) }
    }
    var anyEnabled = false
    spec.forEachEnabledAction(in: state) { _ in anyEnabled = true }
    if !anyEnabled, let failure = endFailure(in: state) { return found(failure) }
    return (trace, nil)
  }

  /// The same failure (same kind, same property) on as short a trace as chunk deletion finds.
  @inlinable
  public func shrink(_ violation: Violation<S>) -> Violation<S> {
    let initial = violation.trace.initialState
    var best = violation
    _ = Shrinking.deleteChunks(violation.trace.actions) { candidate in
      let (_, found) = replay(candidate, from: initial)
      guard let found, found.kind == violation.kind, found.name == violation.name else { return nil }
      best = found
      return found.trace.actions
    }
    return best
  }
}

/// Shrinking a failing sequence by deleting chunks of it.
public enum Shrinking {
  /// Deletes chunks of `items` while the rest still fails, and returns the shortest sequence found.
  ///
  /// Chunk sizes halve from half the sequence down to 1; at each size, every chunk is tried in
  /// turn. `failing` replays a candidate and returns the sequence that actually ran up to the
  /// same failure (it may be shorter than the candidate), or nil if the candidate does not fail
  /// the same way. The passes repeat until no deletion helps, so the result is 1-minimal: deleting
  /// any single item no longer fails the same way.
  @inlinable
  public static func deleteChunks<Item>(_ items: [Item], failing: ([Item]) -> [Item]?) -> [Item] {
    var current = items
    var improved = true
    while improved && !current.isEmpty {
      improved = false
      var chunk = max(1, current.count / 2)
      while true {
        var start = 0
        while start < current.count {
          var candidate = current
          candidate.removeSubrange(start..<min(current.count, start + chunk))
          if let kept = failing(candidate), kept.count < current.count {
            current = kept
            improved = true
          } else {
            start += chunk
          }
        }
        if chunk == 1 { break }
        chunk = max(1, chunk / 2)
      }
    }
    return current
  }
}

/// The outcomes of a simulation's blocks of runs, one slot per block, each written by the one
/// worker that walks that block and read once every block is done.
@usableFromInline
final class SimulationOutcomes<S: Specification>: @unchecked Sendable {
  /// What the walks of one block of runs found.
  @usableFromInline
  struct Block {
    /// Steps taken over the block's runs.
    @usableFromInline var steps = 0
    /// The block's failing runs, in run order, not shrunk.
    @usableFromInline var failures: [SimulationFailure<S>] = []

    @inlinable init() {}
  }

  @usableFromInline let slots: UnsafeMutablePointer<Block>
  @usableFromInline let count: Int

  @inlinable
  init(count: Int) {
    self.count = count
    slots = .allocate(capacity: count)
    slots.initialize(repeating: Block(), count: count)
  }

  deinit {
    slots.deinitialize(count: count)
    slots.deallocate()
  }
}
