import Interleave

/// Two-phase commit as processes exchanging messages on the execution model: a transaction
/// manager and `rm` interchangeable resource managers (the message-passing benchmark, and the
/// bundled example of derived symmetry).
///
/// Each resource manager, while working, either prepares (and tells the manager `prepared`) or
/// decides on its own to abort. The manager collects `prepared` messages; once every resource
/// manager has prepared it may commit, and at any time before deciding it may abort; it sends
/// its decision to every resource manager, which adopts it. Unlike TLA+'s `TwoPhase`, whose
/// messages stay in a set forever, messages here are consumed when delivered, so the state counts
/// differ from TLC's. With `lossy` the network may lose one message, and a resource manager may
/// then wait for ever: quiescence, not a violation.
///
/// The invariant is TCommit's consistency: no resource manager commits while another aborts.
/// The resource managers are interchangeable, so `--symmetry` identifies states that differ by a
/// permutation of them; the model derives the canonical form, renaming the managers in the
/// manager's set of prepared ones (``renamedDurable(_:by:)``).
public struct TwoPhaseMessages: DistributedSystem {
  /// A resource manager's state.
  public enum ResourceState: UInt8, Hashable, Sendable, Fingerprintable {
    case working, prepared, committed, aborted
  }

  /// The manager's decision.
  public enum Decision: UInt8, Hashable, Sendable, Fingerprintable {
    case undecided, commit, abort
  }

  /// A process's durable state: the manager's or a resource manager's.
  public enum Durable: Hashable, Sendable, Fingerprintable {
    /// The transaction manager: its decision and the resource managers that said prepared.
    case manager(decision: Decision, prepared: Set<ProcessID>)
    /// A resource manager.
    case resource(ResourceState)

    public func fingerprint(into f: inout Fingerprinter) {
      switch self {
      case .manager(let decision, let prepared):
        f.combine(UInt64(decision.rawValue))
        f.combine(prepared.reduce(UInt64(0)) { $0 | (1 << UInt64($1.index)) })
      case .resource(let state):
        f.combine(UInt64(8 + state.rawValue))
      }
    }
  }

  /// What the processes send.
  public enum Message: UInt8, Hashable, Sendable, Fingerprintable {
    case prepared, commit, abort
  }

  /// What a resource manager or the manager does on its own.
  public enum Step: Hashable, Sendable {
    /// A resource manager prepares and tells the manager.
    case prepare
    /// A resource manager aborts on its own.
    case chooseToAbort
    /// The manager commits (all prepared) and tells everyone.
    case commit
    /// The manager aborts and tells everyone.
    case abort
  }

  /// The number of resource managers.
  public let resourceManagers: Int
  /// Whether the network may lose one message.
  public let lossy: Bool

  /// Creates the system.
  public init(resourceManagers: Int, lossy: Bool = false) {
    precondition(resourceManagers >= 1 && resourceManagers <= 12, "TwoPhaseMessages: 1...12 resource managers")
    self.resourceManagers = resourceManagers
    self.lossy = lossy
  }

  public var name: String { "TwoPhaseMessages" }
  public var processes: [String] { ["tm"] + (1...resourceManagers).map { "rm\($0)" } }
  public var network: NetworkSemantics { lossy ? [.lossy] : .reliable }
  public var faults: FaultBudget { FaultBudget(crashes: 0, losses: lossy ? 1 : 0, duplications: 0) }
  public var interchangeableProcesses: [[ProcessID]] { [(1...resourceManagers).map { ProcessID($0) }] }
  static let manager: ProcessID = 0

  public func initialDurable(of process: ProcessID) -> Durable {
    process == Self.manager ? .manager(decision: .undecided, prepared: []) : .resource(.working)
  }

  public func forEachStep(of context: ProcessContext<TwoPhaseMessages>, _ body: (Step) -> Void) {
    switch context.durable {
    case .manager(let decision, let prepared):
      guard decision == .undecided else { return }
      if prepared.count == resourceManagers { body(.commit) }
      body(.abort)
    case .resource(let state):
      guard state == .working else { return }
      body(.prepare)
      body(.chooseToAbort)
    }
  }

  public func perform(_ step: Step, _ context: inout ProcessContext<TwoPhaseMessages>) {
    switch step {
    case .prepare:
      context.durable = .resource(.prepared)
      context.send(.prepared, to: Self.manager)
    case .chooseToAbort:
      context.durable = .resource(.aborted)
    case .commit, .abort:
      guard case .manager(_, let prepared) = context.durable else { return }
      context.durable = .manager(decision: step == .commit ? .commit : .abort, prepared: prepared)
      for rm in 1...resourceManagers { context.send(step == .commit ? .commit : .abort, to: ProcessID(rm)) }
    }
  }

  public func receive(_ message: Message, from sender: ProcessID, _ context: inout ProcessContext<TwoPhaseMessages>) {
    switch (message, context.durable) {
    case (.prepared, .manager(let decision, var prepared)):
      prepared.insert(sender)
      context.durable = .manager(decision: decision, prepared: prepared)
    case (.commit, .resource):
      context.durable = .resource(.committed)
    case (.abort, .resource):
      context.durable = .resource(.aborted)
    default:
      break
    }
  }

  public func renamedDurable(_ durable: Durable, by renaming: ProcessRenaming) -> Durable {
    guard case .manager(let decision, let prepared) = durable else { return durable }
    return .manager(decision: decision, prepared: Set(prepared.map { renaming($0) }))
  }

  /// No resource manager commits while another aborts.
  public var invariants: [Invariant<SystemState<TwoPhaseMessages>>] {
    [
      Invariant("consistent") { state in
        let states = state.processes.dropFirst().map(\.durable)
        return !(states.contains(.resource(.committed)) && states.contains(.resource(.aborted)))
      }
    ]
  }
}
