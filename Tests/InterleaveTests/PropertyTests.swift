import Interleave
import Testing

// MARK: Write last, read first

struct Systems: Hashable, Sendable {
  var record: Set<String> = []
  var reference: Set<String> = []
  var inFlight = false
}

typealias WLEvent = SystemEvent<String, String>
typealias WLStep = TraceStep<Systems, WLEvent, Void>

let wlrf = WriteLastReadFirst<Systems, WLEvent, Void, String, String>(
  events: { [$0.action] }, record: { $0.record }, reference: { $0.reference }, quiescent: { !$0.inFlight })

/// Builds steps from events, applying writes to the systems.
func systemSteps(_ events: [WLEvent], inFlightAtEnd: Bool = false) -> [WLStep] {
  var state = Systems(inFlight: true)
  var steps: [WLStep] = []
  for (index, event) in events.enumerated() {
    var next = state
    switch event {
    case .referenceWrite(_, let entity, let outcome) where outcome != .existsDiff: next.reference.insert(entity)
    case .recordWrite(_, let entity, let outcome) where outcome != .existsDiff: next.record.insert(entity)
    default: break
    }
    next.inFlight = index < events.count - 1 || inFlightAtEnd
    steps.append(WLStep(before: state, action: event, after: next))
    state = next
  }
  return steps
}

@Suite("Write last, read first")
struct WriteLastReadFirstTests {
  @Test("the rule followed: reference, then record, read the record first")
  func holds() {
    let steps = systemSteps([
      .referenceWrite(op: "create", entity: "u1", outcome: .created),
      .recordWrite(op: "create", entity: "u1", outcome: .created),
      .recordRead(op: "read", entity: "u1", found: true),
      .result(op: "read", entity: "u1", exists: true),
    ])
    #expect(wlrf.check(steps) == .holds)
  }

  @Test("WL-1 and WL-5: writing the record first")
  func recordFirst() {
    let verdict = wlrf.check(systemSteps([.recordWrite(op: "create", entity: "u1", outcome: .created)]))
    #expect(verdict.violation?.message.hasPrefix("WL-1") == true)
    // Traceability alone, when the record write comes from outside any tracked operation.
    var state = Systems()
    state.record = ["u9"]
    let untracked = WLStep(before: Systems(), action: .recordRead(op: "r", entity: "u9", found: true), after: state)
    #expect(wlrf.check([untracked]).violation?.message.hasPrefix("WL-5") == true)
  }

  @Test("WL-2: claiming existence without reading the record first, or after it said absent")
  func readOrder() {
    let unread = wlrf.check(systemSteps([
      .referenceRead(op: "read", entity: "u1", found: true),
      .result(op: "read", entity: "u1", exists: true),
    ]))
    #expect(unread.violation?.message.hasPrefix("WL-2") == true)
    let absent = wlrf.check(systemSteps([
      .recordRead(op: "read", entity: "u1", found: false),
      .referenceRead(op: "read", entity: "u1", found: true),
      .result(op: "read", entity: "u1", exists: true),
    ]))
    #expect(absent.violation?.message.contains("did not find it") == true)
    let honest = wlrf.check(systemSteps([
      .recordRead(op: "read", entity: "u1", found: false),
      .result(op: "read", entity: "u1", exists: false),
    ]))
    #expect(honest == .holds)
  }

  @Test("WL-3: going on after a conflicting write")
  func conflict() {
    let verdict = wlrf.check(systemSteps([
      .referenceWrite(op: "create", entity: "u1", outcome: .existsDiff),
      .recordWrite(op: "create", entity: "u1", outcome: .created),
    ]))
    #expect(verdict.violation?.message.hasPrefix("WL-3") == true)
    let stopped = wlrf.check(systemSteps([.referenceWrite(op: "create", entity: "u1", outcome: .existsDiff)]))
    #expect(stopped == .holds)
  }

  @Test("WL-4: created in the reference while the record already had it")
  func orderingDetector() {
    var steps = systemSteps([.referenceWrite(op: "create", entity: "u1", outcome: .created)])
    // The record already holds u1 (written by someone else earlier): the write answers existsSame.
    var before = steps[0].after
    before.record.insert("u1")
    steps[0].after = before
    steps.append(WLStep(before: before, action: .recordWrite(op: "create", entity: "u1", outcome: .existsSame), after: before))
    #expect(wlrf.check(steps).violation?.message.hasPrefix("WL-4") == true)
  }

