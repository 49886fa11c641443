/// A step of a ``DistributedSystem``: a process handles a message, a timer or a step of its own,
/// or the environment injects a fault.
///
/// Every action has a stable trace name, which real logs use to name it (docs/execution-model.md):
///
/// | action | trace name | arguments |
/// |---|---|---|
/// | ``deliver(_:)`` | `deliver` | `from`, `to`, `message` |
/// | ``drop(_:position:)`` | `drop` | `from`, `to`, `message` (+ `position` when ordered) |
/// | ``duplicate(_:position:)`` | `duplicate` | `from`, `to`, `message` (+ `position` when ordered) |
/// | ``crash(_:)`` | `crash` | `process` |
/// | ``restart(_:)`` | `restart` | `process` |
/// | ``wake(_:)`` | `wake` | `process` |
/// | ``timeout(_:_:)`` | `timeout` | `process`, `timer` |
/// | ``step(_:_:)`` | the step's case name | `process` and the step's arguments |
/// | ``tick`` | `tick` | none |
///
/// Processes appear by name, messages, timers and steps as their JSON rendering.
public enum SystemAction<System: DistributedSystem>: Hashable, Sendable {
  /// The network hands a message to its receiver, which handles it.
  case deliver(Envelope<System.Message>)
  /// The network loses a message (at a position in its channel when ordered).
  case drop(Envelope<System.Message>, position: Int)
  /// The network duplicates a message (at a position in its channel when ordered).
  case duplicate(Envelope<System.Message>, position: Int)
  /// A process crashes: its volatile state and timers are lost, its durable state stays.
  case crash(ProcessID)
  /// A crashed process restarts and runs recovery (``DistributedSystem/start(_:)``).
  case restart(ProcessID)
  /// A sleeping process wakes and runs recovery, exactly as after a crash.
  case wake(ProcessID)
  /// A process's timer fires.
  case timeout(ProcessID, System.Timer)
  /// A process takes a step of its own (``DistributedSystem/forEachStep(of:_:)``).
  case step(ProcessID, System.Step)
  /// The clock advances by one.
  case tick

  /// The process that acts, or nil for ``tick`` and the network's faults.
  @inlinable
  public var process: ProcessID? {
    switch self {
    case .deliver(let envelope): envelope.to
    case .crash(let process), .restart(let process), .wake(let process), .timeout(let process, _), .step(let process, _):
      process
    case .drop, .duplicate, .tick: nil
    }
  }

  /// Whether the environment injects this action as a fault: a crash, a loss or a duplication.
  @inlinable
  public var isFault: Bool {
    switch self {
    case .crash, .drop, .duplicate: true
    default: false
    }
  }

  /// The message delivered, for a ``deliver(_:)``.
  @inlinable
  public var delivered: Envelope<System.Message>? {
    if case .deliver(let envelope) = self { return envelope }
    return nil
  }

  /// The step taken, for a ``step(_:_:)``.
  @inlinable
  public var stepTaken: System.Step? {
    if case .step(_, let step) = self { return step }
    return nil
  }
}

// Equality and hashing are written out, and inlinable, so that they specialize for the concrete
// system in the module that checks it. The synthesized ones cannot be inlined into another module;
// called unspecialized, they asked the runtime for the payload tuples' metadata on every call (a
// lock-protected cache), which was 15% of a TwoPhaseMessages run on two workers: coverage looks
// every generated action up by value.
extension SystemAction {
  @inlinable
  public static func == (lhs: SystemAction, rhs: SystemAction) -> Bool {
    switch (lhs, rhs) {
    case (.deliver(let a), .deliver(let b)): a == b
    case (.drop(let a, let i), .drop(let b, let j)), (.duplicate(let a, let i), .duplicate(let b, let j)):
      a == b && i == j
    case (.crash(let a), .crash(let b)), (.restart(let a), .restart(let b)), (.wake(let a), .wake(let b)): a == b
    case (.timeout(let a, let x), .timeout(let b, let y)): a == b && x == y
    case (.step(let a, let x), .step(let b, let y)): a == b && x == y
    case (.tick, .tick): true
    default: false
    }
  }

  /// The case's position in the declaration, which hashing mixes in before the payload.
  @inlinable var caseTag: UInt8 {
    switch self {
    case .deliver: 0
    case .drop: 1
    case .duplicate: 2
    case .crash: 3
    case .restart: 4
    case .wake: 5
    case .timeout: 6
    case .step: 7
    case .tick: 8
    }
  }

  @inlinable
  public func hash(into hasher: inout Hasher) {
    hasher.combine(caseTag)
    switch self {
    case .deliver(let envelope):
      hasher.combine(envelope)
    case .drop(let envelope, let position), .duplicate(let envelope, let position):
      hasher.combine(envelope)
      hasher.combine(position)
    case .crash(let process), .restart(let process), .wake(let process):
      hasher.combine(process)
    case .timeout(let process, let timer):
      hasher.combine(process)
      hasher.combine(timer)
    case .step(let process, let step):
      hasher.combine(process)
      hasher.combine(step)
    case .tick:
      break
    }
  }
}
