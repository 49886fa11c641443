import Interleave
import InterleaveSpecs
import Testing

/// Hand-written steps of a register: the action is (key, payload), the state is x plus a
/// bookkeeping counter that the projection leaves out.
struct Register: Hashable, Sendable {
  var x: Int
  var requests = 0
}

struct Request: Hashable, Sendable {
  var key: String
  var value: Int
}

typealias RegisterStep = TraceStep<Register, Request, String>

func step(_ before: Int, _ key: String, _ value: Int, _ after: Int, _ response: String = "ok", time: Double? = nil) -> RegisterStep {
  RegisterStep(before: Register(x: before), action: Request(key: key, value: value), response: response, after: Register(x: after, requests: 1), time: time)
}

let idempotence = TraceIdempotence<Register, Request, String, String, Int>(key: { $0.key }, observe: { $0.x })

@Suite("Trace idempotence on hand-written steps")
struct IdempotenceStepTests {
  @Test("the unkeyed PUT: classically idempotent, not trace-idempotent (Def I-1)")
  func canonicalCounterexample() throws {
    let trace = [step(0, "kA", 5, 5), step(5, "kB", 6, 6), step(6, "kA", 5, 5)]
    let verdict = idempotence.check(trace)
    guard case .violated(let index, let violation) = verdict else { Issue.record("expected a violation"); return }
    #expect(index == 2)
    #expect(violation.property == "trace idempotence")
    #expect(violation.message.contains("\"kA\""))
    #expect(violation.message.contains("6 -> 5"))
    // The keyed server answers the retry without touching x.
    #expect(idempotence.check([step(0, "kA", 5, 5), step(5, "kB", 6, 6), step(6, "kA", 5, 6)]) == .holds)
    // Applying the same PUT twice in a row is a no-op: classical idempotence is satisfied.
    #expect(idempotence.check([step(0, "kA", 5, 5), step(5, "kA", 5, 5)]) == .holds)
  }

  @Test("a step window: a replay inside must be a no-op, one outside is a new application (Def I-2)")
  func stepWindow() {
    // Window of 3 steps: replays at j - anchor < 3 are inside.
    let bounded = idempotence.window(.steps(3))
    // Replay two steps after the anchor: inside the window.
    #expect(bounded.check([step(0, "k", 1, 1), step(1, "o", 7, 7), step(7, "k", 1, 1)]).violation != nil)
    // Replay three steps after: outside, a new application that may change the state...
    let outside = [step(0, "k", 1, 1), step(1, "o", 7, 7), step(7, "o2", 8, 8), step(8, "k", 1, 1)]
    #expect(bounded.check(outside) == .holds)
    #expect(idempotence.check(outside).violation != nil)
    // ...and becomes the new anchor: a replay right after it is inside again.
    #expect(bounded.check(outside + [step(1, "o", 7, 7), step(7, "k", 1, 1)]).violation != nil)
  }

  @Test("a time window uses the step clock")
  func timeWindow() {
    let bounded = idempotence.window(.time(10))
    #expect(bounded.check([step(0, "k", 1, 1, time: 0), step(1, "o", 2, 2, time: 5), step(2, "k", 1, 1, time: 9)]).violation != nil)
    #expect(bounded.check([step(0, "k", 1, 1, time: 0), step(1, "o", 2, 2, time: 5), step(2, "k", 1, 1, time: 10)]) == .holds)
  }

  @Test("response rules: exact, ignoring a marker, same outcome class, none (Def I-3)")
  func responseRules() {
    let replayed = [step(0, "k", 1, 1, "ok"), step(1, "k", 1, 1, "ok, deduplicated")]
    #expect(idempotence.check(replayed).violation?.message.contains("answered") == true)
    let withMarker = [step(0, "k", 1, 1, "{}"), step(1, "k", 1, 1, "deduplicated")]
    #expect(idempotence.responses(.ignoringMarker("deduplicated")).check(withMarker).violation != nil)
    let objectResponses = TraceIdempotence<Register, Request, JSONValue, String, Int>(key: { $0.key }, observe: { $0.x })
      .responses(.ignoringMarker("deduplicated"))
    let first = TraceStep(before: Register(x: 0), action: Request(key: "k", value: 1), response: ["status": "ok"] as JSONValue, after: Register(x: 1))
    let replay = TraceStep(
      before: Register(x: 1), action: Request(key: "k", value: 1), response: ["status": "ok", "deduplicated": true] as JSONValue, after: Register(x: 1))
    let differs = TraceStep(
      before: Register(x: 1), action: Request(key: "k", value: 1), response: ["status": "failed", "deduplicated": true] as JSONValue, after: Register(x: 1))
    #expect(objectResponses.check([first, replay]) == .holds)
    #expect(objectResponses.check([first, differs]).violation != nil)
    // TigerBeetle: ok then exists are the same outcome class.
    let tigerBeetle = idempotence.responses(.sameOutcomeClass { $0 == "ok" || $0 == "exists" ? "success" : "failure" })
    #expect(tigerBeetle.check([step(0, "k", 1, 1, "ok"), step(1, "k", 1, 1, "exists")]) == .holds)
    #expect(tigerBeetle.check([step(0, "k", 1, 1, "ok"), step(1, "k", 1, 1, "insufficient funds")]).violation != nil)
    #expect(idempotence.responses(.none).check(replayed) == .holds)
    // Even with no response rule, the state condition stays.
    #expect(idempotence.responses(.none).check([step(0, "k", 1, 1), step(1, "k", 1, 2)]).violation != nil)
  }

