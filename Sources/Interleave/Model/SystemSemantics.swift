/// How a ``DistributedSystem`` runs as a ``Specification``: its initial state, the actions
/// enabled in a state and their effects.
extension SystemSpec {
  @inlinable
  public var initialStates: [State] {
    var state = SystemState<System>(
      processes: system.processIDs.map { process in
        ProcessState(status: .running, durable: system.initialDurable(of: process), volatile: system.initialVolatile(of: process), timers: [])
      },
      network: MessagesInFlight(ordered: system.network.contains(.ordered)),
      shared: system.initialShared, now: 0, crashes: 0, losses: 0, duplications: 0)
    for process in system.processIDs {
      _ = run(process, in: &state, isRecovery: false) { system.start(&$0) }
    }
    return [state]
  }

  /// Enumerates, in this order: each running process's own steps and due timers; for each
  /// message in flight, its delivery (at the head of its channel, to a running receiver), loss
  /// and duplication; crashes, restarts and wakes; the clock's tick.
  @inlinable
  public func forEachEnabledAction(in state: State, _ body: (Action) -> Void) {
    // The state has one entry per process: counting them does not ask the system for its
    // process names (which a system may build on every call).
    let processIDs = state.processes.indices.lazy.map { ProcessID($0) }
    // Building a context copies the process's state: only for systems that have steps. One
    // context serves every process, given each one's state in turn: a context is large enough
    // that destroying one goes through the runtime's generic value witness.
    if System.Step.self != Never.self, !state.processes.isEmpty {
      var stepContext = context(ProcessID(0), in: state, isRecovery: false)
      for process in processIDs where state[process].isRunning {
        if process.index != 0 { stepContext.show(process, state[process]) }
        system.forEachStep(of: stepContext) { body(.step(process, $0)) }
        forEachDueTimer(of: process, in: state) { body(.timeout(process, $0)) }
      }
    } else {
      for process in processIDs where state[process].isRunning {
        forEachDueTimer(of: process, in: state) { body(.timeout(process, $0)) }
      }
    }
    let canLose = system.network.contains(.lossy) && system.faults.losses.map { state.losses < $0 } ?? true
    let canDuplicate = system.network.contains(.duplicating) && system.faults.duplications.map { state.duplications < $0 } ?? true
    for (position, entry) in state.network.entries.enumerated() {
      let envelope = entry.envelope
      if state.network.isDeliverable(at: position), state[envelope.to].isRunning { body(.deliver(envelope)) }
      if canLose || canDuplicate {
        let channelPosition = state.network.channelPosition(of: position)
        if canLose { body(.drop(envelope, position: channelPosition)) }
        if canDuplicate { body(.duplicate(envelope, position: channelPosition)) }
      }
    }
    let canCrashAny = system.faults.crashes.map { state.crashes < $0 } ?? true
    for process in processIDs {
      switch state[process].status {
      case .running:
        if canCrashAny, system.canCrash(process, in: state) { body(.crash(process)) }
      case .crashed:
        body(.restart(process))
      case .asleep(let until):
        if until.map({ $0 <= state.now }) ?? true { body(.wake(process)) }
      case .stopped:
        break
      }
    }
    if let limit = system.clockLimit, state.now < limit { body(.tick) }
  }

  @inlinable
  public func apply(_ action: Action, to state: inout State) -> [System.Event] {
    apply(action, to: &state, ownsProcesses: false)
  }

  /// A copy of `state` whose process array is its own, so that the actions applied to it
  /// (``apply(_:toSuccessor:of:)``) write their process in place: one copy of the array per
  /// state expanded instead of one per successor, and no destruction of one per successor
  /// (element by element, through the runtime's generic value witnesses).
  @inlinable
  public func successorBuffer(of state: State) -> State? {
    var buffer = state
    buffer.unshareProcesses()
    return buffer
  }

  /// Assigns `state` to the buffer process by process: the buffer's array stays its own, where
  /// a new buffer is a new array, copied and later destroyed element by element through the
  /// runtime's generic value witnesses.
  @inlinable
  public func refillSuccessorBuffer(_ buffer: inout State, from state: State) -> Bool {
    // Every state of a system has the same processes; if not, the search takes a new buffer.
    guard buffer.processes.count == state.processes.count else { return false }
    for index in state.processes.indices { buffer.processes[index] = state.processes[index] }
    buffer.assignAllButProcesses(from: state)
    return true
  }

  @inlinable
  public func apply(_ action: Action, toSuccessor successor: inout State, of parent: State) -> [System.Event] {
    apply(action, to: &successor, ownsProcesses: true)
  }

  /// Puts back what an action changes: its own process (``SystemAction/process``), the network,
  /// the shared stores and the counters.
  @inlinable
  public func restore(_ successor: inout State, after action: Action, from parent: State) {
    if let process = action.process { successor.processes[process.index] = parent.processes[process.index] }
    successor.assignAllButProcesses(from: parent)
    assert(successor == parent, "\(system.name): \(action) changed more than its own process, the network and the shared stores")
  }

