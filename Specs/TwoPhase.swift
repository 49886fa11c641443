import Interleave

/// Lamport's two-phase commit (TLA+ Examples, `transaction_commit/TwoPhase.tla`), on the fast
/// path: an enum of actions and a state packed into a few integers.
///
/// A transaction manager (TM) and `resourceManagers` resource managers (RMs). Messages are a set:
/// `Prepared(rm)`, `Commit` and `Abort`; once sent they stay. The invariant `TCConsistent` says
/// that no RM has committed while another has aborted. With the `eagerCommit` variant the TM
/// commits as soon as one RM is prepared, and the invariant fails.
///
/// TLC reports 288 distinct / 1,146 generated states and depth 11 for 3 RMs, and 8,832 / 58,146 /
/// 17 for 5; this spec reports the same, because it enumerates the same successors (the TLA+
/// actions' self-loops included).
public struct TwoPhase: Specification {
  /// The most resource managers the packed state holds.
  public static let maxResourceManagers = 16

  /// How the transaction manager decides to commit.
  public enum Variant: String, Sendable, CaseIterable {
    /// Commit once every RM is prepared (the real protocol).
    case correct
    /// Commit once any RM is prepared (a bug: an RM may abort meanwhile).
    case eagerCommit
  }

  /// A resource manager's state.
  public enum RMState: UInt32, Sendable, CaseIterable {
    case working, prepared, committed, aborted
  }

  /// The transaction manager's state.
  public enum TMState: UInt8, Sendable {
    case initial, committed, aborted
  }

  /// The spec's state, packed: two bits per RM and one bit per RM in each set (12 bytes).
  public struct State: Hashable, Sendable, Fingerprintable {
    /// `rmState`, two bits per RM (RM 1 in the lowest bits).
    public var rmBits: UInt32 = 0
    /// `tmPrepared`: bit `rm - 1` is set when the TM has received `Prepared(rm)`.
    public var tmPrepared: UInt16 = 0
    /// `Prepared(rm)` messages sent, one bit per RM.
    public var preparedMessages: UInt16 = 0
    /// The TM's state.
    public var tmState: TMState = .initial
    /// Whether `Commit` was sent.
    public var commitSent = false
    /// Whether `Abort` was sent.
    public var abortSent = false

    /// The state of RM `rm` (1-based).
    @inlinable
    public func rmState(_ rm: Int) -> RMState {
      RMState(rawValue: (rmBits >> UInt32(2 * (rm - 1))) & 3)!
    }

    /// Sets the state of RM `rm` (1-based).
    @inlinable
    public mutating func setRMState(_ rm: Int, _ value: RMState) {
      let shift = UInt32(2 * (rm - 1))
      rmBits = (rmBits & ~(3 << shift)) | (value.rawValue << shift)
    }

    /// Whether some RM has committed while another has aborted (two bits per RM: 2 committed,
    /// 3 aborted; unused RMs read as working).
    @inlinable
    public var isInconsistent: Bool {
      let high = (rmBits >> 1) & 0x5555_5555
      let low = rmBits & 0x5555_5555
      return high & ~low != 0 && high & low != 0
    }

    @inlinable
    public func fingerprint(into f: inout Fingerprinter) {
      f.combine(
        UInt64(rmBits) | UInt64(tmPrepared) << 32 | UInt64(preparedMessages) << 48)
      f.combine(UInt64(tmState.rawValue) | (commitSent ? 4 : 0) | (abortSent ? 8 : 0))
    }
  }

  /// The TLA+ actions; `rm` is 1-based.
  public enum Action: Hashable, Sendable {
    case tmCommit
    case tmAbort
    case tmRcvPrepared(rm: Int)
    case rmPrepare(rm: Int)
    case rmChooseToAbort(rm: Int)
    case rmRcvCommitMsg(rm: Int)
    case rmRcvAbortMsg(rm: Int)
  }

  public let resourceManagers: Int
  public let variant: Variant
  public var name: String { "TwoPhase" }

  /// Creates the spec for `resourceManagers` RMs (1 to 16).
  public init(resourceManagers: Int = 3, variant: Variant = .correct) {
    precondition((1...TwoPhase.maxResourceManagers).contains(resourceManagers))
    self.resourceManagers = resourceManagers
    self.variant = variant
  }

  public var initialStates: [State] { [State()] }

