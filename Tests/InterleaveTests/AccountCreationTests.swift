import Interleave
import InterleaveSpecs
import Testing

/// The write-last/read-first account creation (seed notes E4) on the execution model: verdicts,
/// the rule each bug breaks, the shape of the shortest counterexamples, and the state counts.
@Suite("AccountCreation: write last, read first")
struct AccountCreationTests {
  typealias System = AccountCreation
  typealias Action = SystemAction<AccountCreation>

  static let worker = AccountCreation.worker
  static let reader = AccountCreation.reader

  /// The trace names of the counterexample's actions.
  static func names(_ system: AccountCreation, _ actions: [Action]) -> [String] {
    actions.map { system.spec.describe($0).name }
  }

  // MARK: correct

  /// Without a crash the worker goes w0 (nothing) → w1 (id 1 drawn) → w2 (reference written)
  /// → w3 (record written) → w4 (answered, stopped). The reader, once an id is drawn, reads the
  /// record (found or not), then the reference, and stops: idle, first read done (found
  /// false/true), stopped (found false/true); "found" only once the record has the account.
  /// w0: idle only (1); w1, w2: idle or false, false (3 each); w3, w4: all 5 → 1 + 6 + 10 = 17.
  /// Successors: w0 1, w1 and w2 5 each (worker 3 + reader 2), w3 8, w4 3 → 22, + the initial
  /// state = 23 generated. The deepest state (w4, reader stopped with found) is 6 steps away.
  @Test("correct without crashes: 17 states, derived by hand")
  func correctWithoutCrashes() {
    let result = AccountCreation(variant: .correct, crashes: 0).monitored.check()
    #expect(result.verdict == .holds)
    #expect(result.distinctStates == 17)
    #expect(result.generatedStates == 23)
    #expect(result.depth == 7)
    // Coverage lists the trace names actually taken (the model declares no action kinds).
    #expect(result.coverage.map(\.action).sorted() == [
      "generateId", "readRecord", "readReference", "respond", "writeRecord", "writeReference",
    ])
  }

  /// With one crash the worker part (processes, stores, the monitor's per-attempt memory) has
  /// 20 values: no crash yet (w0..w4: 5); crashed at w0 or w1, then attempt 2 (crashed
  /// before/after the checkpoint: 2, attempt 2 before generateId: 1, and from "id 1 in hand"
  /// on, both crash points meet in the same 4 states, since the id is checkpointed and nothing
  /// was written: 4) = 7; crashed at w2 or w3 (crashed: 2; attempt 2 with id 1 in hand and after
  /// its reference write (existsSame), apart because the record differs: 4; after its record
  /// write and answered, the same states: 2) = 8. The reader multiplies them: 1 while no id is
  /// drawn (3 values), 3 while the record is empty (8 values), 5 once it has the account
  /// (9 values) → 3 + 24 + 45 = 72. Successors, counted the same way: 4 + 46 + 62 = 112, + 1.
  @Test("correct with one crash: 72 states, derived by hand")
  func correctWithOneCrash() {
    let result = AccountCreation(variant: .correct, crashes: 1).monitored.check()
    #expect(result.verdict == .holds)
    #expect(result.distinctStates == 72)
    #expect(result.generatedStates == 113)
    #expect(result.depth == 10)
    #expect(result.coverage.map(\.action).sorted() == [
      "crash", "generateId", "readRecord", "readReference", "respond", "restart", "writeRecord", "writeReference",
    ])
  }

  @Test("correct holds with two crashes too, in well under a thousand states")
  func correctWithTwoCrashes() {
    let result = AccountCreation(variant: .correct, crashes: 2).monitored.check()
    #expect(result.verdict == .holds)
    #expect(result.distinctStates > 72)
    #expect(result.distinctStates < 1_000)
  }

  @Test("BFS and DFS store the same states; exact search agrees with fingerprints")
  func searchesAgree() {
    for variant in AccountCreation.Variant.allCases {
      expectSearchesAgree(AccountCreation(variant: variant, crashes: 2).monitored, "\(variant)")
    }
  }

  @Test("after a crash the retry reuses the checkpointed id, and the stores answer existsSame")
  func retryReusesCheckpointedID() throws {
    let system = AccountCreation(variant: .correct)
    let actions: [Action] = [
      .step(Self.worker, .generateId), .step(Self.worker, .writeReference(account: 1)), .crash(Self.worker),
      .restart(Self.worker), .step(Self.worker, .writeReference(account: 1)),
    ]
    let trace = try #require(system.spec.run(actions, from: system.spec.initialStates[0]))
    #expect(trace.steps.last?.response == [.referenceWrite(op: "create#2", entity: 1, outcome: .existsSame)])
    #expect(trace.finalState.shared.idsDrawn == 1)
    // Without the checkpoint, the retry must draw a new id first: the same steps are not a run.
    let buggy = AccountCreation(variant: .idOutsideCheckpoint)
    #expect(buggy.spec.run(actions, from: buggy.spec.initialStates[0]) == nil)
  }

  // MARK: recordFirst

  @Test("record first: WL-1 at the record write, two steps in, with any crash budget", arguments: [0, 1, 2])
  func recordFirst(crashes: Int) throws {
    let system = AccountCreation(variant: .recordFirst, crashes: crashes)
    let violation = try #require(system.monitored.check().violation)
    #expect(violation.kind == .property)
    #expect(violation.name == "write last, read first")
    #expect(violation.message?.hasPrefix("WL-1:") == true)
    #expect(violation.trace.actions == [.step(Self.worker, .generateId), .step(Self.worker, .writeRecord(account: 1))])
  }

  @Test("record first, seen only through the stores: WL-5 (an account without an owner)")
  func recordFirstStoresOnly() throws {
    let system = AccountCreation(variant: .recordFirst)
    let violation = try #require(system.spec.monitored { AccountCreation.storesOnlyRule }.check().violation)
    #expect(violation.name == "write last, read first (stores only)")
    #expect(violation.message?.hasPrefix("WL-5:") == true)
    #expect(Self.names(system, violation.trace.actions) == ["generateId", "writeRecord"])
    // The correct order never shows the stores that state.
    #expect(AccountCreation(variant: .correct, crashes: 2).spec.monitored { AccountCreation.storesOnlyRule }.check().verdict == .holds)
  }

  @Test("record first, crash after the record write: the reader finds an account with no owner until the restart")
  func recordFirstCrash() throws {
    let system = AccountCreation(variant: .recordFirst)
    let stranded: [Action] = [
      .step(Self.worker, .generateId), .step(Self.worker, .writeRecord(account: 1)), .crash(Self.worker),
      .step(Self.reader, .readRecord(account: 1)), .step(Self.reader, .readReference(account: 1)),
    ]
    let trace = try #require(system.spec.run(stranded, from: system.spec.initialStates[0]))
    #expect(trace.finalState.shared.record == [1: "u1"])
    #expect(trace.finalState.shared.reference.isEmpty)
    #expect(
      trace.steps.last?.response == [
        .referenceRead(op: "read", entity: 1, found: false), .result(op: "read", entity: 1, exists: true),
      ])
    // The crashed worker can only restart, and then the reference write comes.
    #expect(system.spec.enabledActions(in: trace.finalState).filter { $0.process == Self.worker } == [.restart(Self.worker)])
    guard case .violated(let step, let violation) = AccountCreation.storesOnlyRule.check(trace.traceSteps) else {
      Issue.record("the stores-only rule must fail on this trace")
      return
    }
    #expect(step == 1)
    #expect(violation.message.hasPrefix("WL-5:"))
  }

  // MARK: readReferenceFirst

  @Test("read reference first: WL-2 between the worker's two writes, no crash needed", arguments: [0, 1, 2])
  func readReferenceFirst(crashes: Int) throws {
    let system = AccountCreation(variant: .readReferenceFirst, crashes: crashes)
    let violation = try #require(system.monitored.check().violation)
    #expect(violation.kind == .property)
    #expect(violation.message?.hasPrefix("WL-2:") == true)
    #expect(violation.message?.contains("first read of the system of record did not find it") == true)
    #expect(
      violation.trace.actions == [
        .step(Self.worker, .generateId), .step(Self.worker, .writeReference(account: 1)),
        .step(Self.reader, .readReference(account: 1)), .step(Self.reader, .readRecord(account: 1)),
      ])
    #expect(violation.trace.steps.last?.response.last == .result(op: "read", entity: 1, exists: true))
    #expect(violation.trace.finalState.base.shared.record.isEmpty)
  }

  // MARK: idOutsideCheckpoint

  @Test("id outside the checkpoint holds without a crash: the bug needs one")
  func idOutsideCheckpointWithoutCrash() {
    let result = AccountCreation(variant: .idOutsideCheckpoint, crashes: 0).monitored.check()
    #expect(result.verdict == .holds)
    #expect(result.distinctStates == 17)  // the same 17 states as the correct system's
  }

  @Test("id outside the checkpoint: a crash between the writes leaves a stuck orphan (WL-6)", arguments: [1, 2])
  func idOutsideCheckpoint(crashes: Int) throws {
    let system = AccountCreation(variant: .idOutsideCheckpoint, crashes: crashes)
    let violation = try #require(system.monitored.check().violation)
    #expect(violation.kind == .property)
    #expect(violation.message?.hasPrefix("WL-6:") == true)
    let actions = violation.trace.actions
    // Shortest: id 1, its reference write, crash, restart, id 2, the three steps of attempt 2,
    // and the reader's two reads (the trace must end with nothing in flight).
    #expect(actions.count == 10)
    #expect(Array(actions.prefix(5)) == [
      .step(Self.worker, .generateId), .step(Self.worker, .writeReference(account: 1)), .crash(Self.worker),
      .restart(Self.worker), .step(Self.worker, .generateId),
    ])
    #expect(actions.filter { $0 == .crash(Self.worker) }.count == 1)
    #expect(actions.contains(.step(Self.worker, .writeRecord(account: 2))))
    #expect(!actions.contains(.step(Self.worker, .writeRecord(account: 1))))
    #expect(actions.last == .step(Self.worker, .respond(account: 2)) || actions.last?.process == Self.reader)
    #expect(Self.names(system, actions).filter { $0 == "readRecord" || $0 == "readReference" }.count == 2)
    let final = violation.trace.finalState.base
    #expect(final.shared.reference == [1: "u1", 2: "u1"])
    #expect(final.shared.record == [2: "u1"])
    #expect(final[Self.worker].status == .stopped)
    #expect(final[Self.reader].status == .stopped)
  }

  /// WL-4 (the companion code's panic: a reference write `created` and a record write
  /// `existsSame` in one attempt) needs the record to have the id already; a freshly drawn id
  /// never is there. So, with the quiescence check off, every other rule holds.
  @Test("id outside the checkpoint breaks only WL-6: no WL-4 with fresh ids")
  func idOutsideCheckpointOnlyOrphans() {
    let noQuiescence = WriteLastReadFirst<SystemState<AccountCreation>, Action, [AccountCreation.Event], String, Int>(
      events: { $0.response }, record: { Set($0.shared.record.keys) }, reference: { Set($0.shared.reference.keys) },
      quiescent: { _ in false })
    let result = AccountCreation(variant: .idOutsideCheckpoint, crashes: 2).spec.monitored { noQuiescence }.check()
    #expect(result.verdict == .holds)
  }

  // MARK: catalog

  @Test("the catalog entry runs each variant with the rule")
  func catalog() throws {
    let holds = runCLI(["check", "AccountCreation", "--json", "--quiet"])
    #expect(holds.status == 0)
    let held = try parseJSON(holds.stdout)
    #expect(held["distinctStates"] as? Int == 72)
    #expect((held["params"] as? [String: Any])?["variant"] as? String == "correct")

    let orphan = runCLI(["check", "AccountCreation", "--param", "variant=idOutsideCheckpoint", "--json", "--quiet"])
    #expect(orphan.status == 1)
    let object = try parseJSON(orphan.stdout)
    let violation = try #require(object["violation"] as? [String: Any])
    #expect(violation["kind"] as? String == "property")
    #expect(violation["name"] as? String == "write last, read first")
    #expect((violation["message"] as? String)?.hasPrefix("WL-6:") == true)
    let steps = try #require(violation["steps"] as? [[String: Any]])
    #expect(steps.count == 11)  // the initial state and 10 actions
    #expect(steps[3]["action"] as? String == "crash")

    let bad = runCLI(["check", "AccountCreation", "--param", "crashes=3"])
    #expect(bad.status == 64)
  }
}
