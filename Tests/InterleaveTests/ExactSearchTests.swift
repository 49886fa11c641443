@testable import Interleave
import InterleaveSpecs
import Testing

/// `--exact` compares full states: states whose fingerprints collide are all stored.
@Suite("Exact search")
struct ExactSearchTests {
  @Test("an exact shard keeps every state, whatever their fingerprints")
  func shardKeepsCollidingStates() {
    let shard = ExactShard<Int>()
    // Three fingerprints for 5,000 states, so the table grows through long runs of equal tags.
    for value in 0..<5_000 {
      #expect(shard.insert(fingerprint: UInt64(value % 3)) { value })
    }
    #expect(shard.count == 5_000)
    for value in 0..<5_000 {
      #expect(!shard.insert(fingerprint: UInt64(value % 3)) { value })
      #expect(shard.contains(fingerprint: UInt64(value % 3)) { value })
    }
    #expect(!shard.contains(fingerprint: 0) { 5_001 })
    #expect(!shard.contains(fingerprint: 7) { 0 })
    #expect(shard.count == 5_000)
    #expect(shard.bytes >= 5_000 * MemoryLayout<Int>.stride + 5_000 * 4 / 3 * 8)
  }

  @Test("an exact shard finds states by their real fingerprints")
  func shardWithRealFingerprints() {
    let shard = ExactShard<Int>()
    let fingerprint = { (value: Int) -> UInt64 in Fingerprinter.fingerprint(of: UInt64(value)) }
    for value in stride(from: 0, to: 60_000, by: 2) {
      #expect(shard.insert(fingerprint: fingerprint(value)) { value })
    }
    var found = 0
    for value in 0..<60_000 where shard.contains(fingerprint: fingerprint(value), state: { value }) { found += 1 }
    #expect(found == 30_000)
    #expect(shard.count == 30_000)
  }

  @Test("--exact counts every state of a spec whose fingerprints collide", arguments: [1, 2, 4])
  func exactSearchIgnoresCollisions(workers: Int) {
    let fingerprinted = ModularWalk().check(CheckOptions(workers: workers))
    #expect(fingerprinted.distinctStates < ModularWalk.states)
    for strategy in CheckOptions.Strategy.allCases {
      let exact = ModularWalk().check(CheckOptions(strategy: strategy, exact: true, workers: workers))
      #expect(exact.verdict == .holds)
      #expect(exact.distinctStates == ModularWalk.states)
      // Two successors per state, and the initial state, which counts as generated (as in TLC).
      #expect(exact.generatedStates == 2 * ModularWalk.states + 1)
      // Breadth-first, the deepest state is 26 steps from 0 (for example 199 = 13 × 15 + 4).
      if strategy == .breadthFirst { #expect(exact.depth == 27) }
    }
  }

  /// Successors that hold references are dropped during expansion when they are already
  /// visited, and made in the spec's successor buffer, which those kept share until the next
  /// action: with eight fingerprints, every one of those lookups must compare states.
  @Test("--exact counts every execution-model state when their fingerprints collide", arguments: [1, 3])
  func exactSearchOfSystemStatesIgnoresCollisions(workers: Int) {
    let spec = TwoPhaseMessages(resourceManagers: 3).spec
    let options = CheckOptions(stopAtFirstViolation: false, workers: workers)
    let full = spec.check(options)
    #expect(full.distinctStates == 415)
    let colliding = EightFingerprints(base: spec)
    #expect(colliding.check(options).distinctStates <= 8)
    var exactOptions = options
    exactOptions.exact = true
    func expectSameSearch<Other: Specification>(_ exact: CheckResult<Other>) {
      #expect(exact.verdict == .holds)
      #expect(exact.distinctStates == full.distinctStates)
      #expect(exact.generatedStates == full.generatedStates)
      #expect(exact.depth == full.depth)
      // Which parent reaches a state first within a level depends on the fingerprints (new
      // states are numbered shard by shard), so only the totals must agree.
      #expect(exact.coverage.map(\.generated) == full.coverage.map(\.generated))
      #expect(exact.coverage.reduce(0) { $0 + $1.distinct } == full.distinctStates - 1)
    }
    expectSameSearch(colliding.check(exactOptions))
    expectSameSearch(spec.check(exactOptions))
    // Depth-first search keeps every successor until it is looked up.
    exactOptions.strategy = .depthFirst
    for depthFirst in [colliding.check(exactOptions).summary, spec.check(exactOptions).summary] {
      #expect(depthFirst == "holds, \(full.distinctStates) distinct, \(full.generatedStates) generated")
    }
  }
}

extension CheckResult {
  /// The verdict and the counts, which every search order must agree on.
  fileprivate var summary: String { "\(verdict), \(distinctStates) distinct, \(generatedStates) generated" }
}

/// `base` with a fingerprint that only has eight values; every other requirement that the
/// breadth-first search uses is `base`'s, the successor buffer included.
struct EightFingerprints<Base: Specification>: Specification {
  let base: Base

  var name: String { base.name }
  var initialStates: [Base.State] { base.initialStates }
  var invariants: [Invariant<Base.State>] { base.invariants }
  func forEachEnabledAction(in state: Base.State, _ body: (Base.Action) -> Void) { base.forEachEnabledAction(in: state, body) }
  func apply(_ action: Base.Action, to state: inout Base.State) -> Base.Response { base.apply(action, to: &state) }
  func successorBuffer(of state: Base.State) -> Base.State? { base.successorBuffer(of: state) }
  func apply(_ action: Base.Action, toSuccessor successor: inout Base.State, of parent: Base.State) -> Base.Response {
    base.apply(action, toSuccessor: &successor, of: parent)
  }
  func restore(_ successor: inout Base.State, after action: Base.Action, from parent: Base.State) {
    base.restore(&successor, after: action, from: parent)
  }
  func isTerminal(_ state: Base.State) -> Bool { base.isTerminal(state) }
  var actionKinds: [String] { base.actionKinds }
  func actionKind(of action: Base.Action) -> Int { base.actionKind(of: action) }
  func coverageKey(of action: Base.Action) -> Int? { base.coverageKey(of: action) }
  func describe(_ action: Base.Action) -> ActionDescription { base.describe(action) }
  func fingerprint(of state: Base.State) -> UInt64 { base.fingerprint(of: state) & 7 }
}

/// A walk over 0..<200 by steps of 1 and 13, with a fingerprint that only has eight values.
struct ModularWalk: Specification {
  static let states = 200
  enum Action: Hashable, Sendable { case step(Int) }

  var name: String { "ModularWalk" }
  var initialStates: [Int] { [0] }
  var invariants: [Invariant<Int>] { [Invariant("in range") { (0..<ModularWalk.states).contains($0) }] }

  func forEachEnabledAction(in state: Int, _ body: (Action) -> Void) {
    body(.step(1))
    body(.step(13))
  }

  func apply(_ action: Action, to state: inout Int) {
    guard case .step(let by) = action else { return }
    state = (state + by) % ModularWalk.states
  }

  func fingerprint(of state: Int) -> UInt64 { UInt64(state % 8) }
}
