/// A system of processes that exchange messages over a network, crash, restart, sleep and set
/// timers: the execution model. Its ``spec`` compiles it down to a ``Specification``, so the
/// model checker, trace properties, the validator and the test helpers work on it unchanged.
///
/// Write the processes' handlers; the model supplies the rest: the network's semantics
/// (``network``), crashes and restarts within a ``FaultBudget`` (``faults``), timers, sleeps as
/// interruptions, an optional clock (``clockLimit``) and stable trace names (``SystemAction``).
///
/// ```swift
/// struct Ping: DistributedSystem {
///   enum Message: Hashable, Sendable { case ping, pong }
///   struct Volatile: Hashable, Sendable { var pongs = 0 }
///   let name = "Ping"
///   var processes: [String] { ["client", "server"] }
///   var network: NetworkSemantics { [.lossy] }
///   func initialVolatile(of process: ProcessID) -> Volatile { Volatile() }
///   func start(_ context: inout ProcessContext<Self>) {
///     if context.process == 0 { context.send(.ping, to: 1) }
///   }
///   func receive(_ message: Message, from sender: ProcessID, _ context: inout ProcessContext<Self>) {
///     switch message {
///     case .ping: context.send(.pong, to: sender)
///     case .pong: context.volatile.pongs += 1
///     }
///   }
/// }
///
/// let result = Ping().spec.check()
/// ```
///
/// Each step is atomic: one handler runs to its end, and faults happen between steps. To let a
/// crash fall between two writes, make them two steps (``forEachStep(of:_:)``). A sleep
/// (``ProcessContext/sleep(until:)``) interrupts the process exactly as a crash does, and `wake`
/// runs the same recovery (``start(_:)`` with ``ProcessContext/isRecovery``).
public protocol DistributedSystem: Sendable {
  /// What processes send each other.
  associatedtype Message: Hashable & Sendable = Never
  /// A process's durable state: survives crashes.
  associatedtype Durable: Hashable & Sendable = EmptyState
  /// A process's volatile state: lost in a crash or a sleep.
  associatedtype Volatile: Hashable & Sendable = EmptyState
  /// External stores shared by all processes, each access atomic (databases, ledgers).
  associatedtype Shared: Hashable & Sendable = EmptyState
  /// A process's names for its timers.
  associatedtype Timer: Hashable & Sendable = Never
  /// Steps a process takes on its own, without a message or a timer.
  associatedtype Step: Hashable & Sendable = Never
  /// What handlers emit for trace properties (effects, checkpoints); the step's response.
  associatedtype Event: Hashable & Sendable = Never

  /// The system's name, as the CLI and reports show it.
  var name: String { get }

  /// The processes' names, in ``ProcessID`` order: trace names use them.
  var processes: [String] { get }

  /// The network's semantics; reliable and unordered by default.
  var network: NetworkSemantics { get }

  /// The faults the environment may inject; none by default.
  var faults: FaultBudget { get }

  /// The last value of the logical clock, or nil (the default) for a system without a clock.
  /// With a clock, `tick` advances it by one and timers with a deadline wait for it.
  var clockLimit: Int? { get }

  /// Groups of interchangeable processes, for symmetry reduction (`--symmetry`): swapping two
  /// processes of a group, in every state and message, must map behaviours to behaviours and
  /// keep every invariant's verdict. Empty by default. Data that names processes must be
  /// rewritten by the `renamed...` requirements.
  var interchangeableProcesses: [[ProcessID]] { get }

  /// The external stores in the initial state.
  var initialShared: Shared { get }

  /// A process's durable state at first boot.
  func initialDurable(of process: ProcessID) -> Durable

  /// A process's volatile state at first boot and after every crash or sleep.
  func initialVolatile(of process: ProcessID) -> Volatile

  /// Runs when a process boots (in the initial state) and on recovery (`restart` after a crash,
  /// `wake` after a sleep; ``ProcessContext/isRecovery`` tells which). Does nothing by default.
  func start(_ context: inout ProcessContext<Self>)

  /// Handles a message delivered to ``ProcessContext/process``. Does nothing by default.
  func receive(_ message: Message, from sender: ProcessID, _ context: inout ProcessContext<Self>)

  /// Handles a timer that fired. Does nothing by default.
  func timeout(_ timer: Timer, _ context: inout ProcessContext<Self>)

