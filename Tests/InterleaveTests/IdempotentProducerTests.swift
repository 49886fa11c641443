import Interleave
import InterleaveSpecs
import Testing

/// The idempotent producer with a broker that remembers its last 5 batches
/// (Specs/IdempotentProducer.swift): maxInFlight decides the verdict.
@Suite("IdempotentProducer: a 5-batch dedup window and maxInFlight")
struct IdempotentProducerTests {
  typealias Checked = MonitoredSpec<
    SystemSpec<IdempotentProducer>,
    AtMostOnceEffect<SystemState<IdempotentProducer>, SystemAction<IdempotentProducer>, [IdempotentProducer.Event], Int>
  >

  static func names(_ system: IdempotentProducer, _ violation: Violation<Checked>) -> [String] {
    violation.trace.actions.map { system.spec.describe($0).name }
  }

  static func produce(_ sequence: Int) -> SystemAction<IdempotentProducer> {
    .deliver(Envelope(from: IdempotentProducer.producer, to: IdempotentProducer.broker, message: .produce(sequence: sequence)))
  }

  @Test("up to 5 batches in flight, no batch is appended twice")
  func upToFiveHolds() {
    for maxInFlight in 1...5 {
      let result = IdempotentProducer(maxInFlight: maxInFlight).monitoredSpec.check()
      #expect(result.verdict == .holds, "maxInFlight \(maxInFlight): \(result.violation?.message ?? "")")
    }
  }

  @Test("6 in flight: a retry of batch 0 after batches 0 to 5 is appended again (8 steps)")
  func sixIsRefuted() throws {
    let system = IdempotentProducer(maxInFlight: 6)
    let violation = try #require(system.monitoredSpec.check().violation)
    #expect(violation.kind == .property)
    #expect(violation.name == "AtMostOnceAppend")
    #expect(violation.message == "a second effect for key 0")
    // Batch 0 leaves the window only once 5 later batches are appended: 6 deliveries, then the
    // retry needs its timeout and its own delivery, which on the FIFO channel comes after
    // batch 5's.
    let names = Self.names(system, violation)
    #expect(names.count == 8)
    #expect(names.filter { $0 == "deliver" }.count == 7)
    #expect(names.filter { $0 == "timeout" }.count == 1)
    let actions = violation.trace.actions
    #expect(actions.filter { $0.delivered?.to == IdempotentProducer.broker }.map(\.delivered!.message)
      == [0, 1, 2, 3, 4, 5, 0].map { .produce(sequence: $0) })
    #expect(actions.contains(.timeout(IdempotentProducer.producer, .requestTimeout(sequence: 0))))
    #expect(actions.last == Self.produce(0))
    #expect(violation.trace.finalState.base[IdempotentProducer.broker].durable.log == [0, 1, 2, 3, 4, 5, 0])
  }

  @Test("7 in flight: refuted in 9 steps (the retry queues behind all 7 batches)")
  func sevenIsRefuted() throws {
    let system = IdempotentProducer(maxInFlight: 7)
    let violation = try #require(system.monitoredSpec.check().violation)
    #expect(violation.name == "AtMostOnceAppend")
    #expect(Self.names(system, violation).count == 9)
    let log = violation.trace.finalState.base[IdempotentProducer.broker].durable.log
    #expect(log.count == 8 && Set(log).count == 7)
    // The batch appended twice is one of those that 5 later batches can push out: 0 or 1.
    #expect([0, 1].contains(log.last!))
  }

  @Test("without a retry, 6 in flight hold: a network duplicate follows its original and is always recognised")
  func duplicatesAloneAreCaught() {
    #expect(IdempotentProducer(maxInFlight: 6, retries: 0).monitoredSpec.check().verdict == .holds)
    #expect(IdempotentProducer(maxInFlight: 7, retries: 0).monitoredSpec.check().verdict == .holds)
  }

  @Test("counts agree with an independent enumeration, and across BFS, DFS and exact search")
  func counts() {
    // A separate program (a breadth-first enumeration written from the model's description:
    // FIFO channels, deliveries at the head, a duplicate of any message in flight, timeouts
    // any time before the ack) counts 25 / 42 for one batch and 1,135 / 2,972 for five.
    let all = CheckOptions(stopAtFirstViolation: false)
    let one = IdempotentProducer(maxInFlight: 1).monitoredSpec.check(all)
    #expect(one.distinctStates == 25)
    #expect(one.generatedStates == 42)
    let bfs = expectSearchesAgree(IdempotentProducer().monitoredSpec)
    #expect(bfs.verdict == .holds)
    #expect(bfs.distinctStates == 1_135)
    #expect(bfs.generatedStates == 2_972)
  }

  @Test("the catalog entry: maxInFlight=5 holds, 6 is refuted")
  func cli() throws {
    let holds = runCLI(["check", "IdempotentProducer", "--quiet"])
    #expect(holds.status == 0)
    #expect(holds.stdout.contains("IdempotentProducer (maxInFlight=5): holds"))
    #expect(holds.stdout.contains("distinct states   1,135"))

    let (status, out, _) = runCLI(["check", "IdempotentProducer", "--param", "maxInFlight=6", "--json", "--quiet"])
    #expect(status == 1)
    let violation = try #require(try parseJSON(out)["violation"] as? [String: Any])
    #expect(violation["kind"] as? String == "property")
    #expect(violation["name"] as? String == "AtMostOnceAppend")
    #expect((violation["steps"] as? [Any])?.count == 9)  // the initial state and 8 steps
  }
}
