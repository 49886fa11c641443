import Interleave
import InterleaveSpecs
import Testing

/// Every state reachable in `spec`, by a plain search over `Set<State>` (independent of the engine).
func reachableStates<S: Specification>(_ spec: S) -> Set<S.State> {
  var seen = Set(spec.initialStates)
  var frontier = Array(seen)
  while let state = frontier.popLast() {
    spec.forEachEnabledAction(in: state) { action in
      var next = state
      _ = spec.apply(action, to: &next)
      if seen.insert(next).inserted { frontier.append(next) }
    }
  }
  return seen
}

/// A sender that sends `a` then `b` to a receiver, which records what arrives.
struct TwoMessages: DistributedSystem {
  enum Message: Hashable, Sendable { case a, b }
  struct Durable: Hashable, Sendable { var received: [Message] = [] }
  var network: NetworkSemantics
  var faults: FaultBudget
  var name: String { "TwoMessages" }
  var processes: [String] { ["sender", "receiver"] }
  func initialDurable(of process: ProcessID) -> Durable { Durable() }
  func start(_ context: inout ProcessContext<Self>) {
    if context.process == 0, !context.isRecovery {
      context.send(.a, to: 1)
      context.send(.b, to: 1)
    }
  }
  func receive(_ message: Message, from sender: ProcessID, _ context: inout ProcessContext<Self>) {
    context.durable.received.append(message)
  }

  /// What the receiver can end up with once nothing is in flight.
  func outcomes() -> Set<[Message]> {
    Set(reachableStates(spec).filter(\.network.isEmpty).map { $0[1].durable.received })
  }
}

/// A worker with a volatile counter, a durable counter, a volatile and a durable timer, and a
/// sleep until time 2.
struct Sleeper: DistributedSystem {
  struct Durable: Hashable, Sendable { var boots = 0; var slept = false }
  struct Volatile: Hashable, Sendable { var steps = 0 }
  enum Timer: Hashable, Sendable { case volatileTimer, durableTimer }
  enum Step: Hashable, Sendable { case work, nap }
  enum Event: Hashable, Sendable { case woke(at: Int) }
  var name: String { "Sleeper" }
  var processes: [String] { ["worker"] }
  var faults: FaultBudget { FaultBudget(crashes: 1) }
  var clockLimit: Int? { 3 }
  func initialDurable(of process: ProcessID) -> Durable { Durable() }
  func initialVolatile(of process: ProcessID) -> Volatile { Volatile() }
  func start(_ context: inout ProcessContext<Self>) {
    context.durable.boots += 1
    if context.isRecovery, context.durable.slept { context.emit(.woke(at: context.now)) }
    if !context.isRecovery {
      context.setTimer(.volatileTimer)
      context.setTimer(.durableTimer, at: 1, durable: true)
    }
  }
  func forEachStep(of context: ProcessContext<Self>, _ body: (Step) -> Void) {
    if context.volatile.steps < 1 { body(.work) }
    if !context.durable.slept { body(.nap) }
  }
  func perform(_ step: Step, _ context: inout ProcessContext<Self>) {
    switch step {
    case .work: context.volatile.steps += 1
    case .nap:
      context.durable.slept = true
      context.sleep(until: 2)
    }
  }
}

/// Three interchangeable clients that each send one request to a server, which remembers the
/// order of arrival by client id and answers each.
struct Clients: DistributedSystem {
  enum Message: Hashable, Sendable { case request, reply }
  struct Durable: Hashable, Sendable { var order: [ProcessID] = []; var answered = false }
  let clients: Int
  var name: String { "Clients" }
  var processes: [String] { (0..<clients).map { "client\($0)" } + ["server"] }
  var network: NetworkSemantics { [.lossy] }
  var faults: FaultBudget { FaultBudget(crashes: 1, losses: 1) }
  var interchangeableProcesses: [[ProcessID]] { [(0..<clients).map { ProcessID($0) }] }
  var server: ProcessID { ProcessID(clients) }
  func initialDurable(of process: ProcessID) -> Durable { Durable() }
  func canCrash(_ process: ProcessID, in state: SystemState<Clients>) -> Bool { process != server }
  func start(_ context: inout ProcessContext<Self>) {
    if context.process != server, !context.durable.answered { context.send(.request, to: server) }
  }
  func receive(_ message: Message, from sender: ProcessID, _ context: inout ProcessContext<Self>) {
    switch message {
    case .request:
      context.durable.order.append(sender)
      context.send(.reply, to: sender)
    case .reply:
      context.durable.answered = true
    }
  }
  func renamedDurable(_ durable: Durable, by renaming: ProcessRenaming) -> Durable {
    Durable(order: durable.order.map { renaming($0) }, answered: durable.answered)
  }
}

