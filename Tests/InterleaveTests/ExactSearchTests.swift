@testable import Interleave
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
