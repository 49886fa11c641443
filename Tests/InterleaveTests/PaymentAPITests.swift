import Interleave
import InterleaveSpecs
import InterleaveTesting
import Testing

@Suite("PaymentAPI (E1)")
struct PaymentAPITests {
  static func check(_ variant: PaymentAPI.Variant, _ options: CheckOptions = CheckOptions())
    -> CheckResult<MonitoredSpec<SystemSpec<PaymentAPI>, AtMostOnceEffect<SystemState<PaymentAPI>, SystemAction<PaymentAPI>, [PaymentAPI.Event], String>>>
  {
    PaymentAPI(variant: variant).spec.monitored { PaymentAPI.atMostOnceCharge }.check(options)
  }

  static func names(_ actions: [SystemAction<PaymentAPI>]) -> [String] {
    actions.map { PaymentAPI().spec.describe($0).name }
  }

  @Test("correct: keys claimed atomically and reconciled on restart; at most one charge")
  func correct() {
    let result = Self.check(.correct)
    #expect(result.verdict == .holds)
    #expect(result.distinctStates == 107)
    #expect(result.generatedStates == 178)
    #expect(result.depth == 12)
    expectSearchesAgree(PaymentAPI().spec.monitored { PaymentAPI.atMostOnceCharge })
    var all = CheckOptions(stopAtFirstViolation: false)
    all.workers = 3
    #expect(Self.check(.correct, all).distinctStates == 107)
  }

  @Test("unkeyed: the original and its retry both charge, no crash needed")
  func unkeyed() throws {
    let violation = try #require(Self.check(.unkeyed).violation)
    #expect(violation.kind == .property)
    #expect(violation.name == "at most one charge per key")
    let names = Self.names(violation.trace.actions)
    #expect(names.count == 7)
    #expect(names.filter { $0 == "charge" }.count == 2)
    #expect(names.contains("timeout") && !names.contains("crash"))
  }

  @Test("keyAfterEffect: a crash between the charge and the key write, then the retry charges again")
  func keyAfterEffect() throws {
    let violation = try #require(Self.check(.keyAfterEffect).violation)
    #expect(violation.name == "at most one charge per key")
    let names = Self.names(violation.trace.actions)
    #expect(names == ["deliver", "check", "timeout", "charge", "crash", "restart", "deliver", "check", "charge"])
    // The key table never saw the key: the crash fell between the effect and the key write.
    let crashIndex = try #require(names.firstIndex(of: "crash"))
    #expect(violation.trace.states[crashIndex].base[1].durable.keys.isEmpty)
    #expect(violation.trace.finalState.base.shared.ledger == ["k1", "k1"])
  }

  @Test("checkThenInsert: both requests pass the check before either claims the key")
  func checkThenInsert() throws {
    let violation = try #require(Self.check(.checkThenInsert).violation)
    #expect(violation.name == "at most one charge per key")
    let names = Self.names(violation.trace.actions)
    #expect(names.count == 9)
    #expect(!names.contains("crash"))
    // Two checks happen before the first claim.
    let firstClaim = try #require(names.firstIndex(of: "claim"))
    #expect(names[..<firstClaim].filter { $0 == "check" }.count == 2)
  }

  @Test("the correct server holds with more retries and crashes too")
  func correctWithMoreFaults() {
    let result = PaymentAPI(variant: .correct, retries: 2, crashes: 2).spec.monitored { PaymentAPI.atMostOnceCharge }.check()
    #expect(result.verdict == .holds)
    #expect(result.distinctStates > 107)
  }

  @Test("the test helpers take a system's spec unchanged")
  func testHelpers() {
    expectHolds(PaymentAPI().spec.monitored { PaymentAPI.atMostOnceCharge })
    withKnownIssue {
      expectHolds(PaymentAPI(variant: .keyAfterEffect).spec.monitored { PaymentAPI.atMostOnceCharge })
    } matching: { issue in
      issue.comments.contains { $0.rawValue.contains("Property at most one charge per key is violated after 9 steps") }
    }
  }

  @Test("a log of the buggy server is refuted by the correct design at the second charge")
  func validation() throws {
    let buggy = PaymentAPI(variant: .keyAfterEffect).spec.monitored { PaymentAPI.atMostOnceCharge }
    let report = try #require(CheckReport(buggy.check(), spec: buggy).violation)
    // The log records actions only (as a real server would), not states.
    let events = report.steps.dropFirst().map { step in event(step.action?.name, step.action?.arguments ?? [:]) }
    #expect(events.count == 9)
    let correct = PaymentAPI().spec.monitored { PaymentAPI.atMostOnceCharge }
    let result = validate(correct, events)
    #expect(result.verdict == .refuted)
    // The first 8 lines are a behaviour of the correct server too (the log does not show what
    // `check` wrote): but the correct server claimed the key durably, its restart reconciled the
    // claim with the provider's ledger (done), so the retry's check answered the saved response
    // and line 9's second charge has no behaviour.
    #expect(result.failedAt?.line == 9)
    #expect(validate(buggy, Array(events.prefix(8))).verdict == .admissible)
  }

  @Test("from the CLI: variants are listed and a buggy one exits 1 with the property")
  func cli() {
    let (listStatus, list, _) = runCLI(["list"])
    #expect(listStatus == 0)
    #expect(list.contains("PaymentAPI") && list.contains("keyAfterEffect"))
    let (status, out, _) = runCLI(["check", "PaymentAPI", "--param", "variant=keyAfterEffect", "--json", "--quiet"])
    #expect(status == 1)
    #expect(out.contains(#""name":"at most one charge per key""#))
    #expect(runCLI(["check", "PaymentAPI", "--quiet"]).status == 0)
  }
}