  @Test("WL-6: an orphan in the reference at quiescence is an open obligation; mid-run it is not")
  func stuckOrphan() {
    let orphaned = systemSteps([.referenceWrite(op: "create", entity: "u1", outcome: .created)])
    guard case .unmetObligation(let open) = wlrf.check(orphaned) else { Issue.record("expected an obligation"); return }
    #expect(open.message.hasPrefix("WL-6"))
    #expect(wlrf.check(orphaned, complete: false) == .holds)
    let inFlight = systemSteps([.referenceWrite(op: "create", entity: "u1", outcome: .created)], inFlightAtEnd: true)
    #expect(wlrf.check(inFlight) == .holds)
  }
}

// MARK: Durable executions

typealias DEvent = DurableEvent<String, Int>
typealias DStep = TraceStep<Int, DEvent, Void>

let durable = DurableExecutionRules<Int, DEvent, Void, String, Int>(events: { [$0.action] })

func durableSteps(_ events: [(DEvent, Double)]) -> [DStep] {
  events.map { DStep(before: 0, action: $0.0, after: 0, time: $0.1) }
}

@Suite("Durable execution rules")
struct DurableExecutionRulesTests {
  let order = "order-42"

  @Test("a run with a crash that skips what is done")
  func holds() {
    let steps = durableSteps([
      (.stepBegin(execution: order, step: 0), 0), (.effect(execution: order, step: 0), 1), (.stepEnd(execution: order, step: 0, result: 7), 2),
      (.stepBegin(execution: order, step: 1), 3), (.interrupt(execution: order, cause: .crash), 4), (.resume(execution: order, time: nil), 5),
      (.stepReplay(execution: order, step: 0, result: 7), 6), (.stepBegin(execution: order, step: 1), 7),
      (.effect(execution: order, step: 1), 8), (.stepEnd(execution: order, step: 1, result: 1), 9),
      (.interrupt(execution: order, cause: .sleep(until: 20)), 10), (.resume(execution: order, time: nil), 20),
      (.stepBegin(execution: order, step: 2), 21), (.stepEnd(execution: order, step: 2, result: 3), 22),
    ])
    #expect(durable.check(steps) == .holds)
  }

  func rule(_ events: [(DEvent, Double)]) -> String? {
    durable.check(durableSteps(events)).violation.map { String($0.message.prefix(4)) }
  }

  @Test("DE-1: an effect outside an invocation")
  func checkpointBefore() {
    #expect(rule([(.effect(execution: order, step: 0), 0)]) == "DE-1")
    #expect(rule([(.stepBegin(execution: order, step: 0), 0), (.interrupt(execution: order, cause: .crash), 1), (.effect(execution: order, step: 0), 2)]) == "DE-1")
  }

  @Test("DE-2: a second completion, or a replay with another value")
  func singleCompletion() {
    #expect(rule([(.stepBegin(execution: order, step: 0), 0), (.stepEnd(execution: order, step: 0, result: 1), 1), (.stepEnd(execution: order, step: 0, result: 1), 2)]) == "DE-2")
    #expect(rule([(.stepBegin(execution: order, step: 0), 0), (.stepEnd(execution: order, step: 0, result: 1), 1), (.stepReplay(execution: order, step: 0, result: 2), 2)]) == "DE-2")
  }

  @Test("DE-3: a completed step runs again")
  func skipWhenDone() {
    let rerun: [(DEvent, Double)] = [
      (.stepBegin(execution: order, step: 0), 0), (.stepEnd(execution: order, step: 0, result: 1), 1),
      (.interrupt(execution: order, cause: .crash), 2), (.stepBegin(execution: order, step: 0), 3),
    ]
    #expect(rule(rerun) == "DE-3")
  }

  @Test("DE-4: invoked twice without an interruption")
  func reinvocation() {
    #expect(rule([(.stepBegin(execution: order, step: 0), 0), (.stepBegin(execution: order, step: 0), 1)]) == "DE-4")
    #expect(rule([(.stepBegin(execution: order, step: 0), 0), (.interrupt(execution: order, cause: .crash), 1), (.stepBegin(execution: order, step: 0), 2)]) == nil)
  }

  @Test("DE-6: more effects than invocations")
  func effectBound() {
    #expect(rule([(.stepBegin(execution: order, step: 0), 0), (.effect(execution: order, step: 0), 1), (.effect(execution: order, step: 0), 2)]) == "DE-6")
  }

