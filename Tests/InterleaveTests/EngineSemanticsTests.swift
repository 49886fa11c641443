import Interleave
import Testing

/// A counter that can step by 1 or 2 up to a limit, and reset: small enough to count by hand.
/// Ten initial states (two of them equal) and no actions.
struct ManyRoots: Specification {
  var name: String { "ManyRoots" }
  var initialStates: [Int] { [0, 1, 2, 2, 3, 4, 5, 6, 7, 8, 9] }
  func forEachEnabledAction(in state: Int, _ body: (Int) -> Void) {}
  func apply(_ action: Int, to state: inout Int) {}
  func isTerminal(_ state: Int) -> Bool { true }
}

/// States 0 to 3; from each state below 3, forty actions of forty kinds (named `kind0` to
/// `kind39`, found as actions come) all step to the next state.
struct ManyKinds: Specification {
  static let kinds = 40
  var name: String { "ManyKinds" }
  var initialStates: [Int] { [0] }
  func forEachEnabledAction(in state: Int, _ body: (Int) -> Void) {
    guard state < 3 else { return }
    for kind in 0..<Self.kinds { body(kind) }
  }
  func apply(_ action: Int, to state: inout Int) { state += 1 }
  func describe(_ action: Int) -> ActionDescription { ActionDescription(name: "kind\(action)") }
  func isTerminal(_ state: Int) -> Bool { state == 3 }
}

struct Counter: Specification {
  enum Action: Hashable, Sendable {
    case add(amount: Int)
    case reset
  }

  var limit = 5
  var allowReset = true
  var constraintBound: Int? = nil
  var terminalAtLimit = false
  var brokenEnsures = false
  var name: String { "Counter" }
  var initialStates: [Int] { [0] }

  func forEachEnabledAction(in state: Int, _ body: (Action) -> Void) {
    if state + 1 <= limit { body(.add(amount: 1)) }
    if state + 2 <= limit { body(.add(amount: 2)) }
    if allowReset && state > 0 { body(.reset) }
  }

  func apply(_ action: Action, to state: inout Int) -> Int {
    switch action {
    case .add(let amount): state += amount
    case .reset: state = 0
    }
    return state
  }

  var invariants: [Invariant<Int>] { [Invariant("below four") { $0 < 4 }] }

  func brokenPostcondition(from old: Int, by action: Action, response: Int, to new: Int) -> BrokenPostcondition? {
    guard case .add(let amount) = action else { return nil }
    let expected = brokenEnsures && old == 2 ? old : old + amount
    return new == expected && response == new ? nil : BrokenPostcondition(rule: "add", condition: "adds the amount")
  }

  func isWithinConstraint(_ state: Int) -> Bool { constraintBound.map { state <= $0 } ?? true }
  func isTerminal(_ state: Int) -> Bool { terminalAtLimit && state == limit }
}

@Suite("Engine semantics")
struct EngineSemanticsTests {
  @Test("TLC counting: generated includes initial states, duplicates and self-loops")
  func counting() {
    // States 0...3 are stored (4 violates "below four" and stops the run at once under BFS).
    let all = Counter(limit: 3).check(CheckOptions(stopAtFirstViolation: false))
    // 0 -> 1, 2;  1 -> 2, 3, 0;  2 -> 3, 0;  3 -> 0
    #expect(all.verdict == .holds)
    #expect(all.distinctStates == 4)
    #expect(all.generatedStates == 1 + 2 + 3 + 2 + 1)
    #expect(all.depth == 3)
    let coverage = Dictionary(uniqueKeysWithValues: all.coverage.map { ($0.action, $0) })
    #expect(coverage["add"]?.generated == 5)
    #expect(coverage["add"]?.distinct == 3)
    #expect(coverage["reset"]?.generated == 3)
    #expect(coverage["reset"]?.distinct == 0)
  }

  @Test("an invariant violation has the shortest trace under BFS")
  func invariant() throws {
    let violation = try #require(Counter(limit: 6).check().violation)
    #expect(violation.kind == .invariant)
    #expect(violation.name == "below four")
    #expect(violation.trace.finalState == 4)
    #expect(violation.trace.steps.count == 2)  // 0 -> 2 -> 4
    #expect(violation.trace.steps.map(\.response) == [2, 4])
  }

  @Test("a broken post-condition names the rule and the condition, at the bad step")
  func postcondition() throws {
    let result = Counter(limit: 3, brokenEnsures: true).check()
    let violation = try #require(result.violation)
    #expect(violation.kind == .postcondition)
    #expect(violation.name == "add: adds the amount")
    #expect(violation.trace.steps.count == 2)
    #expect(violation.trace.steps[0].state == 2)
  }