  @Test("a key reused with another payload must be a no-op answered with an error (Def I-4)")
  func payloadBinding() {
    let bound = idempotence.payload({ $0.value }, mismatch: { $0 == "422 mismatch" })
    #expect(bound.check([step(0, "k", 1, 1), step(1, "k", 2, 1, "422 mismatch")]) == .holds)
    let accepted = bound.check([step(0, "k", 1, 1), step(1, "k", 2, 1, "ok")])
    #expect(accepted.violation?.message.contains("mismatch") == true)
    let applied = bound.check([step(0, "k", 1, 1), step(1, "k", 2, 2, "422 mismatch")])
    #expect(applied.violation?.message.contains("another payload") == true)
  }

  @Test("strict and non-strict deduplication (Def I-6)")
  func strictness() {
    // The state moved on (another request) between the first application and the replay.
    let moved = [step(0, "k", 1, 1, "created"), step(1, "o", 2, 2), step(2, "k", 1, 2, "already resolved")]
    // Non-strict (Tornow): the replay must answer like the first application.
    #expect(idempotence.check(moved).violation != nil)
    // Strict: once the state moved on, the replay must be rejected.
    let strict = idempotence.strict(rejects: { $0.hasPrefix("already") })
    #expect(strict.check(moved) == .holds)
    let answeredAsNew = [step(0, "k", 1, 1, "created"), step(1, "o", 2, 2), step(2, "k", 1, 2, "created")]
    #expect(strict.check(answeredAsNew).violation != nil)
    // While the state is unchanged, strict behaves like non-strict.
    #expect(strict.check([step(0, "k", 1, 1, "created"), step(1, "k", 1, 1, "created")]) == .holds)
  }
}

@Suite("Idempotence in the model checker")
struct IdempotenceModelTests {
  @Test("Put unkeyed: a property violation in 3 steps; keyed: holds")
  func put() throws {
    let unkeyed = Put(keyed: false).monitored { Put.idempotence }.check()
    let violation = try #require(unkeyed.violation)
    #expect(violation.kind == .property)
    #expect(violation.name == "trace idempotence")
    #expect(violation.trace.steps.count == 3)
    #expect(violation.trace.actions.map(\.key) == ["kA", "kB", "kA"])
    #expect(violation.trace.finalState.base.x == 5)
    let keyed = Put(keyed: true).monitored { Put.idempotence }.check()
    #expect(keyed.verdict == .holds)
  }

  @Test("the CLI reports Put's violation as a property with 3 steps")
  func putCLI() throws {
    let (status, out, _) = runCLI(["check", "Put", "--param", "keyed=false", "--json"])
    #expect(status == 1)
    let violation = try #require(try parseJSON(out)["violation"] as? [String: Any])
    #expect(violation["kind"] as? String == "property")
    #expect((violation["name"] as? String)?.contains("idempotence") == true)
    #expect((violation["steps"] as? [Any])?.count == 4)
    #expect(runCLI(["check", "Put", "--param", "keyed=true"]).status == 0)
  }

  @Test("Deposit: retention >= window holds; shorter retention re-applies inside the window")
  func boundedDeposit() throws {
    #expect(Deposit(retention: 3, window: 3).monitored { Deposit(retention: 3, window: 3).boundedIdempotence }.check().verdict == .holds)
    let short = Deposit(retention: 2, window: 3)
    let violation = try #require(short.monitored { short.boundedIdempotence }.check().violation)
    #expect(violation.kind == .property)
    #expect(violation.trace.steps.count == 5)
    #expect(violation.trace.finalState.base.balance == 20)
  }

  @Test("Deposit: a replay outside the window is a new application, which unbounded idempotence forbids")
  func outsideWindow() throws {
    let spec = Deposit(retention: 3, window: 3)
    let unbounded = TraceIdempotence("unbounded", for: Deposit.self, key: { $0.depositKey }, observe: { $0.balance })
      .responses(.ignoringMarker("deduplicated"))
    let violation = try #require(spec.monitored { unbounded }.check().violation)
    // deposit, three ticks, prune, deposit: the replay at time 3 deposits again.
    #expect(violation.trace.steps.count == 6)
    #expect(spec.monitored { spec.boundedIdempotence }.check().verdict == .holds)
  }

  @Test("at most one effect per key, from a spec")
  func atMostOnce() throws {
    let effects = AtMostOnceEffect<Put.State, Put.Action, String, String>("one write per key") { step in
      step.after.x != step.before.x || step.before.applied.count != step.after.applied.count ? step.action.key : nil
    }
    let violation = try #require(Put(keyed: false).monitored { effects }.check().violation)
    #expect(violation.name == "one write per key")
    // A, then A again (no change of x, but the unkeyed server wrote)... the shortest is A, B, A.
    #expect(violation.trace.steps.count == 3)
    #expect(Put(keyed: true).monitored { effects }.check().verdict == .holds)
  }
}
