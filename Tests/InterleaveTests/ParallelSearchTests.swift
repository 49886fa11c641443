import Interleave
import InterleaveSpecs
import Testing

/// The parallel BFS must not depend on the number of workers: same counts, same depth, same
/// coverage, same counterexample. Marked serialized: these runs use every core.
@Suite("Workers do not change the result", .serialized)
struct ParallelSearchTests {
  static let workerCounts = [1, 2, 3, 4, 7]

  @Test("counts, depth and coverage are identical for every worker count")
  func counts() {
    let reference = TwoPhase(resourceManagers: 6).check(CheckOptions(workers: 1))
    #expect(reference.distinctStates == 50_816)
    for workers in Self.workerCounts.dropFirst() {
      let result = TwoPhase(resourceManagers: 6).check(CheckOptions(workers: workers))
      #expect(result.distinctStates == reference.distinctStates, "workers \(workers)")
      #expect(result.generatedStates == reference.generatedStates, "workers \(workers)")
      #expect(result.depth == reference.depth, "workers \(workers)")
      #expect(result.coverage == reference.coverage, "workers \(workers)")
    }
    // A builder spec, whose coverage kinds are found by name, and exact storage.
    let readable = Increment.spec(threads: 4)
    let base = readable.check(CheckOptions(stopAtFirstViolation: false, exact: true, workers: 1))
    for workers in Self.workerCounts.dropFirst() {
      let result = readable.check(CheckOptions(stopAtFirstViolation: false, exact: true, workers: workers))
      #expect(result.distinctStates == base.distinctStates)
      #expect(result.generatedStates == base.generatedStates)
      #expect(result.coverage == base.coverage)
    }
  }

  /// DurableExecution makes almost only new candidates (after the filter of repeats), so
  /// breadth-first search keeps each candidate's successor instead of rebuilding the new ones
  /// from their parents, with `--exact` always. Each new state's coverage kind is the keeping
  /// worker's, whose kinds (found by name as actions come) differ from the numbering worker's.
  /// The reference is the same spec with a self-loop after every state's actions: half its
  /// candidates are duplicates, so the search rebuilds, and the self-loop adds only its own
  /// coverage entry.
  @Test("kept successors: the same counts, coverage and counterexamples as rebuilt ones")
  func keptSuccessors() throws {
    let correct = DurableExecution(variant: .correct, crashes: 2, sleep: 2).monitoredSpec
    let rebuilt = WithSelfLoop(base: correct).check(CheckOptions(workers: 1))
    #expect(rebuilt.verdict == .holds)
    #expect(rebuilt.distinctStates > 1_000)
    let selfLoops = try #require(rebuilt.coverage.first { $0.action == "selfLoop" })
    #expect(selfLoops.distinct == 0 && selfLoops.generated > 1_000)
    for exact in [false, true] {
      for workers in Self.workerCounts {
        let kept = correct.check(CheckOptions(exact: exact, workers: workers))
        #expect(kept.distinctStates == rebuilt.distinctStates, "workers \(workers), exact \(exact)")
        #expect(kept.generatedStates + selfLoops.generated == rebuilt.generatedStates, "workers \(workers), exact \(exact)")
        #expect(kept.depth == rebuilt.depth, "workers \(workers), exact \(exact)")
        #expect(kept.coverage == rebuilt.coverage.filter { $0.action != "selfLoop" }, "workers \(workers), exact \(exact)")
      }
    }
    let buggy = DurableExecution(variant: .noCheckpointAfter, crashes: 2, sleep: 2).monitoredSpec
    let all = CheckOptions(stopAtFirstViolation: false, workers: 1)
    let reference = WithSelfLoop(base: buggy).check(all)
    #expect(!reference.violations.isEmpty)
    for exact in [false, true] {
      for workers in Self.workerCounts {
        let found = buggy.check(CheckOptions(stopAtFirstViolation: false, exact: exact, workers: workers))
        #expect(found.violations.map(\.name) == reference.violations.map(\.name), "workers \(workers), exact \(exact)")
        #expect(
          found.violations.map { $0.trace.actions.map { WithSelfLoop<MonitoredDurableExecution>.Action.base($0) } }
            == reference.violations.map(\.trace.actions),
          "workers \(workers), exact \(exact)")
      }
    }
  }

  @Test("the counterexample is identical for every worker count")
  func counterexample() throws {
    let spec = TwoPhase(resourceManagers: 5, variant: .eagerCommit)
    let reference = try #require(spec.check(CheckOptions(workers: 1)).violation)
    for workers in Self.workerCounts.dropFirst() {
      let violation = try #require(spec.check(CheckOptions(workers: workers)).violation)
      #expect(violation.trace.actions == reference.trace.actions, "workers \(workers)")
      #expect(violation.name == reference.name)
    }
    // Every violated property, with --continue, also in the same order with the same traces.
    let all = Put(keyed: false).monitored { Put.idempotence }
    let first = all.check(CheckOptions(stopAtFirstViolation: false, workers: 1))
    let second = all.check(CheckOptions(stopAtFirstViolation: false, workers: 3))
    #expect(first.violations.map(\.name) == second.violations.map(\.name))
    #expect(first.violations.map(\.trace.actions) == second.violations.map(\.trace.actions))
  }

  @Test("the state bound stores exactly N states for every worker count")
  func stateBound() {
    for workers in Self.workerCounts {
      let result = TwoPhase(resourceManagers: 6).check(CheckOptions(maxStates: 10_000, workers: workers))
      #expect(result.verdict == .inconclusive)
      #expect(result.distinctStates == 10_000)
    }
  }

  @Test("a memory limit stops the search, inconclusive, with the statistics so far")
  func memoryLimit() {
    let result = TwoPhase(resourceManagers: 7).check(CheckOptions(workers: 2, memoryLimit: 4 << 20))
    #expect(result.verdict == .inconclusive)
    #expect(result.inconclusiveReason?.contains("memory limit") == true)
    #expect(result.distinctStates > 0 && result.distinctStates < 296_448)
  }

  @Test("a memory limit counts what states hold on the heap, breadth-first and depth-first")
  func memoryLimitCountsHeapStates() {
    // 100 MiB of payloads in one level (or, after 256 states, 36 MiB left on the depth-first
    // stack), against 13 KiB of inline state; a margin wide enough for what tests running beside
    // this one free meanwhile.
    for strategy in CheckOptions.Strategy.allCases {
      for workers in [1, 2] {
        let limited = HeavyStates().check(CheckOptions(strategy: strategy, workers: workers, memoryLimit: 16 << 20))
        #expect(limited.verdict == .inconclusive, "\(strategy), \(workers) workers")
        // "the memory limit (--memory 16 MiB) was reached with N MiB in use"
        let inUse = limited.inconclusiveReason?.split(separator: " ").dropLast(3).last.flatMap { Int($0) }
        #expect((inUse ?? 0) > 16, "\(limited.inconclusiveReason ?? "no reason")")
        let ample = HeavyStates().check(CheckOptions(strategy: strategy, workers: workers, memoryLimit: 1 << 40))
        #expect(ample.verdict == .holds)
        #expect(ample.distinctStates == HeavyStates.states + 1)
      }
    }
  }

  @Test("the visited set and parent log take at most 16 bytes per state")
  func bytesPerState() {
    let result = TwoPhase(resourceManagers: 7).check(CheckOptions(workers: 2))
    #expect(result.bytesPerState <= 16)
    #expect(result.bytesPerState > 8)
  }
}