  /// Applies `action`; `ownsProcesses`: the state's process array is its own (no other state
  /// shares it), so writes to it go in place without copying it first.
  @inlinable
  func apply(_ action: Action, to state: inout State, ownsProcesses: Bool) -> [System.Event] {
    switch action {
    case .deliver(let envelope):
      state.network.removeOne(at: locate(envelope, channelPosition: 0, in: state))
      return run(envelope.to, in: &state, isRecovery: false, ownsProcesses: ownsProcesses) {
        system.receive(envelope.message, from: envelope.from, &$0)
      }
    case .drop(let envelope, let position):
      state.network.removeOne(at: locate(envelope, channelPosition: position, in: state))
      if system.faults.losses != nil { state.losses += 1 }
      return []
    case .duplicate(let envelope, let position):
      state.network.duplicate(at: locate(envelope, channelPosition: position, in: state))
      if system.faults.duplications != nil { state.duplications += 1 }
      return []
    case .crash(let process):
      if !ownsProcesses { state.unshareProcesses() }
      interrupt(process, in: &state, status: .crashed)
      if system.faults.crashes != nil { state.crashes += 1 }
      return []
    case .restart(let process), .wake(let process):
      state[process].status = .running
      return run(process, in: &state, isRecovery: true, ownsProcesses: ownsProcesses) { system.start(&$0) }
    case .timeout(let process, let timer):
      state[process].timers.removeAll { $0.timer == timer }
      return run(process, in: &state, isRecovery: false, ownsProcesses: ownsProcesses) { system.timeout(timer, &$0) }
    case .step(let process, let step):
      return run(process, in: &state, isRecovery: false, ownsProcesses: ownsProcesses) { system.perform(step, &$0) }
    case .tick:
      state.now += 1
      return []
    }
  }


  @inlinable
  public func fingerprint(of state: State) -> UInt64 {
    var f = Fingerprinter()
    state.fingerprint(into: &f)
    return f.finalize()
  }

  /// Every case but ``SystemAction/step(_:_:)`` has one trace name (the step's is its case
  /// name): its case position.
  @inlinable
  public func coverageKey(of action: Action) -> Int? {
    if case .step = action { return nil }
    return Int(action.caseTag)
  }

  /// Network faults and the clock's tick are hidden from logs: the validator may insert them.
  @inlinable
  public func isHidden(_ action: Action) -> Bool {
    switch action {
    case .drop, .duplicate, .tick: true
    default: false
    }
  }

  /// Calls `body` with each timer of `process` that may fire now, in the order they were set.
  @inlinable
  func forEachDueTimer(of process: ProcessID, in state: State, _ body: (System.Timer) -> Void) {
    for timer in state[process].timers where timer.deadline.map({ $0 <= state.now }) ?? true { body(timer.timer) }
  }

  /// A read-only context of `process` in `state`, as ``forEachStep(of:_:)`` sees it.
  @inlinable
  public func context(_ process: ProcessID, in state: State, isRecovery: Bool = false) -> ProcessContext<System> {
    ProcessContext(process: process, state: state[process], shared: state.shared, now: state.now, isRecovery: isRecovery)
  }

  /// Runs one handler of `process` and applies what it did to `state`.
  @inlinable
  func run(
    _ process: ProcessID, in state: inout State, isRecovery: Bool, ownsProcesses: Bool = false,
    _ handler: (inout ProcessContext<System>) -> Void
  ) -> [System.Event] {
    var context = context(process, in: state, isRecovery: isRecovery)
    handler(&context)
    if !ownsProcesses { state.unshareProcesses() }
    // Swapped, not assigned: the new values move in without being retained, and the context
    // takes the old ones away.
    swap(&state.processes[process.index].durable, &context.durable)
    swap(&state.processes[process.index].volatile, &context.volatile)
    swap(&state.processes[process.index].timers, &context.timers)
    swap(&state.shared, &context.shared)
    for envelope in context.outbox {
      precondition(
        state.processes.indices.contains(envelope.to.index),
        "\(system.name): \(system.processes[process.index]) sent a message to \(envelope.to), which is not a process of the system")
      state.network.add(envelope)
    }
    if let status = context.interruption { interrupt(process, in: &state, status: status) }
    return context.events
  }

  /// Interrupts `process`: volatile state and volatile timers are lost. A process that stops
  /// keeps its volatile state (for invariants to read) and loses every timer.
  @inlinable
  func interrupt(_ process: ProcessID, in state: inout State, status: ProcessStatus) {
    state[process].status = status
    if case .stopped = status {
      state[process].timers.removeAll()
    } else {
      state[process].volatile = system.initialVolatile(of: process)
      state[process].timers.removeAll { !$0.isDurable }
    }
  }

  /// The array position of a message an enabled action names.
  @inlinable
  func locate(_ envelope: Envelope<System.Message>, channelPosition: Int, in state: State) -> Int {
    guard let position = state.network.position(of: envelope, channelPosition: channelPosition) else {
      preconditionFailure("\(system.name): no such message in flight: \(envelope)")
    }
    return position
  }
}