  /// Calls `body` with every step the running process can take on its own, in a deterministic
  /// order: the guards of its internal actions. None by default.
  func forEachStep(of context: ProcessContext<Self>, _ body: (Step) -> Void)

  /// Takes one of the process's own steps.
  func perform(_ step: Step, _ context: inout ProcessContext<Self>)

  /// Whether the environment may crash `process` in `state` (within the budget). True by default.
  func canCrash(_ process: ProcessID, in state: SystemState<Self>) -> Bool

  /// Named predicates that must hold in every reachable state. None by default.
  var invariants: [Invariant<SystemState<Self>>] { get }

  /// Whether a state without successors is a normal end rather than a deadlock. True by default:
  /// quiescence is a normal end for a distributed system; override to report states where work
  /// is left undone.
  func isTerminal(_ state: SystemState<Self>) -> Bool

  /// The state constraint (TLC's `CONSTRAINT`): states outside it are checked, not expanded.
  /// True by default.
  func isWithinConstraint(_ state: SystemState<Self>) -> Bool

  /// A message with the process ids it mentions renamed (symmetry); unchanged by default.
  func renamedMessage(_ message: Message, by renaming: ProcessRenaming) -> Message
  /// Durable state with the process ids it mentions renamed (symmetry); unchanged by default.
  func renamedDurable(_ durable: Durable, by renaming: ProcessRenaming) -> Durable
  /// Volatile state with the process ids it mentions renamed (symmetry); unchanged by default.
  func renamedVolatile(_ volatile: Volatile, by renaming: ProcessRenaming) -> Volatile
  /// Shared stores with the process ids they mention renamed (symmetry); unchanged by default.
  func renamedShared(_ shared: Shared, by renaming: ProcessRenaming) -> Shared
}

/// A state with nothing in it: the default for a system's durable, volatile or shared state.
public struct EmptyState: Hashable, Sendable, Fingerprintable, JSONRenderable {
  /// The empty state.
  public init() {}
  public func fingerprint(into f: inout Fingerprinter) {}
  /// An empty JSON object.
  public var jsonValue: JSONValue { .object(JSONObject()) }
}

extension DistributedSystem {
  public var network: NetworkSemantics { .reliable }
  public var faults: FaultBudget { .none }
  public var clockLimit: Int? { nil }
  public var interchangeableProcesses: [[ProcessID]] { [] }
  public func start(_ context: inout ProcessContext<Self>) {}
  public func receive(_ message: Message, from sender: ProcessID, _ context: inout ProcessContext<Self>) {}
  public func timeout(_ timer: Timer, _ context: inout ProcessContext<Self>) {}
  public func forEachStep(of context: ProcessContext<Self>, _ body: (Step) -> Void) {}
  public func perform(_ step: Step, _ context: inout ProcessContext<Self>) {}
  public func canCrash(_ process: ProcessID, in state: SystemState<Self>) -> Bool { true }
  public var invariants: [Invariant<SystemState<Self>>] { [] }
  public func isTerminal(_ state: SystemState<Self>) -> Bool { true }
  public func isWithinConstraint(_ state: SystemState<Self>) -> Bool { true }
  public func renamedMessage(_ message: Message, by renaming: ProcessRenaming) -> Message { message }
  public func renamedDurable(_ durable: Durable, by renaming: ProcessRenaming) -> Durable { durable }
  public func renamedVolatile(_ volatile: Volatile, by renaming: ProcessRenaming) -> Volatile { volatile }
  public func renamedShared(_ shared: Shared, by renaming: ProcessRenaming) -> Shared { shared }

  /// Every process's id, in order.
  public var processIDs: [ProcessID] { processes.indices.map { ProcessID($0) } }

  /// The id of the process named `name`.
  public func process(named name: String) -> ProcessID? {
    processes.firstIndex(of: name).map { ProcessID($0) }
  }
}

extension DistributedSystem where Durable == EmptyState {
  public func initialDurable(of process: ProcessID) -> EmptyState { EmptyState() }
}

extension DistributedSystem where Volatile == EmptyState {
  public func initialVolatile(of process: ProcessID) -> EmptyState { EmptyState() }
}

extension DistributedSystem where Shared == EmptyState {
  public var initialShared: EmptyState { EmptyState() }
}