  @Test("TLC constraint semantics: outside successors are checked but neither stored nor expanded")
  func constraint() throws {
    // With the constraint x <= 2, 3 and 4 are generated but not stored; 4 still breaks the invariant.
    let result = Counter(limit: 6, constraintBound: 2).check(CheckOptions(stopAtFirstViolation: false))
    #expect(result.distinctStates == 3)
    let violation = try #require(result.violation)
    #expect(violation.name == "below four")
    #expect(violation.trace.finalState == 4)
    // Nothing beyond the constraint was expanded, so 5 and 6 were never generated.
    #expect(result.generatedStates == 1 + 2 + 3 + 3)
  }

  @Test("deadlock: reported by default, not for terminal states, not with the option off")
  func deadlock() throws {
    let stuck = Counter(limit: 2, allowReset: false)
    let violation = try #require(stuck.check().violation)
    #expect(violation.kind == .deadlock)
    #expect(violation.trace.finalState == 2)
    #expect(Counter(limit: 2, allowReset: false, terminalAtLimit: true).check().verdict == .holds)
    var options = CheckOptions()
    options.checkDeadlock = false
    #expect(stuck.check(options).verdict == .holds)
  }

  @Test("--continue reports each violated property once")
  func continueReportsOnce() {
    let result = Counter(limit: 8, brokenEnsures: true).check(CheckOptions(stopAtFirstViolation: false))
    #expect(result.violations.map(\.kind).sorted { $0.rawValue < $1.rawValue } == [.invariant, .postcondition])
    #expect(result.distinctStates == 9)
  }

  @Test("bounds make the verdict inconclusive, with the reason")
  func bounds() {
    let states = Counter(limit: 3).check(CheckOptions(maxStates: 2))
    #expect(states.verdict == .inconclusive)
    #expect(states.distinctStates == 2)
    #expect(states.inconclusiveReason?.contains("--max-states") == true)
    let depth = Counter(limit: 3).check(CheckOptions(maxDepth: 2))
    #expect(depth.verdict == .inconclusive)
    #expect(depth.depth == 2)
    // A bound that is not reached leaves the verdict alone.
    #expect(Counter(limit: 3).check(CheckOptions(maxStates: 4)).verdict == .holds)
  }

  @Test("the state bound stops among the initial states, for both strategies")
  func boundAmongInitialStates() {
    for strategy in [CheckOptions.Strategy.breadthFirst, .depthFirst] {
      var options = CheckOptions(maxStates: 4)
      options.strategy = strategy
      let result = ManyRoots().check(options)
      #expect(result.verdict == .inconclusive)
      #expect(result.distinctStates == 4)
      #expect(result.inconclusiveReason?.contains("--max-states") == true)
      options.maxStates = 10
      #expect(ManyRoots().check(options).verdict == .holds)
    }
  }

  @Test("actions never enabled are flagged")
  func neverEnabled() {
    let result = Counter(limit: 1).check()
    // limit 1: add(2) is never enabled, but it shares the kind "add" with add(1).
    #expect(result.neverEnabledActions.isEmpty)
    let builder = Spec("Stuck", initial: 0) {
      Rule("go", requires: { $0 < 1 }) { $0 += 1 }
      Rule("never", requires: { $0 > 5 }) { $0 = 0 }
    }
    var options = CheckOptions()
    options.checkDeadlock = false
    #expect(builder.check(options).neverEnabledActions == ["never"])
  }

  @Test("coverage counts every kind when more kinds turn up than a worker first has room for")
  func manyCoverageKinds() {
    for (strategy, workers) in [(CheckOptions.Strategy.breadthFirst, 1), (.breadthFirst, 3), (.depthFirst, 1)] {
      let result = ManyKinds().check(CheckOptions(strategy: strategy, workers: workers))
      #expect(result.distinctStates == 4)
      #expect(result.generatedStates == 1 + 3 * ManyKinds.kinds)
      #expect(result.coverage.count == ManyKinds.kinds)
      // States 0, 1 and 2 each enable every kind once; the first kind reaches each new state.
      #expect(result.coverage.allSatisfy { $0.generated == 3 })
      #expect(result.coverage.map(\.distinct).reduce(0, +) == 3)
      #expect(result.coverage.first { $0.action == "kind0" }?.distinct == 3)
    }
  }

