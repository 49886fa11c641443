/// What a process handler sees and does: its own state, the shared stores and the clock, and
/// the messages it sends, the timers it sets, the events it emits and whether it interrupts
/// itself.
///
/// Handlers take the context `inout`; everything they change is applied as one atomic step.
public struct ProcessContext<System: DistributedSystem> {
  /// The process handling the step.
  @inlinable public var process: ProcessID { handlingProcess }
  @usableFromInline var handlingProcess: ProcessID
  /// Its durable state: what it wrote to its own disk. Survives crashes.
  public var durable: System.Durable
  /// Its volatile state: memory. Lost in a crash or a sleep.
  public var volatile: System.Volatile
  /// The external stores (databases, ledgers): survive everything.
  public var shared: System.Shared
  /// The logical clock (0 on a system without one).
  public let now: Int
  /// In ``DistributedSystem/start(_:)``: whether this is recovery after a crash or a sleep
  /// rather than the first boot.
  public let isRecovery: Bool

  @usableFromInline var timers: [PendingTimer<System.Timer>]
  @usableFromInline var outbox: [Envelope<System.Message>] = []
  @usableFromInline var events: [System.Event] = []
  @usableFromInline var interruption: ProcessStatus?

  @inlinable
  init(process: ProcessID, state: ProcessState<System>, shared: System.Shared, now: Int, isRecovery: Bool) {
    self.handlingProcess = process
    self.durable = state.durable
    self.volatile = state.volatile
    self.shared = shared
    self.now = now
    self.isRecovery = isRecovery
    self.timers = state.timers
  }

  /// Turns this read-only context, the one ``DistributedSystem/forEachStep(of:_:)`` gets, into
  /// `process`'s in the same system state: `state` replaces the previous process's state.
  @inlinable
  mutating func show(_ process: ProcessID, _ state: ProcessState<System>) {
    handlingProcess = process
    durable = state.durable
    volatile = state.volatile
    timers = state.timers
  }

  /// Sends `message` to `receiver` through the network.
  @inlinable
  public mutating func send(_ message: System.Message, to receiver: ProcessID) {
    outbox.append(Envelope(from: process, to: receiver, message: message))
  }

  /// Sets `timer` (again): it fires once, as `timeout`, at or after `deadline` on a system with
  /// a clock, at any later time otherwise. A durable timer survives a crash.
  @inlinable
  public mutating func setTimer(_ timer: System.Timer, at deadline: Int? = nil, durable: Bool = false) {
    timers.removeAll { $0.timer == timer }
    timers.append(PendingTimer(timer: timer, deadline: deadline, isDurable: durable))
  }

  /// Cancels `timer` if it is set.
  @inlinable
  public mutating func cancelTimer(_ timer: System.Timer) {
    timers.removeAll { $0.timer == timer }
  }

  /// Whether `timer` is set.
  @inlinable
  public func hasTimer(_ timer: System.Timer) -> Bool { timers.contains { $0.timer == timer } }

  /// Emits an event for trace properties: the step's response carries the events in order.
  @inlinable
  public mutating func emit(_ event: System.Event) {
    events.append(event)
  }

  /// Interrupts the process at the end of this step, exactly like a crash (volatile state and
  /// volatile timers lost), until `wake` resumes it and recovery runs: not before `deadline` on
  /// a system with a clock. A sleep is an interruption.
  @inlinable
  public mutating func sleep(until deadline: Int? = nil) {
    interruption = .asleep(until: deadline)
  }

  /// Stops the process for good at the end of this step: it has finished its work.
  @inlinable
  public mutating func stop() {
    interruption = .stopped
  }
}