@Suite("Execution model")
struct ExecutionModelTests {
  typealias M = TwoMessages.Message

  @Test("a reliable unordered network delivers every message once, in any order")
  func reliableUnordered() {
    #expect(TwoMessages(network: .reliable, faults: .none).outcomes() == [[.a, .b], [.b, .a]])
  }

  @Test("an ordered network delivers per channel in sending order")
  func ordered() {
    #expect(TwoMessages(network: [.ordered], faults: .none).outcomes() == [[.a, .b]])
  }

  @Test("a lossy network loses at most the budget")
  func lossy() {
    #expect(TwoMessages(network: [.lossy], faults: FaultBudget(losses: 1)).outcomes() == [[.a, .b], [.b, .a], [.a], [.b]])
    #expect(TwoMessages(network: [.ordered, .lossy], faults: FaultBudget(losses: 1)).outcomes() == [[.a, .b], [.a], [.b]])
    #expect(TwoMessages(network: [.ordered, .lossy], faults: FaultBudget(losses: nil)).outcomes() == [[.a, .b], [.a], [.b], []])
  }

  @Test("a duplicating network duplicates at most the budget; ordered copies follow the original")
  func duplicating() {
    let ordered = TwoMessages(network: [.ordered, .duplicating], faults: FaultBudget(duplications: 1)).outcomes()
    #expect(ordered == [[.a, .b], [.a, .a, .b], [.a, .b, .b]])
    let unordered = TwoMessages(network: [.duplicating], faults: FaultBudget(duplications: 1)).outcomes()
    #expect(unordered == [[.a, .b], [.b, .a], [.a, .a, .b], [.a, .b, .a], [.b, .a, .a], [.a, .b, .b], [.b, .a, .b], [.b, .b, .a]])
  }

  @Test("combined: ordered, lossy and duplicating")
  func combined() {
    let outcomes = TwoMessages(network: [.ordered, .lossy, .duplicating], faults: FaultBudget(losses: 1, duplications: 1)).outcomes()
    // Every subsequence of a, (a), b, (b) that an order-preserving channel can produce with one
    // loss and one duplication.
    #expect(outcomes == [[.a, .b], [.a], [.b], [.a, .a, .b], [.a, .b, .b], [.a, .a], [.b, .b]])
  }

  @Test("a crash loses volatile state and volatile timers, keeps durable ones; restart runs recovery")
  func crashAndRestart() throws {
    let spec = Sleeper().spec
    let initial = spec.initialStates[0]
    #expect(initial[0].timers.map(\.timer) == [.volatileTimer, .durableTimer])
    var state = initial
    _ = spec.apply(.step(0, .work), to: &state)
    #expect(state[0].volatile.steps == 1)
    _ = spec.apply(.crash(0), to: &state)
    #expect(state[0].status == .crashed)
    #expect(state[0].volatile.steps == 0)
    #expect(state[0].timers.map(\.timer) == [.durableTimer])
    #expect(state.crashes == 1)
    var enabled: [SystemAction<Sleeper>] = []
    spec.forEachEnabledAction(in: state) { enabled.append($0) }
    #expect(enabled == [.restart(0), .tick])  // nothing else runs while it is down; the budget is spent
    _ = spec.apply(.restart(0), to: &state)
    #expect(state[0].status == .running)
    #expect(state[0].durable.boots == 2)
    // Every reachable state respects the crash budget.
    #expect(reachableStates(spec).allSatisfy { $0.crashes <= 1 })
  }