  @Test("a builder spec's copy for a worker behaves exactly like the spec")
  func builderWorkerCopy() {
    let spec = Spec("Copy", initial: 0, constraint: { $0 < 9 }, terminal: { $0 == 7 }) {
      Rule("add", ["by": 2], requires: { $0 < 6 }) { $0 += 2 }
        .requires("even") { $0 % 2 == 0 }
        .ensures("grew") { old, new in new > old }
      Rule.answering("reset", requires: { $0 > 3 }) { state in
        state = 0
        return .string("done")
      }
    } invariants: {
      Invariant("below eight") { $0 < 8 }
    }
    let copy = spec.copyForWorker()
    for state in 0..<10 {
      var enabled: [Spec<Int>.Action] = [], copied: [Spec<Int>.Action] = []
      spec.forEachEnabledAction(in: state) { enabled.append($0) }
      copy.forEachEnabledAction(in: state) { copied.append($0) }
      #expect(enabled == copied, "enabled in \(state)")
      for action in enabled {
        var a = state, b = state
        let responseA = spec.apply(action, to: &a)
        let responseB = copy.apply(action, to: &b)
        #expect(a == b && responseA == responseB)
        #expect(
          spec.brokenPostcondition(from: state, by: action, response: responseA, to: a)
            == copy.brokenPostcondition(from: state, by: action, response: responseB, to: b))
      }
      #expect(spec.invariants.map { $0.holds(state) } == copy.invariants.map { $0.holds(state) })
      #expect(spec.isWithinConstraint(state) == copy.isWithinConstraint(state))
      #expect(spec.isTerminal(state) == copy.isTerminal(state))
      #expect(spec.disabledReason(named: "add", arguments: ["by": 2], in: state)
        == copy.disabledReason(named: "add", arguments: ["by": 2], in: state))
    }
    #expect(spec.check(CheckOptions(workers: 1)).distinctStates == spec.check(CheckOptions(workers: 3)).distinctStates)
  }

  @Test("action positions past 254 are stored, deduplicated and replayed", arguments: [1, 2, 3])
  func wideFanOut(workers: Int) throws {
    // 0 has 320 successors; positions 300...319 repeat the states of positions 260...279, which
    // candidates keep only as "past 254" and parent logs as wide entries.
    let all = WideFanOut().check(CheckOptions(stopAtFirstViolation: false, workers: workers))
    #expect(all.distinctStates == 1 + 300 + 3)
    #expect(all.generatedStates == 1 + 320 + 300)
    #expect(all.violations.count == 1)
    let violation = try #require(WideFanOut().check(CheckOptions(workers: workers)).violation)
    #expect(violation.trace.actions == [.pick(298)])
    #expect(violation.trace.finalState == 299)
    let exact = WideFanOut().check(CheckOptions(stopAtFirstViolation: false, exact: true, workers: workers))
    #expect(exact.distinctStates == all.distinctStates)
    #expect(exact.violation?.trace.actions == [.pick(298)])
    let deep = try #require(WideFanOut().check(CheckOptions(strategy: .depthFirst, workers: workers)).violation)
    #expect(deep.trace.actions == [.pick(298)])
  }
  @Test("a depth-first counterexample replays through parents stored 70,000 states apart")
  func farParents() throws {
    let result = Odometer().check(CheckOptions(strategy: .depthFirst))
    let violation = try #require(result.violation)
    #expect(result.internalError == nil)
    #expect(result.distinctStates > 70_000)
    #expect(violation.trace.actions == Array(repeating: .turn(digit: 2), count: 41))
    #expect(violation.trace.finalState == 41)
    // Breadth-first, the same (only) path.
    let wide = try #require(Odometer().check(CheckOptions(workers: 2)).violation)
    #expect(wide.trace.actions == violation.trace.actions)
  }
}


/// Three digits in base `base`, each turned up one at a time; the invariant fails at 0-0-(base-1),
/// which a depth-first search meets last: the third digit's branch from the root waits at the
/// bottom of the stack while every other state is stored.
struct Odometer: Specification {
  enum Action: Hashable, Sendable {
    case turn(digit: Int)
  }

  var base = 42
  var name: String { "Odometer" }
  var initialStates: [Int] { [0] }

  func forEachEnabledAction(in state: Int, _ body: (Action) -> Void) {
    let digits = [state / (base * base), state / base % base, state % base]
    for digit in 0..<3 where digits[digit] < base - 1 { body(.turn(digit: digit)) }
  }

  func apply(_ action: Action, to state: inout Int) {
    guard case .turn(let digit) = action else { return }
    state += [base * base, base, 1][digit]
  }

  var invariants: [Invariant<Int>] { [Invariant("not 0-0-top") { $0 != base - 1 }] }
  func isTerminal(_ state: Int) -> Bool { true }
}

/// A state with more successors than an action position byte holds: 0 picks one of 320 actions
/// (positions 300...319 lead where positions 260...279 do), then every pick settles in 400...402.
struct WideFanOut: Specification {
  enum Action: Hashable, Sendable {
    case pick(Int)
    case settle
  }

  var name: String { "WideFanOut" }
  var initialStates: [Int] { [0] }

  func forEachEnabledAction(in state: Int, _ body: (Action) -> Void) {
    if state == 0 {
      for position in 0..<320 { body(.pick(position)) }
    } else if state <= 300 {
      body(.settle)
    }
  }

  func apply(_ action: Action, to state: inout Int) -> Int {
    switch action {
    case .pick(let position): state = position < 300 ? position + 1 : position - 40 + 1
    case .settle: state = 400 + state % 3
    }
    return state
  }

  var invariants: [Invariant<Int>] { [Invariant("not 299") { $0 != 299 }] }
  func isTerminal(_ state: Int) -> Bool { state >= 400 }
}
