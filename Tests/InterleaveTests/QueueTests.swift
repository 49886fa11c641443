import Interleave
import InterleaveSpecs
import Testing

/// The at-least-once queue with an idempotent consumer (Specs/Queue.swift): each variant's
/// verdict, the property it breaks and the shape of its shortest counterexample.
@Suite("Queue: at-least-once delivery, idempotent consumer, retention window")
struct QueueTests {
  /// The trace names of a counterexample's actions.
  static func names(_ system: Queue, _ violation: Violation<MonitoredSpec<SystemSpec<Queue>, BothProperties<Queue.Idempotence, Queue.EffectOnce>>>) -> [String] {
    violation.trace.actions.map { system.spec.describe($0).name }
  }

  @Test("correct holds across messages, crashes and retentions")
  func correctHolds() {
    for messages in 1...3 {
      for crashes in 0...2 {
        let result = Queue(variant: .correct, messages: messages, crashes: crashes).monitoredSpec.check()
        #expect(result.verdict == .holds, "messages \(messages), crashes \(crashes): \(result.violation?.name ?? "")")
      }
    }
    for retention in [1, 3] {
      #expect(Queue(variant: .correct, retention: retention).monitoredSpec.check().verdict == .holds, "retention \(retention)")
    }
  }

  @Test("without a crash every variant holds: each bug needs the consumer to crash")
  func noCrashNoBug() {
    for variant in Queue.Variant.allCases {
      #expect(Queue(variant: variant, crashes: 0).monitoredSpec.check().verdict == .holds, "\(variant)")
    }
  }

  @Test("commitBeforeProcess loses a message: poll, commit, crash, restart")
  func commitBeforeProcess() throws {
    // One message: the shortest loss fetches it, commits past it, crashes before processing
    // it, and restarts at the committed offset, which is the end of the log.
    let one = Queue(variant: .commitBeforeProcess, messages: 1, crashes: 1)
    let short = try #require(one.monitoredSpec.check().violation)
    #expect(short.kind == .invariant)
    #expect(short.name == "NoLoss")
    #expect(Self.names(one, short) == ["poll", "commit", "crash", "restart"])
    #expect(short.trace.finalState.base.shared.sink.isEmpty)

    // Two messages (the default): the consumer goes on with m2 and stops with m1 missing.
    let two = Queue(variant: .commitBeforeProcess)
    let violation = try #require(two.monitoredSpec.check().violation)
    #expect(violation.name == "NoLoss")
    #expect(Self.names(two, violation) == ["poll", "commit", "crash", "restart", "poll", "commit", "process"])
    #expect(violation.trace.finalState.base.shared.sink == ["m2"])
    #expect(violation.trace.finalState.base[Queue.consumer].status == .stopped)
  }

  @Test("noDedup applies a redelivered message again inside the window: a crash between process and commit")
  func noDedup() throws {
    let system = Queue(variant: .noDedup)
    let violation = try #require(system.monitoredSpec.check().violation)
    #expect(violation.kind == .property)
    #expect(violation.name == "BoundedIdempotence")
    #expect(violation.message == #"replay of request "m1" changed the observable state: ["m1"] -> ["m1","m1"]"#)
    #expect(Self.names(system, violation) == ["poll", "process", "crash", "restart", "poll", "process"])
    #expect(violation.trace.actions[1] == .step(Queue.consumer, .process(id: "m1")))
    #expect(violation.trace.actions[5] == .step(Queue.consumer, .process(id: "m1")))
  }