  @Test("a sleep is an interruption: volatile state lost, and wake only at the deadline")
  func sleep() throws {
    let spec = Sleeper().spec
    var state = spec.initialStates[0]
    _ = spec.apply(.step(0, .work), to: &state)
    _ = spec.apply(.step(0, .nap), to: &state)
    #expect(state[0].status == .asleep(until: 2))
    #expect(state[0].volatile.steps == 0)
    var enabled: [SystemAction<Sleeper>] = []
    spec.forEachEnabledAction(in: state) { enabled.append($0) }
    #expect(!enabled.contains(.wake(0)))
    _ = spec.apply(.tick, to: &state)
    _ = spec.apply(.tick, to: &state)
    enabled = []
    spec.forEachEnabledAction(in: state) { enabled.append($0) }
    #expect(enabled.contains(.wake(0)))
    #expect(spec.apply(.wake(0), to: &state) == [.woke(at: 2)])
    // No reachable state has the worker awake again before time 2 after a nap.
    for state in reachableStates(spec) where state[0].durable.slept && state[0].isRunning {
      #expect(state.now >= 2)
    }
    // The durable timer (deadline 1) never fires before time 1.
    let result = spec.check()
    #expect(result.verdict == .holds)
  }

  @Test("actions have stable trace names with process names and JSON arguments")
  func traceNames() {
    let spec = TwoMessages(network: [.ordered, .lossy, .duplicating], faults: FaultBudget(crashes: 1, losses: 1)).spec
    let envelope = Envelope<M>(from: 0, to: 1, message: .b)
    #expect(spec.describe(.deliver(envelope)).description == #"deliver(from: "sender", to: "receiver", message: "b")"#)
    #expect(spec.describe(.drop(envelope, position: 1)).description == #"drop(from: "sender", to: "receiver", message: "b", position: 1)"#)
    #expect(spec.describe(.duplicate(envelope, position: 0)).name == "duplicate")
    #expect(spec.describe(.crash(1)).description == #"crash(process: "receiver")"#)
    #expect(spec.describe(.restart(1)).description == #"restart(process: "receiver")"#)
    #expect(Sleeper().spec.describe(.timeout(0, .durableTimer)).description == #"timeout(process: "worker", timer: "durableTimer")"#)
    #expect(Sleeper().spec.describe(.step(0, .nap)).description == #"nap(process: "worker")"#)
    #expect(Sleeper().spec.describe(.wake(0)).description == #"wake(process: "worker")"#)
    #expect(spec.isHidden(.drop(envelope, position: 0)) && spec.isHidden(.tick) && !spec.isHidden(.crash(0)))
  }

