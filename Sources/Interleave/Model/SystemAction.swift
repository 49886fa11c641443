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
  public var process: ProcessID? {
    switch self {
    case .deliver(let envelope): envelope.to
    case .crash(let process), .restart(let process), .wake(let process), .timeout(let process, _), .step(let process, _):
      process
    case .drop, .duplicate, .tick: nil
    }
  }

  /// Whether the environment injects this action as a fault: a crash, a loss or a duplication.
  public var isFault: Bool {
    switch self {
    case .crash, .drop, .duplicate: true
    default: false
    }
  }

  /// The message delivered, for a ``deliver(_:)``.
  public var delivered: Envelope<System.Message>? {
    if case .deliver(let envelope) = self { return envelope }
    return nil
  }

  /// The step taken, for a ``step(_:_:)``.
  public var stepTaken: System.Step? {
    if case .step(_, let step) = self { return step }
    return nil
  }
}