  @Test("retentionTooShort applies an evicted id again: retention ticks, evict, redelivery")
  func retentionTooShort() throws {
    for retention in 1...3 {
      let system = Queue(variant: .retentionTooShort, retention: retention)
      let violation = try #require(system.monitoredSpec.check().violation)
      #expect(violation.kind == .property)
      #expect(violation.name == "AtMostOnceEffect")
      #expect(violation.message == #"a second effect for key "m1""#)
      // poll, process, crash, restart, `retention` ticks (the id must be that old to go),
      // evict, poll, process: 7 + retention steps, with no commit in between.
      let names = Self.names(system, violation)
      #expect(names.count == 7 + retention, "retention \(retention): \(names)")
      #expect(names.filter { $0 == "tick" }.count == retention)
      #expect(!names.contains("commit"))
      #expect(names.prefix(2) == ["poll", "process"])
      #expect(names.last == "process")
      #expect(names.filter { $0 == "poll" }.count == 2 && names.filter { $0 == "process" }.count == 2)
      // The crash falls between the two processings, and so does the eviction (the store may
      // evict before or after the consumer fetches the message again).
      let evict = try #require(names.firstIndex(of: "evict"))
      let crash = try #require(names.firstIndex(of: "crash"))
      #expect((2..<names.count - 1).contains(crash))
      #expect((2..<names.count - 1).contains(evict))
      #expect(violation.trace.actions[evict] == .step(Queue.store, .evict(id: "m1")))
      #expect(violation.trace.finalState.base.shared.sink == ["m1", "m1"])
    }
  }

  @Test("retentionTooShort is still boundedly idempotent: the second application is outside the window")
  func retentionTooShortWithinWindow() {
    // The store keeps an id `retention` after it last handled it, and the window is measured
    // from the first application, so every id applied again is outside the window: only the
    // unbounded at-most-once property fails, in every run.
    let result = Queue(variant: .retentionTooShort).monitoredSpec.check(CheckOptions(stopAtFirstViolation: false))
    #expect(result.violations.map(\.name) == ["AtMostOnceEffect"])
  }

  @Test("a tiny instance has the states counted by hand")
  func handCounted() {
    // One message, no crash, retention 1 (clock 0...1). Consumer stage x committed x sink x
    // dedup time x clock: idle@0, idle@1, polled@0, polled@1, processed@0 (m1 seen at 0),
    // processed@1 (seen at 1), stopped@0 (seen at 0), stopped@1 (seen at 1), stopped@1 (seen
    // at 0), stopped@1 (evicted): 10 states. Generated: the initial state and 11 successors
    // (tick from processed@0 leaves the constraint: m1 handled 1 >= 1 ago, not committed).
    let result = Queue(variant: .correct, messages: 1, crashes: 0, retention: 1).monitoredSpec.check()
    #expect(result.verdict == .holds)
    #expect(result.distinctStates == 10)
    #expect(result.generatedStates == 12)
  }

  @Test("the correct variant's counts, in BFS, DFS and exact search")
  func counts() {
    let bfs = expectSearchesAgree(Queue().monitoredSpec)
    #expect(bfs.verdict == .holds)
    // Measured (docs/examples.md, Queue); they change with the model.
    #expect(bfs.distinctStates == 371)
    #expect(bfs.generatedStates == 626)
    // The biggest catalog instance stays small.
    #expect(Queue(messages: 3, crashes: 2, retention: 3).monitoredSpec.check().distinctStates < 3_000)
  }

  @Test("the catalog entry checks each variant through the CLI")
  func cli() throws {
    let holds = runCLI(["check", "Queue", "--quiet"])
    #expect(holds.status == 0)
    #expect(holds.stdout.contains("Queue (variant=correct messages=2 crashes=2 retention=2): holds"))
    #expect(holds.stdout.contains("distinct states   371"))

    let (status, out, _) = runCLI(["check", "Queue", "--param", "variant=noDedup", "--json", "--quiet"])
    #expect(status == 1)
    let violation = try #require(try parseJSON(out)["violation"] as? [String: Any])
    #expect(violation["kind"] as? String == "property")
    #expect(violation["name"] as? String == "BoundedIdempotence")
    #expect((violation["steps"] as? [Any])?.count == 7)  // the initial state and 6 steps

    let loss = runCLI(["check", "Queue", "--param", "variant=commitBeforeProcess", "--quiet"])
    #expect(loss.status == 1)
    #expect(loss.stdout.contains("Invariant NoLoss is violated after 7 steps"))
    let evicted = runCLI(["check", "Queue", "--param", "variant=retentionTooShort", "--quiet"])
    #expect(evicted.status == 1)
    #expect(evicted.stdout.contains("Property AtMostOnceEffect is violated after 9 steps"))
  }
}
