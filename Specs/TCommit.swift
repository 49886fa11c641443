import Interleave

/// The specification of transaction commit (TLA+ Examples, `transaction_commit/TCommit.tla`):
/// resource managers prepare, then each decides to commit (only if all are prepared or committed)
/// or to abort (only if none has committed). TwoPhase implements it.
///
/// TLC reports 34 distinct / 94 generated states and depth 7 for 3 RMs. The two disjuncts of
/// `Decide(rm)` are two actions here, `DecideCommit` and `DecideAbort`, so the generated count
/// matches TLC's, which counts each disjunct's successor.
public struct TCommit: Specification {
  /// A resource manager's state.
  public enum RMState: String, Sendable, Hashable, CaseIterable, Fingerprintable, JSONRenderable {
    case working, prepared, committed, aborted
    public var jsonValue: JSONValue { .string(rawValue) }
  }

  /// The state: each RM's state, RM 1 first.
  public struct State: Hashable, Sendable, Fingerprintable, JSONRenderable {
    public var rmState: [RMState]
    public func fingerprint(into f: inout Fingerprinter) { f.combine(rmState) }
    public var jsonValue: JSONValue {
      ["rmState": .object(JSONObject(rmState.enumerated().map { (key: String($0.offset + 1), value: .string($0.element.rawValue)) }))]
    }
  }

  /// The actions; `rm` is 1-based.
  public enum Action: Hashable, Sendable {
    case prepare(rm: Int)
    case decideCommit(rm: Int)
    case decideAbort(rm: Int)
  }

  public let resourceManagers: Int
  public var name: String { "TCommit" }

  /// Creates the spec for `resourceManagers` RMs.
  public init(resourceManagers: Int = 3) {
    self.resourceManagers = resourceManagers
  }

  public var initialStates: [State] { [State(rmState: Array(repeating: .working, count: resourceManagers))] }

  public func forEachEnabledAction(in s: State, _ body: (Action) -> Void) {
    let canCommit = s.rmState.allSatisfy { $0 == .prepared || $0 == .committed }
    let notCommitted = s.rmState.allSatisfy { $0 != .committed }
    for (offset, state) in s.rmState.enumerated() {
      let rm = offset + 1
      if state == .working { body(.prepare(rm: rm)) }
      if state == .prepared && canCommit { body(.decideCommit(rm: rm)) }
      if (state == .working || state == .prepared) && notCommitted { body(.decideAbort(rm: rm)) }
    }
  }

  public func apply(_ action: Action, to s: inout State) {
    switch action {
    case .prepare(let rm): s.rmState[rm - 1] = .prepared
    case .decideCommit(let rm): s.rmState[rm - 1] = .committed
    case .decideAbort(let rm): s.rmState[rm - 1] = .aborted
    }
  }

  public var invariants: [Invariant<State>] {
    [
      Invariant("TCConsistent") { s in !(s.rmState.contains(.committed) && s.rmState.contains(.aborted)) }
    ]
  }

  /// Every RM has decided: the transaction is over.
  public func isTerminal(_ s: State) -> Bool {
    s.rmState.allSatisfy { $0 == .committed || $0 == .aborted }
  }

  public func describe(_ action: Action) -> ActionDescription {
    switch action {
    case .prepare(let rm): ActionDescription(name: "Prepare", arguments: ["rm": .int(rm)])
    case .decideCommit(let rm): ActionDescription(name: "DecideCommit", arguments: ["rm": .int(rm)])
    case .decideAbort(let rm): ActionDescription(name: "DecideAbort", arguments: ["rm": .int(rm)])
    }
  }

  public let actionKinds = ["Prepare", "DecideCommit", "DecideAbort"]

  public func actionKind(of action: Action) -> Int {
    switch action {
    case .prepare: 0
    case .decideCommit: 1
    case .decideAbort: 2
    }
  }
}
