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

  /// Takes `other`'s network, shared stores, clock and fault counters: every part but the
  /// processes (a successor buffer puts those back one by one). Always inlined: left to the
  /// optimizer, DurableExecution took 0.8% more instructions.
  @inlinable @inline(__always)
  mutating func assignAllButProcesses(from other: SystemState) {
    network = other.network
    shared = other.shared
    now = other.now
    crashes = other.crashes
    losses = other.losses
    duplications = other.duplications
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
      && lhs.duplications == rhs.duplications && equalProcesses(lhs.processes, rhs.processes) && lhs.network == rhs.network
      && lhs.shared == rhs.shared
  }

  /// Whether two process arrays are equal, compared in place: `==` on the arrays copies each
  /// process it compares (retaining and releasing its timer array and the references in its
  /// state), and an exact search compares states at every visited successor.
  @inlinable
  static func equalProcesses(_ lhs: [ProcessState<System>], _ rhs: [ProcessState<System>]) -> Bool {
    lhs.withUnsafeBufferPointer { lhs in
      rhs.withUnsafeBufferPointer { rhs in
        guard lhs.count == rhs.count else { return false }
        if lhs.baseAddress == rhs.baseAddress { return true }
        for index in lhs.indices {
          guard lhs[index].status == rhs[index].status, lhs[index].durable == rhs[index].durable,
            lhs[index].volatile == rhs[index].volatile, lhs[index].timers == rhs[index].timers
          else { return false }
        }
        return true
      }
    }
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
    // In place: `for process in processes` copied each process, retaining its timer array and
    // the references in its durable and volatile state (and the component fingerprints copied
    // them again to take their address). The pointer is mutable only to take fields' addresses;
    // nothing is written.
    processes.withUnsafeBufferPointer { processes in
      guard let first = processes.baseAddress.map(UnsafeMutablePointer.init(mutating:)) else { return }
      for index in processes.indices {
        let process = first + index
        process.pointee.status.fingerprint(into: &f)
        ReflectiveFingerprint.combine(componentAt: &process.pointee.durable, into: &f)
        ReflectiveFingerprint.combine(componentAt: &process.pointee.volatile, into: &f)
        let timerCount = process.pointee.timers.count
        f.combine(UInt64(timerCount))
        guard timerCount > 0 else { continue }
        process.pointee.timers.withUnsafeBufferPointer { timers in
          let firstTimer = UnsafeMutablePointer(mutating: timers.baseAddress!)
          for index in timers.indices {
            let timer = firstTimer + index
            ReflectiveFingerprint.combine(componentAt: &timer.pointee.timer, into: &f)
            f.combine(timer.pointee.deadline.map { UInt64(bitPattern: Int64($0)) } ?? .max)
            f.combine(timer.pointee.isDurable)
          }
        }
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