  @Test("DE-8: resuming before the sleep ends, or beginning a step while asleep")
  func sleep() {
    #expect(rule([(.interrupt(execution: order, cause: .sleep(until: 10)), 0), (.resume(execution: order, time: 5), 5)]) == "DE-8")
    #expect(rule([(.interrupt(execution: order, cause: .sleep(until: 10)), 0), (.stepBegin(execution: order, step: 1), 3)]) == "DE-8")
    #expect(rule([(.interrupt(execution: order, cause: .sleep(until: 10)), 0), (.resume(execution: order, time: nil), 10)]) == nil)
  }
}

// MARK: Patterns and closures

typealias IntStep = TraceStep<Int, String, Void>
func labels(_ names: [String]) -> [IntStep] { names.map { IntStep(before: 0, action: $0, after: 0) } }

@Suite("Specification patterns")
struct PatternTests {
  @Test func absence() {
    let noPanic = Absence<Int, String, Void>("no panic") { $0.action == "panic" }
    #expect(noPanic.check(labels(["a", "b"])) == .holds)
    #expect(noPanic.check(labels(["a", "panic"])) == .violated(step: 1, PropertyViolation(property: "no panic", message: "a forbidden step happened")))
  }

  @Test func existence() {
    let commits = Existence<Int, String, Void>("eventually commits") { $0.action == "commit" }
    #expect(commits.check(labels(["a", "commit"])) == .holds)
    #expect(commits.check(labels(["a", "b"])) == .unmetObligation(PropertyViolation(property: "eventually commits", message: "the trace ended before the required step happened")))
    #expect(commits.check(labels(["a"]), complete: false) == .holds)
  }

  @Test func precedence() {
    let grantFirst = Precedence<Int, String, Void>("access after grant", cause: { $0.action == "grant" }, effect: { $0.action == "access" })
    #expect(grantFirst.check(labels(["grant", "access", "access"])) == .holds)
    #expect(grantFirst.check(labels(["access", "grant"])).violation != nil)
  }

  @Test func boundedResponse() {
    let acked = BoundedResponse<Int, String, Void>("ack within 2", within: 2, trigger: { $0.action == "send" }, response: { $0.action == "ack" })
    #expect(acked.check(labels(["send", "x", "ack", "send", "ack"])) == .holds)
    #expect(acked.check(labels(["send", "x", "y"])) == .violated(step: 2, PropertyViolation(property: "ack within 2", message: "no response within 2 steps of the trigger")))
    #expect(acked.check(labels(["send", "x"])).violation?.message.contains("ended") == true)
  }

  @Test("a closure property, and several properties at once in the model checker")
  func closureAndComposition() throws {
    let evenFirst = ClosureProperty("first add is even", for: Counter.self, memory: false) { step, seen in
      defer { seen = true }
      if !seen, case .add(let amount) = step.action, amount % 2 != 0 { return "the first add was odd" }
      return nil
    }
    #expect(evenFirst.check(Counter(limit: 3).run([.add(amount: 2), .add(amount: 1)], from: 0)!.traceSteps) == .holds)
    #expect(evenFirst.check(Counter(limit: 3).run([.add(amount: 1)], from: 0)!.traceSteps).violation != nil)

    let neverThree = Absence<Int, Counter.Action, Int>("never three") { $0.after == 3 }
    let spec = Counter(limit: 3).monitored {
      neverThree
      evenFirst
    }
    var options = CheckOptions(stopAtFirstViolation: false)
    options.checkDeadlock = false
    let result = spec.check(options)
    #expect(Set(result.violations.map(\.name)) == ["never three", "first add is even"])
    #expect(result.violations.allSatisfy { $0.kind == .property })
    let first = try #require(result.violations.first { $0.name == "first add is even" })
    #expect(first.trace.steps.count == 1)
  }

  @Test("end-of-trace obligations are checked where a trace ends in the model checker")
  func obligationsInModelChecker() throws {
    let reachesThree = Existence<Int, Counter.Action, Int>("reaches three") { $0.after == 3 }
    var options = CheckOptions()
    options.checkDeadlock = false
    // Without reset, 0 -> 2 is not a dead end (2 -> 3 exists), but 0 -> 1 -> 2 ... every path ends at 3 or 2 with limit 2.
    let stuckAtTwo = Counter(limit: 2, allowReset: false).monitored { reachesThree }
    let violation = try #require(stuckAtTwo.check(options).violation)
    #expect(violation.kind == .property)
    #expect(violation.trace.finalState.base == 2)
    #expect(Counter(limit: 3, allowReset: false).monitored { reachesThree }.check(options).verdict == .holds)
  }
}
