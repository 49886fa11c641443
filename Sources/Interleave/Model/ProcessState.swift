/// Whether a process runs, and if not, why.
public enum ProcessStatus: Hashable, Sendable, Fingerprintable, JSONRenderable {
  /// Running: it receives messages, fires timers and takes steps.
  case running
  /// Crashed: its volatile state and timers are gone; `restart` runs recovery.
  case crashed
  /// Asleep: interrupted by its own ``ProcessContext/sleep(until:)``, exactly like a crash,
  /// except that `wake` resumes it (no earlier than `until`, on a system with a clock).
  case asleep(until: Int?)
  /// Stopped for good by ``ProcessContext/stop()``: it takes no part any more and cannot crash.
  case stopped

  @inlinable
  public func fingerprint(into f: inout Fingerprinter) {
    switch self {
    case .running: f.combine(1)
    case .crashed: f.combine(2)
    case .asleep(let until): f.combine(3); f.combine(until.map { UInt64(bitPattern: Int64($0)) } ?? .max)
    case .stopped: f.combine(4)
    }
  }

  // Written out and inlinable (see `SystemState`'s): compared for every process whenever two
  // states are.
  @inlinable
  public static func == (lhs: ProcessStatus, rhs: ProcessStatus) -> Bool {
    switch (lhs, rhs) {
    case (.running, .running), (.crashed, .crashed), (.stopped, .stopped): true
    case (.asleep(let a), .asleep(let b)): a == b
    default: false
    }
  }

  @inlinable
  public func hash(into hasher: inout Hasher) {
    switch self {
    case .running: hasher.combine(0)
    case .crashed: hasher.combine(1)
    case .asleep(let until): hasher.combine(2); hasher.combine(until)
    case .stopped: hasher.combine(3)
    }
  }

  /// `"running"`, `"crashed"`, `{"asleep": {"until": 3}}` or `"stopped"`.
  public var jsonValue: JSONValue {
    switch self {
    case .running: "running"
    case .crashed: "crashed"
    case .asleep(let until): ["asleep": ["until": until.map(JSONValue.int) ?? .null]]
    case .stopped: "stopped"
    }
  }
}

/// A timer a process has set: it fires once, as the action `timeout`.
public struct PendingTimer<Timer: Hashable & Sendable>: Hashable, Sendable {
  /// The process's own name for the timer.
  public var timer: Timer
  /// The earliest time it may fire, on a system with a clock; nil: any time.
  public var deadline: Int?
  /// Whether it survives a crash (a durable timer, such as a durable sleep's), or dies with
  /// the process's volatile state.
  public var isDurable: Bool

  /// Creates a pending timer.
  @inlinable
  public init(timer: Timer, deadline: Int?, isDurable: Bool) {
    self.timer = timer
    self.deadline = deadline
    self.isDurable = isDurable
  }

  // Written out and inlinable (see `SystemState`'s).
  @inlinable
  public static func == (lhs: PendingTimer, rhs: PendingTimer) -> Bool {
    lhs.timer == rhs.timer && lhs.deadline == rhs.deadline && lhs.isDurable == rhs.isDurable
  }

  @inlinable
  public func hash(into hasher: inout Hasher) {
    hasher.combine(timer)
    hasher.combine(deadline)
    hasher.combine(isDurable)
  }
}

/// One process's part of a ``SystemState``.
public struct ProcessState<System: DistributedSystem>: Hashable, Sendable {
  /// Running, crashed, asleep or stopped.
  public var status: ProcessStatus
  /// What survives a crash: what the process wrote to its own disk.
  public var durable: System.Durable
  /// What a crash loses: memory, open work.
  public var volatile: System.Volatile
  /// The timers set and not yet fired, in the order they were set.
  public var timers: [PendingTimer<System.Timer>]

  /// Creates a process state.
  @inlinable
  public init(status: ProcessStatus, durable: System.Durable, volatile: System.Volatile, timers: [PendingTimer<System.Timer>]) {
    self.status = status
    self.durable = durable
    self.volatile = volatile
    self.timers = timers
  }

  /// Whether the process is running.
  @inlinable
  public var isRunning: Bool {
    // A pattern, not `==`: the synthesized `==` of `ProcessStatus` is not inlinable, and this
    // is asked for every process of every state expanded.
    if case .running = status { return true }
    return false
  }

  /// Whether the timer is set.
  @inlinable
  public func hasTimer(_ timer: System.Timer) -> Bool { timers.contains { $0.timer == timer } }

  // Written out and inlinable (see `SystemState`'s).
  @inlinable
  public static func == (lhs: ProcessState, rhs: ProcessState) -> Bool {
    lhs.status == rhs.status && lhs.durable == rhs.durable && lhs.volatile == rhs.volatile && lhs.timers == rhs.timers
  }

  @inlinable
  public func hash(into hasher: inout Hasher) {
    hasher.combine(status)
    hasher.combine(durable)
    hasher.combine(volatile)
    hasher.combine(timers)
  }
}
