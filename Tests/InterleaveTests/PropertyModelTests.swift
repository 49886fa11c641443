import Interleave
import Testing

/// Creating one account in a system of reference and a system of record, with one crash.
struct CreateAccount: Specification {
  enum Order: Hashable, Sendable { case referenceFirst, recordFirst, abandonAfterReference }
  struct State: Hashable, Sendable {
    var record: Set<String> = []
    var reference: Set<String> = []
    var progress = 0  // writes done by the current attempt
    var crashes = 0
    var finished = false
  }
  enum Action: Hashable, Sendable { case writeReference, writeRecord, crash, giveUp }

  let order: Order
  var name: String { "CreateAccount" }
  var initialStates: [State] { [State()] }
  var firstWrite: Action { order == .recordFirst ? .writeRecord : .writeReference }
  var secondWrite: Action { order == .recordFirst ? .writeReference : .writeRecord }

  func forEachEnabledAction(in s: State, _ body: (Action) -> Void) {
    guard !s.finished else { return }
    if s.progress == 0 { body(firstWrite) }
    if s.progress == 1 {
      if order == .abandonAfterReference { body(.giveUp) } else { body(secondWrite) }
    }
    if s.crashes < 1 { body(.crash) }
  }

  func apply(_ action: Action, to s: inout State) -> WriteOutcome? {
    switch action {
    case .writeReference:
      let outcome: WriteOutcome = s.reference.contains("u1") ? .existsSame : .created
      s.reference.insert("u1")
      s.progress += 1
      s.finished = s.progress == 2
      return outcome
    case .writeRecord:
      let outcome: WriteOutcome = s.record.contains("u1") ? .existsSame : .created
      s.record.insert("u1")
      s.progress += 1
      s.finished = s.progress == 2
      return outcome
    case .crash:
      s.crashes += 1
      s.progress = 0  // the retry starts over, as a durable execution would after a crash
      return nil
    case .giveUp:
      s.finished = true
      return nil
    }
  }

  func isTerminal(_ s: State) -> Bool { s.finished }

  static let property = WriteLastReadFirst<State, Action, WriteOutcome?, String, String>(
    events: { step in
      // Each attempt is a new operation in the log's terms: the crash count names it.
      let op = "create#\(step.before.crashes)"
      switch step.action {
      case .writeReference: return [.referenceWrite(op: op, entity: "u1", outcome: step.response!)]
      case .writeRecord: return [.recordWrite(op: op, entity: "u1", outcome: step.response!)]
      case .crash, .giveUp: return []
      }
    },
    record: { $0.record }, reference: { $0.reference }, quiescent: { $0.finished })
}

/// A two-step durable workflow (reserve, then charge) that may crash once anywhere.
struct Workflow: Specification {
  enum Variant: Hashable, Sendable { case skipWhenDone, rerunEverything }
  struct State: Hashable, Sendable {
    var done = [false, false]
    var step = 0
    var invoked = false
    var crashes = 0
    var running = true
  }
  enum Action: Hashable, Sendable { case invoke(step: Int), complete(step: Int), crash, restart }

  let variant: Variant
  var name: String { "Workflow" }
  var initialStates: [State] { [State()] }

  func forEachEnabledAction(in s: State, _ body: (Action) -> Void) {
    if s.running {
      if s.step < 2 { body(s.invoked ? .complete(step: s.step) : .invoke(step: s.step)) }
      if s.crashes < 1 && s.step < 2 { body(.crash) }
    } else {
      body(.restart)
    }
  }

  func apply(_ action: Action, to s: inout State) {
    switch action {
    case .invoke: s.invoked = true
    case .complete(let step):
      s.done[step] = true
      s.invoked = false
      s.step += 1
    case .crash:
      s.crashes += 1
      s.running = false
      s.invoked = false
    case .restart:
      s.running = true
      s.step = variant == .skipWhenDone ? (s.done.firstIndex(of: false) ?? 2) : 0
      if variant == .rerunEverything { s.done = [false, false] }
    }
  }

  func isTerminal(_ s: State) -> Bool { s.step == 2 }

  static let property = DurableExecutionRules<State, Action, Void, String, Int>(events: { step in
    switch step.action {
    case .invoke(let index): return [.stepBegin(execution: "order", step: index), .effect(execution: "order", step: index)]
    case .complete(let index): return [.stepEnd(execution: "order", step: index, result: UInt64(index))]
    case .crash: return [.interrupt(execution: "order", cause: .crash)]
    case .restart:
      return [.resume(execution: "order", time: nil)]
        + step.before.done.enumerated().filter { $0.element && step.after.done[$0.offset] }
        .map { .stepReplay(execution: "order", step: $0.offset, result: UInt64($0.offset)) }
    }
  })
}

@Suite("Trace properties in the model checker")
struct PropertyModelTests {
  @Test("write last, read first holds for reference-then-record, with a crash")
  func referenceFirst() {
    let result = CreateAccount(order: .referenceFirst).monitored { CreateAccount.property }.check()
    #expect(result.verdict == .holds)
    #expect(result.distinctStates > 4)
  }

  @Test("record first is refuted at once: the record write has no reference write (WL-1)")
  func recordFirst() throws {
    let violation = try #require(CreateAccount(order: .recordFirst).monitored { CreateAccount.property }.check().violation)
    #expect(violation.kind == .property)
    #expect(violation.message?.hasPrefix("WL-1") == true)
    #expect(violation.trace.steps.count == 1)
  }

  @Test("an operation that gives up after the reference write leaves a stuck orphan (WL-6)")
  func stuckOrphan() throws {
    let violation = try #require(CreateAccount(order: .abandonAfterReference).monitored { CreateAccount.property }.check().violation)
    #expect(violation.message?.hasPrefix("WL-6") == true)
    #expect(violation.trace.actions == [.writeReference, .giveUp])
  }

  @Test("skip-when-done holds through a crash anywhere")
  func skipWhenDone() {
    let result = Workflow(variant: .skipWhenDone).monitored { Workflow.property }.check()
    #expect(result.verdict == .holds)
  }

  @Test("re-running completed steps after a crash breaks skip-when-done (DE-3)")
  func rerun() throws {
    let violation = try #require(Workflow(variant: .rerunEverything).monitored { Workflow.property }.check().violation)
    #expect(violation.kind == .property)
    #expect(violation.message?.hasPrefix("DE-3") == true)
    // invoke 0, complete 0, crash, restart, invoke 0 again.
    #expect(violation.trace.actions == [.invoke(step: 0), .complete(step: 0), .crash, .restart, .invoke(step: 0)])
  }
}
