import Interleave
import InterleaveSpecs
import Testing

/// The numbers TLC reports on the TLA+ originals and Spin stores on shared/bench/twophase.pml.
@Suite("Bundled specs produce TLC's numbers")
struct BundledSpecCountsTests {
  @Test("TwoPhase", arguments: [(3, 288, 1_146, 11), (5, 8_832, 58_146, 17)])
  func twoPhase(rm: Int, distinct: Int, generated: Int, depth: Int) {
    let result = TwoPhase(resourceManagers: rm).check()
    #expect(result.verdict == .holds)
    #expect(result.distinctStates == distinct)
    #expect(result.generatedStates == generated)
    #expect(result.depth == depth)
    #expect(result.neverEnabledActions.isEmpty)
  }

  @Test("TwoPhase rm=7 stores 296,448 states")
  func twoPhaseSeven() {
    let result = TwoPhase(resourceManagers: 7).check()
    #expect(result.verdict == .holds)
    #expect(result.distinctStates == 296_448)
    #expect(result.generatedStates == 2_744_706)
    #expect(result.depth == 23)
  }

  @Test func tCommit() {
    let result = TCommit(resourceManagers: 3).check()
    #expect(result.verdict == .holds)
    #expect(result.distinctStates == 34)
    #expect(result.generatedStates == 94)
    #expect(result.depth == 7)
  }

  @Test("DieHard: NotSolved fails after 6 steps, the last with big = 4")
  func dieHard() throws {
    let result = DieHard.spec().check()
    #expect(result.verdict == .violation)
    let violation = try #require(result.violation)
    #expect(violation.kind == .invariant)
    #expect(violation.name == "NotSolved")
    #expect(violation.trace.states.count == 7)
    #expect(violation.trace.finalState.big == 4)
    // Every step is a real transition of the spec.
    #expect(DieHard.spec().run(violation.trace.actions, from: DieHard.State()) != nil)
  }

  @Test("Increment with 2 threads fails in 4 steps")
  func incrementCounterexample() throws {
    let spec = Increment.spec(threads: 2)
    let violation = try #require(spec.check().violation)
    #expect(violation.kind == .invariant)
    #expect(violation.trace.steps.count == 4)
    #expect(violation.trace.finalState.x == 1)
    #expect(violation.trace.actions.map { spec.describe($0).name } == ["read", "read", "write", "write"])
  }

  @Test("Increment with --continue explores everything", arguments: [(2, 13), (3, 84), (4, 755)])
  func incrementContinue(threads: Int, distinct: Int) {
    let result = Increment.spec(threads: threads).check(CheckOptions(stopAtFirstViolation: false))
    #expect(result.verdict == .violation)
    #expect(result.distinctStates == distinct)
    #expect(result.violations.count == 1)
  }

  @Test func peterson() {
    let result = Peterson.spec().check()
    #expect(result.verdict == .holds)
    #expect(result.violations.isEmpty)
    #expect(result.neverEnabledActions.isEmpty)
  }

  @Test("Eager commit is refuted by the shortest counterexample")
  func eagerCommit() throws {
    let spec = TwoPhase(resourceManagers: 3, variant: .eagerCommit)
    let violation = try #require(spec.check().violation)
    #expect(violation.kind == .invariant)
    #expect(violation.name == "TCConsistent")
    // Prepare, receive, commit, one RM commits, another aborts: nothing shorter exists.
    #expect(violation.trace.steps.count == 5)
    #expect(violation.trace.actions.contains(.tmCommit))
    // No shorter trace reaches a bad state: a search bounded one level shorter finds nothing.
    let shorter = spec.check(CheckOptions(maxDepth: 5))
    #expect(shorter.verdict == .inconclusive)
  }
}

/// The benchmark models: their counts are pinned by an exact (full-state) search.
@Suite("Benchmark models")
struct BenchmarkModelTests {
  @Test("filter lock: mutual exclusion holds; fingerprint and exact searches agree", arguments: [(2, 34), (3, 705), (4, 14_844)])
  func filterLock(processes: Int, distinct: Int) {
    let spec = FilterLock(processes: processes)
    let result = spec.check()
    #expect(result.verdict == .holds)
    #expect(result.distinctStates == distinct)
    #expect(spec.check(CheckOptions(exact: true)).distinctStates == distinct)
  }

  @Test("leader election: one leader; the forward-smaller bug elects two")
  func leaderElection() throws {
    let spec = LeaderElection(processes: 5)
    let result = spec.check()
    #expect(result.verdict == .holds)
    #expect(result.distinctStates == 7_438)
    #expect(spec.check(CheckOptions(exact: true)).distinctStates == 7_438)
    let violation = try #require(LeaderElection(processes: 4, forwardSmaller: true).check().violation)
    #expect(violation.kind == .invariant)
    #expect(violation.trace.steps.count == 5)
  }

  @Test("alternating bit: in-order delivery over lossy, duplicating FIFO channels; reordering breaks it")
  func alternatingBit() throws {
    let result = AlternatingBit(messages: 3, capacity: 3).check()
    #expect(result.verdict == .holds)
    #expect(result.distinctStates == 196)
    #expect(AlternatingBit(messages: 3, capacity: 3).check(CheckOptions(exact: true)).distinctStates == 196)
    let violation = try #require(AlternatingBit(messages: 3, capacity: 3, reordering: true).check().violation)
    #expect(violation.kind == .postcondition)
    #expect(violation.name == "deliverData: delivers in order, once")
  }
}

/// Symmetry reduction over the resource managers gives TLC's numbers with
/// `SYMMETRY Permutations(RM)`.
@Suite("Symmetry reduction")
struct SymmetryTests {
  @Test("TwoPhase with symmetry", arguments: [(3, 80, 318), (5, 314, 2_048)])
  func twoPhase(rm: Int, distinct: Int, generated: Int) {
    var options = CheckOptions()
    options.symmetry = true
    let result = TwoPhase(resourceManagers: rm).check(options)
    #expect(result.verdict == .holds)
    #expect(result.distinctStates == distinct)
    #expect(result.generatedStates == generated)
  }

  @Test("exact storage under symmetry stores canonical forms: the same counts")
  func exact() {
    var options = CheckOptions(exact: true)
    options.symmetry = true
    #expect(TwoPhase(resourceManagers: 3).check(options).distinctStates == 80)
  }

  @Test("a violation found under symmetry replays as a real trace")
  func counterexample() throws {
    var options = CheckOptions()
    options.symmetry = true
    let spec = TwoPhase(resourceManagers: 4, variant: .eagerCommit)
    let violation = try #require(spec.check(options).violation)
    #expect(violation.trace.steps.count == 5)
    #expect(spec.run(violation.trace.actions, from: spec.initialStates[0]) != nil)
    #expect(violation.trace.finalState.isInconsistent)
  }
}