/// One state that spawns 400 states, each holding 256 KiB of its own on the heap.
struct HeavyStates: Specification {
  static let states = 400
  struct State: Hashable, Sendable {
    var id = 0
    var payload: [UInt64] = []
  }
  enum Action: Hashable, Sendable { case spawn(Int) }

  var name: String { "HeavyStates" }
  var initialStates: [State] { [State()] }
  var invariants: [Invariant<State>] { [] }

  func forEachEnabledAction(in state: State, _ body: (Action) -> Void) {
    guard state.id == 0 else { return }
    for id in 1...HeavyStates.states { body(.spawn(id)) }
  }

  func apply(_ action: Action, to state: inout State) {
    guard case .spawn(let id) = action else { return }
    state = State(id: id, payload: Array(repeating: UInt64(id), count: 32_768))
  }

  func isTerminal(_ state: State) -> Bool { state.id != 0 }
  func fingerprint(of state: State) -> UInt64 { Fingerprinter.fingerprint(of: UInt64(state.id)) }
}

/// `base` with one more action after every state's own: `selfLoop`, which changes nothing. Its
/// successors are all duplicates (the state itself, already stored), which keeps the share of
/// new candidates low.
struct WithSelfLoop<Base: Specification>: Specification {
  enum Action: Hashable, Sendable {
    case base(Base.Action)
    case selfLoop
  }

  let base: Base

  var name: String { base.name }
  var initialStates: [Base.State] { base.initialStates }
  var invariants: [Invariant<Base.State>] { base.invariants }
  func forEachEnabledAction(in state: Base.State, _ body: (Action) -> Void) {
    var any = false
    base.forEachEnabledAction(in: state) { any = true; body(.base($0)) }
    // Not after a property failed (no successors then) nor in a final state (no deadlock).
    if any { body(.selfLoop) }
  }
  func apply(_ action: Action, to state: inout Base.State) -> Base.Response? {
    guard case .base(let action) = action else { return nil }
    return base.apply(action, to: &state)
  }
  func isTerminal(_ state: Base.State) -> Bool { base.isTerminal(state) }
  func propertyViolation(in state: Base.State) -> PropertyViolation? { base.propertyViolation(in: state) }
  func unmetObligation(in state: Base.State) -> PropertyViolation? { base.unmetObligation(in: state) }
  func describe(_ action: Action) -> ActionDescription {
    guard case .base(let action) = action else { return ActionDescription(name: "selfLoop") }
    return base.describe(action)
  }
  func fingerprint(of state: Base.State) -> UInt64 { base.fingerprint(of: state) }
}

typealias MonitoredDurableExecution = MonitoredSpec<
  SystemSpec<DurableExecution>,
  BothProperties<DurableExecution.Rules, InterruptionTransparency<DurableExecution, [String]>>
>