  /// The state as TLA+ shows it: `rmState`, `tmState`, `tmPrepared` and `msgs`.
  public func render(_ s: State) -> JSONValue {
    let rms = 1...resourceManagers
    var messages: [JSONValue] = rms.filter { s.preparedMessages & (1 << ($0 - 1)) != 0 }
      .map { ["type": "Prepared", "rm": .int($0)] }
    if s.commitSent { messages.append(["type": "Commit"]) }
    if s.abortSent { messages.append(["type": "Abort"]) }
    let names = ["working", "prepared", "committed", "aborted"]
    return [
      "rmState": .object(JSONObject(rms.map { (key: String($0), value: .string(names[Int(s.rmState($0).rawValue)])) })),
      "tmState": .string(["init", "committed", "aborted"][Int(s.tmState.rawValue)]),
      "tmPrepared": .array(rms.filter { s.tmPrepared & (1 << ($0 - 1)) != 0 }.map { .int($0) }),
      "msgs": .array(messages),
    ]
  }

  @inlinable
  public func forEachEnabledAction(in s: State, _ body: (Action) -> Void) {
    if s.tmState == .initial {
      let allPrepared = UInt16(truncatingIfNeeded: (1 << resourceManagers) - 1)
      switch variant {
      case .correct: if s.tmPrepared == allPrepared { body(.tmCommit) }
      case .eagerCommit: if s.tmPrepared != 0 { body(.tmCommit) }
      }
      body(.tmAbort)
    }
    for rm in 1...resourceManagers {
      let bit = UInt16(1) << (rm - 1)
      if s.tmState == .initial && s.preparedMessages & bit != 0 { body(.tmRcvPrepared(rm: rm)) }
      let state = s.rmState(rm)
      if state == .working {
        body(.rmPrepare(rm: rm))
        body(.rmChooseToAbort(rm: rm))
      }
      if s.commitSent { body(.rmRcvCommitMsg(rm: rm)) }
      if s.abortSent { body(.rmRcvAbortMsg(rm: rm)) }
    }
  }

  @inlinable
  public func apply(_ action: Action, to s: inout State) {
    switch action {
    case .tmCommit:
      s.tmState = .committed
      s.commitSent = true
    case .tmAbort:
      s.tmState = .aborted
      s.abortSent = true
    case .tmRcvPrepared(let rm):
      s.tmPrepared |= 1 << (rm - 1)
    case .rmPrepare(let rm):
      s.setRMState(rm, .prepared)
      s.preparedMessages |= 1 << (rm - 1)
    case .rmChooseToAbort(let rm):
      s.setRMState(rm, .aborted)
    case .rmRcvCommitMsg(let rm):
      s.setRMState(rm, .committed)
    case .rmRcvAbortMsg(let rm):
      s.setRMState(rm, .aborted)
    }
  }

  public var invariants: [Invariant<State>] {
    [Invariant("TCConsistent") { !$0.isInconsistent }]
  }

  /// The resource managers are interchangeable: sort their local states (RM state, prepared at
  /// the TM, prepared message sent). Equal multisets of local states give equal forms, so the
  /// reduction is exact, as with TLC's `SYMMETRY Permutations(RM)`.
  @inlinable
  public func canonicalForm(of s: State) -> State {
    var locals: [UInt32] = []
    locals.reserveCapacity(resourceManagers)
    for rm in 1...resourceManagers {
      let bit = UInt16(1) << (rm - 1)
      let local =
        s.rmState(rm).rawValue << 2 | (s.tmPrepared & bit != 0 ? 2 : 0) | (s.preparedMessages & bit != 0 ? 1 : 0)
      locals.append(local)
    }
    locals.sort()
    var canonical = s
    canonical.rmBits = 0
    canonical.tmPrepared = 0
    canonical.preparedMessages = 0
    for (index, local) in locals.enumerated() {
      canonical.rmBits |= (local >> 2) << UInt32(2 * index)
      if local & 2 != 0 { canonical.tmPrepared |= 1 << index }
      if local & 1 != 0 { canonical.preparedMessages |= 1 << index }
    }
    return canonical
  }

  public let actionKinds = [
    "TMCommit", "TMAbort", "TMRcvPrepared", "RMPrepare", "RMChooseToAbort", "RMRcvCommitMsg", "RMRcvAbortMsg",
  ]

  @inlinable
  public func actionKind(of action: Action) -> Int {
    switch action {
    case .tmCommit: 0
    case .tmAbort: 1
    case .tmRcvPrepared: 2
    case .rmPrepare: 3
    case .rmChooseToAbort: 4
    case .rmRcvCommitMsg: 5
    case .rmRcvAbortMsg: 6
    }
  }

  public func describe(_ action: Action) -> ActionDescription {
    let name = actionKinds[actionKind(of: action)]
    switch action {
    case .tmCommit, .tmAbort:
      return ActionDescription(name: name)
    case .tmRcvPrepared(let rm), .rmPrepare(let rm), .rmChooseToAbort(let rm), .rmRcvCommitMsg(let rm),
      .rmRcvAbortMsg(let rm):
      return ActionDescription(name: name, arguments: ["rm": .int(rm)])
    }
  }
}
