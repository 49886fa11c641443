import Interleave
import InterleaveSpecs
import Testing

/// Exact and fingerprint search, and BFS and DFS, must agree on what is reachable.
@Suite("Searches agree")
struct SearchAgreementTests {
  static func counts<S: Specification>(_ spec: S, _ options: CheckOptions) -> (Int, Int) {
    let result = spec.check(options)
    return (result.distinctStates, result.generatedStates)
  }

  @Test("exact Set<State> search equals fingerprint search")
  func exactMatchesFingerprints() {
    let all = CheckOptions(stopAtFirstViolation: false)
    var exact = all
    exact.exact = true
    for rm in 1...5 {
      #expect(Self.counts(TwoPhase(resourceManagers: rm), all) == Self.counts(TwoPhase(resourceManagers: rm), exact))
    }
    #expect(Self.counts(TCommit(resourceManagers: 4), all) == Self.counts(TCommit(resourceManagers: 4), exact))
    #expect(Self.counts(DieHard.spec(), all) == Self.counts(DieHard.spec(), exact))
    #expect(Self.counts(Increment.spec(threads: 3), all) == Self.counts(Increment.spec(threads: 3), exact))
    #expect(Self.counts(Peterson.spec(), all) == Self.counts(Peterson.spec(), exact))
    #expect(TwoPhase(resourceManagers: 4).check(exact).collisionProbability == 0)
  }

  @Test("BFS and DFS store the same states and generate the same successors")
  func breadthAndDepthFirstAgree() {
    var bfs = CheckOptions(stopAtFirstViolation: false)
    var dfs = bfs
    dfs.strategy = .depthFirst
    bfs.strategy = .breadthFirst
    #expect(Self.counts(TwoPhase(resourceManagers: 4), bfs) == Self.counts(TwoPhase(resourceManagers: 4), dfs))
    #expect(Self.counts(Increment.spec(threads: 3), bfs) == Self.counts(Increment.spec(threads: 3), dfs))
    #expect(Self.counts(DieHard.spec(), bfs) == Self.counts(DieHard.spec(), dfs))
  }

  @Test("DFS finds a violation too, and its trace replays")
  func depthFirstViolation() throws {
    let spec = DieHard.spec()
    let result = spec.check(CheckOptions(strategy: .depthFirst))
    let violation = try #require(result.violation)
    #expect(violation.name == "NotSolved")
    #expect(violation.trace.finalState.big == 4)
    #expect(violation.trace.steps.count >= 6)
    #expect(spec.run(violation.trace.actions, from: DieHard.State()) != nil)
  }

  @Test("the builder and the protocol give the same numbers for TwoPhase")
  func builderMatchesProtocol() {
    for rm in [2, 3, 4] {
      let fast = TwoPhase(resourceManagers: rm).check()
      let readable = ReadableTwoPhase.spec(rm: rm).check()
      #expect(readable.verdict == .holds)
      #expect(readable.distinctStates == fast.distinctStates)
      #expect(readable.generatedStates == fast.generatedStates)
      #expect(readable.depth == fast.depth)
      #expect(readable.coverage.map(\.generated).reduce(0, +) == fast.coverage.map(\.generated).reduce(0, +))
    }
  }

  @Test("the same run twice gives the same counterexample")
  func deterministic() throws {
    let first = try #require(TwoPhase(resourceManagers: 4, variant: .eagerCommit).check().violation)
    let second = try #require(TwoPhase(resourceManagers: 4, variant: .eagerCommit).check().violation)
    #expect(first.trace.actions == second.trace.actions)
  }
}

/// TwoPhase written with the builder, with plain Swift collections and reflection defaults.
enum ReadableTwoPhase {
  enum Message: Hashable, Sendable {
    case prepared(rm: Int)
    case commit
    case abort
  }

  struct State: Hashable, Sendable {
    var rmState: [String]
    var tmState = "init"
    var tmPrepared: Set<Int> = []
    var msgs: Set<Message> = []
  }

  static func spec(rm count: Int) -> Spec<State> {
    Spec("ReadableTwoPhase", initial: State(rmState: Array(repeating: "working", count: count))) {
      Rule("TMCommit", requires: { $0.tmState == "init" && $0.tmPrepared.count == count }) { s in
        s.tmState = "committed"
        s.msgs.insert(.commit)
      }
      Rule("TMAbort", requires: { $0.tmState == "init" }) { s in
        s.tmState = "aborted"
        s.msgs.insert(.abort)
      }
      for rm in 0..<count {
        Rule("TMRcvPrepared", ["rm": rm + 1], requires: { $0.tmState == "init" && $0.msgs.contains(.prepared(rm: rm)) }) {
          $0.tmPrepared.insert(rm)
        }
        Rule("RMPrepare", ["rm": rm + 1], requires: { $0.rmState[rm] == "working" }) { s in
          s.rmState[rm] = "prepared"
          s.msgs.insert(.prepared(rm: rm))
        }
        Rule("RMChooseToAbort", ["rm": rm + 1], requires: { $0.rmState[rm] == "working" }) { $0.rmState[rm] = "aborted" }
        Rule("RMRcvCommitMsg", ["rm": rm + 1], requires: { $0.msgs.contains(.commit) }) { $0.rmState[rm] = "committed" }
        Rule("RMRcvAbortMsg", ["rm": rm + 1], requires: { $0.msgs.contains(.abort) }) { $0.rmState[rm] = "aborted" }
      }
    } invariants: {
      Invariant("TCConsistent") { !($0.rmState.contains("committed") && $0.rmState.contains("aborted")) }
    }
  }
}