  @Test("actions are equal, and hash alike, exactly when their case and arguments are")
  func actionEquality() {
    let a = Envelope<M>(from: 0, to: 1, message: .a)
    let b = Envelope<M>(from: 0, to: 1, message: .b)
    let actions: [SystemAction<TwoMessages>] = [
      .deliver(a), .deliver(b), .drop(a, position: 0), .drop(a, position: 1), .duplicate(a, position: 0),
      .crash(0), .crash(1), .restart(0), .wake(0), .tick,
    ]
    for (i, x) in actions.enumerated() {
      for (j, y) in actions.enumerated() { #expect((x == y) == (i == j), "\(x) vs \(y)") }
    }
    // Equal values built separately are equal and hash alike.
    #expect(SystemAction<TwoMessages>.drop(Envelope(from: 0, to: 1, message: .a), position: 1) == actions[3])
    #expect(Set(actions + actions).count == actions.count)
    let timers: [SystemAction<Sleeper>] = [.timeout(0, .durableTimer), .timeout(0, .volatileTimer), .step(0, .nap)]
    #expect(Set(timers + timers).count == 3)
    #expect(timers[0] != timers[1])
  }

  @Test("system states are equal, hash alike and fingerprint alike exactly when every part is")
  func stateEquality() throws {
    let sleeper = Sleeper().spec
    let base = try #require(sleeper.initialStates.first)
    var variants: [SystemState<Sleeper>] = [base]
    func variant(_ change: (inout SystemState<Sleeper>) -> Void) {
      var state = base
      change(&state)
      variants.append(state)
    }
    variant { $0.now = 1 }
    variant { $0.crashes = 1 }
    variant { $0.losses = 1 }
    variant { $0.duplications = 1 }
    variant { $0[0].status = .crashed }
    variant { $0[0].status = .asleep(until: 2) }
    variant { $0[0].status = .asleep(until: 3) }
    variant { $0[0].status = .asleep(until: nil) }
    variant { $0[0].status = .stopped }
    variant { $0[0].durable.boots = 2 }
    variant { $0[0].volatile.steps = 1 }
    variant { $0[0].timers.removeLast() }
    variant { $0[0].timers[0].deadline = 1 }
    variant { $0[0].timers[0].isDurable = true }
    variant { $0[0].timers.reverse() }
    for (i, x) in variants.enumerated() {
      for (j, y) in variants.enumerated() { #expect((x == y) == (i == j), "variant \(i) vs \(j)") }
    }
    #expect(Set(variants + variants).count == variants.count)
    // The fingerprint reads every part too (in place, process by process and timer by timer).
    let fingerprints = variants.map(sleeper.fingerprint(of:))
    #expect(Set(fingerprints).count == variants.count)
    #expect(variants.map { sleeper.fingerprint(of: $0) } == fingerprints)
    // Networks: the messages and their counts.
    let spec = TwoMessages(network: .reliable, faults: FaultBudget()).spec
    let two = try #require(spec.initialStates.first)
    let a = Envelope<TwoMessages.Message>(from: 0, to: 1, message: .a)
    var fewer = two
    _ = spec.apply(.drop(a, position: 0), to: &fewer)
    var more = two
    _ = spec.apply(.duplicate(a, position: 0), to: &more)
    #expect(two != fewer && two != more && fewer != more)
    #expect(Set([two, fewer, more, two]).count == 3)
  }

  @Test("successors made in one buffer, new or refilled, put back after each action, are those apply gives on copies")
  func bufferedSuccessors() {
    expectBufferedSuccessorsMatch(TwoMessages(network: [.ordered, .lossy, .duplicating], faults: FaultBudget(losses: 1, duplications: 1)).spec)
    expectBufferedSuccessorsMatch(Sleeper().spec)
    expectBufferedSuccessorsMatch(Clients(clients: 2).spec)
    expectBufferedSuccessorsMatch(TwoPhaseMessages(resourceManagers: 2, lossy: true).spec)
    expectBufferedSuccessorsMatch(DurableExecution(variant: .correct, crashes: 1, sleep: 1).spec)
    // Monitored: the monitors' memory is put back too.
    expectBufferedSuccessorsMatch(AccountCreation(variant: .correct, crashes: 1).monitored)
    expectBufferedSuccessorsMatch(PaymentAPI(variant: .correct, retries: 1, crashes: 1).spec.monitored { PaymentAPI.atMostOnceCharge })
  }

  /// For every state reachable in `spec`: one successor buffer, put back after each action,
  /// gives the responses and successors that `apply` gives on copies; the successors are kept
  /// as they come, so one changed by a later action, or a buffer not put back, would differ.
  /// Both a new buffer per state and one buffer refilled from state to state, as the search
  /// keeps it, are checked.
  func expectBufferedSuccessorsMatch<S: Specification>(_ spec: S, sourceLocation: SourceLocation = #_sourceLocation)
  where S.Response: Equatable {
    let states = reachableStates(spec)
    var successors = 0
    var refilled: S.State?
    func buffered(_ state: S.State, in buffer: inout S.State) -> [(S.Response, S.State)] {
      var buffered: [(S.Response, S.State)] = []
      spec.forEachEnabledAction(in: state) { action in
        let response = spec.apply(action, toSuccessor: &buffer, of: state)
        buffered.append((response, buffer))
        spec.restore(&buffer, after: action, from: state)
      }
      return buffered
    }
    for state in states {
      var copied: [(S.Response, S.State)] = []
      spec.forEachEnabledAction(in: state) { action in
        var next = state
        let response = spec.apply(action, to: &next)
        copied.append((response, next))
      }
      guard var buffer = spec.successorBuffer(of: state) else {
        Issue.record("\(spec.name) has no successor buffer", sourceLocation: sourceLocation)
        return
      }
      if refilled == nil {
        refilled = spec.successorBuffer(of: state)
      } else {
        #expect(spec.refillSuccessorBuffer(&refilled!, from: state), "\(spec.name): refill", sourceLocation: sourceLocation)
      }
      #expect(refilled == state, "\(spec.name): refilled buffer", sourceLocation: sourceLocation)
      for successors in [buffered(state, in: &buffer), buffered(state, in: &refilled!)] {
        #expect(successors.map(\.0) == copied.map(\.0), "\(spec.name): responses", sourceLocation: sourceLocation)
        #expect(successors.map(\.1) == copied.map(\.1), "\(spec.name): successors", sourceLocation: sourceLocation)
      }
      successors += copied.count
    }
    #expect(states.count > 10 && successors > states.count, "\(spec.name): too small to tell", sourceLocation: sourceLocation)
  }

  @Test("coverage keys give the kinds that looking actions up by trace name gives")
  func coverageKeys() {
    let spec = Sleeper().spec
    var keyed: [String: Int] = [:]
    for state in reachableStates(spec) {
      spec.forEachEnabledAction(in: state) { action in
        let name = spec.describe(action).name
        guard let key = spec.coverageKey(of: action) else {
          guard case .step = action else { Issue.record("\(name) has no coverage key"); return }
          return
        }
        #expect((0..<64).contains(key))
        if let known = keyed[name] { #expect(known == key, "\(name)") } else { keyed[name] = key }
      }
    }
    // Distinct names have distinct keys, and every kind of action but the steps was seen.
    #expect(Set(keyed.values).count == keyed.count)
    #expect(Set(keyed.keys) == ["timeout", "crash", "restart", "wake", "tick"])
    // The counts per kind are those of the same search grouped by value.
    var options = CheckOptions()
    options.workers = 1
    options.checkDeadlock = false
    options.stopAtFirstViolation = false
    let result = spec.check(options)
    #expect(result.distinctStates == reachableStates(spec).count)
    let coverage = Dictionary(uniqueKeysWithValues: result.coverage.map { ($0.action, $0.generated) })
    var generated: [String: Int] = [:]
    for state in reachableStates(spec) {
      spec.forEachEnabledAction(in: state) { generated[spec.describe($0).name, default: 0] += 1 }
    }
    #expect(coverage == generated)
  }

  @Test("derived symmetry gives one state per orbit of the interchangeable processes")
  func derivedSymmetry() {
    for clients in 2...3 {
      let system = Clients(clients: clients)
      let all = reachableStates(system.spec)
      // Orbits computed independently: the set of all renamings of each state.
      var permutations: [[Int]] = [[]]
      for _ in 0..<clients {
        permutations = permutations.flatMap { p in (0..<clients).filter { !p.contains($0) }.map { p + [$0] } }
      }
      let orbits = Set(all.map { state in
        Set(permutations.map { p in system.spec.renamed(state, by: ProcessRenaming((p + [clients]).map { ProcessID($0) })) })
      })
      var options = CheckOptions(stopAtFirstViolation: false)
      let full = system.spec.check(options)
      options.symmetry = true
      let reduced = ModelChecker(system.spec, options: options).run()
      #expect(full.distinctStates == all.count)
      #expect(reduced.distinctStates == orbits.count)
      #expect(reduced.distinctStates < full.distinctStates)
      options.exact = true
      #expect(ModelChecker(system.spec, options: options).run().distinctStates == orbits.count)
    }
  }

  @Test("TwoPhaseMessages: derived symmetry over the resource managers counts orbits exactly")
  func twoPhaseMessagesSymmetry() {
    let system = TwoPhaseMessages(resourceManagers: 3)
    let all = reachableStates(system.spec)
    let permutations = [[1, 2, 3], [1, 3, 2], [2, 1, 3], [2, 3, 1], [3, 1, 2], [3, 2, 1]]
    let orbits = Set(all.map { state in
      Set(permutations.map { p in system.spec.renamed(state, by: ProcessRenaming(([0] + p).map { ProcessID($0) })) })
    })
    var options = CheckOptions(stopAtFirstViolation: false)
    #expect(system.spec.check(options).distinctStates == all.count)
    #expect(all.count == 415)
    options.symmetry = true
    #expect(ModelChecker(system.spec, options: options).run().distinctStates == orbits.count)
    #expect(orbits.count == 108)
    options.workers = 2
    #expect(ModelChecker(system.spec, options: options).run().distinctStates == 108)
    // The lossy variant: a lost decision leaves a resource manager waiting, never inconsistent.
    #expect(TwoPhaseMessages(resourceManagers: 3, lossy: true).spec.check().verdict == .holds)
  }

  @Test("interruption transparency: a finished run must show the effects of some uninterrupted run")
  func interruptionTransparency() throws {
    func check(_ checkpointEachStep: Bool) -> CheckResult<MonitoredSpec<SystemSpec<TwoEffects>, InterruptionTransparency<TwoEffects, [String]>>> {
      let system = TwoEffects(checkpointEachStep: checkpointEachStep, crashes: 1)
      let property = InterruptionTransparency(
        reference: TwoEffects(checkpointEachStep: checkpointEachStep, crashes: 0),
        observe: { $0.shared.effects }, finished: { $0[0].status == .stopped })
      #expect(property.uninterrupted == [["first", "second"]])
      return system.spec.monitored { property }.check()
    }
    #expect(check(true).verdict == .holds)
    let refuted = check(false)
    let violation = try #require(refuted.violation)
    #expect(violation.kind == .property)
    #expect(violation.name == "interruption transparency (DE-7)")
    // Shortest: first effect, crash, restart, first effect again, second effect, finish.
    let names = violation.trace.actions.map { TwoEffects().spec.describe($0).name }
    #expect(names == ["effect", "crash", "restart", "effect", "effect", "finish"])
    #expect(violation.message?.contains(#"["first","first","second"]"#) == true)
  }
}

/// A worker that makes two external effects in order and then finishes; with
/// `checkpointEachStep` it records each effect durably right after it, otherwise only at the end.
struct TwoEffects: DistributedSystem {
  struct Durable: Hashable, Sendable { var done = 0 }
  struct Volatile: Hashable, Sendable { var next = 0 }
  struct Shared: Hashable, Sendable { var effects: [String] = [] }
  enum Step: Hashable, Sendable { case effect, finish }
  var checkpointEachStep = true
  var crashes = 1
  var name: String { "TwoEffects" }
  var processes: [String] { ["worker"] }
  var faults: FaultBudget { FaultBudget(crashes: crashes) }
  var initialShared: Shared { Shared() }
  func initialDurable(of process: ProcessID) -> Durable { Durable() }
  func initialVolatile(of process: ProcessID) -> Volatile { Volatile() }
  func start(_ context: inout ProcessContext<Self>) { context.volatile.next = context.durable.done }
  func forEachStep(of context: ProcessContext<Self>, _ body: (Step) -> Void) {
    body(context.volatile.next < 2 ? .effect : .finish)
  }
  func perform(_ step: Step, _ context: inout ProcessContext<Self>) {
    switch step {
    case .effect:
      context.shared.effects.append(context.volatile.next == 0 ? "first" : "second")
      context.volatile.next += 1
      if checkpointEachStep { context.durable.done = context.volatile.next }
    case .finish:
      context.durable.done = 2
      context.stop()
    }
  }
}

/// The first system of docs/execution-model.md, verbatim.
struct Ping: DistributedSystem {
  enum Message: Hashable, Sendable { case ping, pong }
  struct Volatile: Hashable, Sendable { var pongs = 0 }
  enum Timer: Hashable, Sendable { case retry }

  var name: String { "Ping" }
  var processes: [String] { ["client", "server"] }          // ProcessID 0 and 1
  var network: NetworkSemantics { [.lossy] }                // unordered, may lose messages
  var faults: FaultBudget { FaultBudget(crashes: 1, losses: 2) }

  func initialVolatile(of process: ProcessID) -> Volatile { Volatile() }

  func start(_ context: inout ProcessContext<Self>) {       // boot, and recovery after a crash
    if context.process == 0 {
      context.send(.ping, to: 1)
      context.setTimer(.retry)
    }
  }
  func receive(_ message: Message, from sender: ProcessID, _ context: inout ProcessContext<Self>) {
    switch message {
    case .ping: context.send(.pong, to: sender)
    case .pong:
      context.volatile.pongs += 1
      context.cancelTimer(.retry)
    }
  }
  func timeout(_ timer: Timer, _ context: inout ProcessContext<Self>) {
    context.send(.ping, to: 1)                               // a client retry
  }
}

@Suite("Execution model: the documented example")
struct PingTests {
  @Test("Ping checks, and the searches agree on it")
  func ping() {
    var options = CheckOptions(stopAtFirstViolation: false)
    let result = Ping().spec.check(options)
    #expect(result.verdict == .holds)
    #expect(result.distinctStates == reachableStates(Ping().spec).count)
    options.strategy = .depthFirst
    #expect(Ping().spec.check(options).distinctStates == result.distinctStates)
    options.strategy = .breadthFirst
    options.exact = true
    #expect(Ping().spec.check(options).distinctStates == result.distinctStates)
    // The client pings at boot and once more on its timer; after its one crash, again twice.
    // Pongs of pings sent before the crash may still arrive after it, so 0 to 4 are counted.
    let pongs = Set(reachableStates(Ping().spec).map { $0[0].volatile.pongs })
    #expect(pongs == [0, 1, 2, 3, 4])
    // Before any crash only two pings exist.
    #expect(reachableStates(Ping().spec).filter { $0.crashes == 0 }.allSatisfy { $0[0].volatile.pongs <= 2 })
  }
}
