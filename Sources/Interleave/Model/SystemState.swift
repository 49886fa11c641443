/// The state of a whole ``DistributedSystem``: its processes, the messages in flight, the shared
/// external stores, the clock and the faults spent so far.
public struct SystemState<System: DistributedSystem>: Hashable, Sendable {
  /// Every process's state, by ``ProcessID/index``.
  public var processes: [ProcessState<System>]
  /// Messages sent and not yet delivered or lost.
  public var network: MessagesInFlight<System.Message>
  /// The external stores every process reaches in one atomic step (a database, a ledger, a
  /// payment provider); they survive every crash.
  public var shared: System.Shared
  /// The logical clock (0 on a system without one).
  public var now: Int
  /// Crashes so far (counted only under a bounded budget).
  public var crashes: Int
  /// Messages lost so far (counted only under a bounded budget).
  public var losses: Int
  /// Messages duplicated so far (counted only under a bounded budget).
  public var duplications: Int

  /// Creates a state.
  @inlinable
  public init(
    processes: [ProcessState<System>], network: MessagesInFlight<System.Message>, shared: System.Shared, now: Int,
    crashes: Int, losses: Int, duplications: Int
  ) {
    self.processes = processes
    self.network = network
    self.shared = shared
    self.now = now
    self.crashes = crashes
    self.losses = losses
    self.duplications = duplications
  }

  /// Gives the state a process array of its own, copied element by element in specialized
  /// code; call it once before writing to the processes of a state copied from another.
  ///
  /// A successor shares its parent's array, and the first write would copy it through the
  /// runtime, which looks up `ProcessState`'s field types for every element it copies (10% of a
  /// TwoPhaseMessages run). Copied here, the array is unique and the writes go in place.
  @inlinable
  mutating func unshareProcesses() {
    processes = processes.map { $0 }
  }

  /// The state of one process.
  ///
  /// Read and written in place: with `get` and `set`, `state[p].timers.removeAll()` copied the
  /// process out, so its timer array had a second owner and was copied before the removal.
  @inlinable
  public subscript(process: ProcessID) -> ProcessState<System> {
    _read { yield processes[process.index] }
    _modify { yield &processes[process.index] }
  }

  // `==` and `hash(into:)` are written out and inlinable, here and in the types a state is made
  // of, so that they specialize for the system: synthesized, they run unspecialized and ask the
  // runtime for generic metadata on every call (an exact search compares states all the time).
  @inlinable
  public static func == (lhs: SystemState, rhs: SystemState) -> Bool {
    lhs.now == rhs.now && lhs.crashes == rhs.crashes && lhs.losses == rhs.losses
      && lhs.duplications == rhs.duplications && lhs.processes == rhs.processes && lhs.network == rhs.network
      && lhs.shared == rhs.shared
  }

  @inlinable
  public func hash(into hasher: inout Hasher) {
    hasher.combine(processes)
    hasher.combine(network)
    hasher.combine(shared)
    hasher.combine(now)
    hasher.combine(crashes)
    hasher.combine(losses)
    hasher.combine(duplications)
  }
}

extension SystemState: Fingerprintable {
  @inlinable
  public func fingerprint(into f: inout Fingerprinter) {
    f.combine(UInt64(processes.count))
    for process in processes {
      process.status.fingerprint(into: &f)
      ReflectiveFingerprint.combine(component: process.durable, into: &f)
      ReflectiveFingerprint.combine(component: process.volatile, into: &f)
      f.combine(UInt64(process.timers.count))
      for timer in process.timers {
        ReflectiveFingerprint.combine(component: timer.timer, into: &f)
        f.combine(timer.deadline.map { UInt64(bitPattern: Int64($0)) } ?? .max)
        f.combine(timer.isDurable)
      }
    }
    f.combine(UInt64(network.entries.count))
    for entry in network.entries {
      f.combine(entry.envelope.from)
      f.combine(entry.envelope.to)
      f.combine(entry.key)
      f.combine(entry.count)
    }
    ReflectiveFingerprint.combine(component: shared, into: &f)
    f.combine(now)
    f.combine(crashes)
    f.combine(losses)
    f.combine(duplications)
  }
}
