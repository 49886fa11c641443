import Interleave

/// Account creation across a system of record (TigerBeetle) and a system of reference
/// (Postgres), written on the execution model: the write-last/read-first example (seed notes
/// E4 and §3).
///
/// Source: Dominik Tornow, *The Write Last, Read First Rule*, TigerBeetle blog, 2025-11-06, and
/// its companion code `resonatehq-examples/example-tigerbeetle-account-creation-ts`
/// (`create-account.ts`). The two stores share no transaction boundary. The system of record
/// decides existence: an account exists if and only if TigerBeetle has it. Postgres holds the
/// account's owner. "When writing, write to the system of record last; when reading, read from
/// the system of record first."
///
/// Two processes share the two stores (``Stores``, the model's shared state; each write
/// answers a ``WriteOutcome``):
///
/// - `worker` runs `createAccount` for the user `u1` as a durable execution, one atomic step
///   each: `generateId` draws a fresh account id and checkpoints it (durable state),
///   `writeReference` writes the account to Postgres, `writeRecord` writes it to TigerBeetle,
///   `respond` answers the caller and finishes. The worker can crash between any two steps (up
///   to `crashes` times); `restart` runs the execution again from the top, skipping the
///   checkpointed `generateId` (the same id comes back) and re-running the writes, which the
///   stores answer `existsSame` when they already have the account (both writes are idempotent
///   creates, as TigerBeetle's and the example's are). A write answered `existsDiff` stops the
///   execution (the companion code's panic).
/// - `reader` reads one account, by any id drawn so far: TigerBeetle first, then Postgres, and
///   reports that the account exists if and only if TigerBeetle has it. It does not crash.
///
/// The steps emit ``SystemEvent``s, which ``rule`` (``WriteLastReadFirst``, WL-1 to WL-6)
/// checks. Each attempt of the durable execution is one operation of the rule (`create#1`,
/// `create#2`, ...), because a retry re-runs both writes; the reader's read is the operation
/// `read`.
///
/// Variants (``Variant``): ``Variant/correct`` holds; the others each break one rule.
public struct AccountCreation: DistributedSystem {
  /// The correct system, or one of its three bugs.
  public enum Variant: String, CaseIterable, Sendable {
    /// Reference first, record last; the reader reads the record first; the id is
    /// checkpointed. Every rule holds.
    case correct
    /// The bug: the worker writes TigerBeetle before Postgres. The record write has no
    /// reference write before it (WL-1), and until the reference write happens the account
    /// exists with no owner (WL-5): a crash right after the record write leaves it so until
    /// the worker restarts.
    case recordFirst
    /// The bug: the reader consults Postgres first and claims existence from it. Between the
    /// worker's two writes it reports an account that TigerBeetle does not have (WL-2).
    case readReferenceFirst
    /// The bug: the worker keeps the generated id in memory only (no checkpoint). A crash
    /// between the two writes loses it; the retry draws a second id and creates that account,
    /// and the first stays in Postgres forever without reaching TigerBeetle: a stuck orphan
    /// (WL-6, once nothing is in flight).
    case idOutsideCheckpoint
  }

  /// The event type the steps emit: operations are named by strings, accounts by their id.
  public typealias Event = SystemEvent<String, Int>
  /// The processes send no messages: they meet only in the shared stores.
  public typealias Message = Never
  /// The shared state: the two stores.
  public typealias Shared = Stores

  /// The two external stores, and the source of fresh ids.
  public struct Stores: Hashable, Sendable {
    /// The system of reference (Postgres): account id → owner.
    public var reference: [Int: String] = [:]
    /// The system of record (TigerBeetle): account id → owner (its `user_data`).
    public var record: [Int: String] = [:]
    /// How many ids have been drawn. Ids are fresh (a random 128-bit id never repeats), so the
    /// n-th id drawn is n; the count lives with the stores because a crash does not rewind it.
    public var idsDrawn = 0

    /// A create in `store`: `created` if the id is new, `existsSame` if it is there with the
    /// same owner, `existsDiff` if with another.
    static func create(_ id: Int, owner: String, in store: inout [Int: String]) -> WriteOutcome {
      switch store[id] {
      case nil:
        store[id] = owner
        return .created
      case owner?:
        return .existsSame
      case _?:
        return .existsDiff
      }
    }
  }

  /// What the worker keeps on disk: the durable execution's checkpoint.
  public struct Durable: Hashable, Sendable {
    /// Attempts of the durable execution started so far (the first boot is attempt 1).
    public var attempt = 0
    /// The checkpointed result of `generateId`, once it has run (never in
    /// ``Variant/idOutsideCheckpoint``).
    public var accountID: Int? = nil
  }

  /// What a process holds in memory; a crash loses it.
  public struct Volatile: Hashable, Sendable {
    /// Worker: the account id of the current attempt (nil until generated or replayed).
    public var accountID: Int? = nil
    /// Worker: writes done by the current attempt (0, 1 or 2).
    public var writes = 0
    /// Reader: the account it reads and whether the first store it read had it (nil before
    /// its first read).
    public var firstRead: FirstRead? = nil
  }

  /// The reader's first read: which account, and whether the first store had it.
  public struct FirstRead: Hashable, Sendable {
    /// The account read.
    public var accountID: Int
    /// Whether the store read first had it.
    public var found: Bool
  }

  /// The processes' own steps (their case names are the trace names).
  public enum Step: Hashable, Sendable {
    /// Worker: draws a fresh id and (except in ``Variant/idOutsideCheckpoint``) checkpoints it.
    case generateId
    /// Worker: creates the account in the system of reference (Postgres).
    case writeReference(account: Int)
    /// Worker: creates the account in the system of record (TigerBeetle).
    case writeRecord(account: Int)
    /// Worker: answers the caller with the account id; the durable execution is done.
    case respond(account: Int)
    /// Reader: reads the account from the system of record.
    case readRecord(account: Int)
    /// Reader: reads the account from the system of reference.
    case readReference(account: Int)
  }

  /// The worker running `createAccount`.
  public static let worker: ProcessID = 0
  /// The reader.
  public static let reader: ProcessID = 1
  /// The user whose account the worker creates (the owner stored with it).
  public static let owner = "u1"

  /// The variant checked.
  public let variant: Variant
  /// How many times the worker may crash in one run.
  public let crashes: Int

  /// Creates the system.
  /// - Parameters:
  ///   - variant: correct, or one of the bugs.
  ///   - crashes: the worker's crash budget (0 to 2 keeps the state space small).
  public init(variant: Variant = .correct, crashes: Int = 1) {
    precondition(crashes >= 0, "crashes must not be negative")
    self.variant = variant
    self.crashes = crashes
  }

  public var name: String { "AccountCreation" }
  public var processes: [String] { ["worker", "reader"] }
  public var faults: FaultBudget { FaultBudget(crashes: crashes, losses: 0, duplications: 0) }
  public var initialShared: Stores { Stores() }
  public func initialDurable(of process: ProcessID) -> Durable { Durable() }
  public func initialVolatile(of process: ProcessID) -> Volatile { Volatile() }

  /// Only the worker crashes.
  public func canCrash(_ process: ProcessID, in state: SystemState<AccountCreation>) -> Bool {
    process == Self.worker
  }

  /// The worker starts an attempt: it replays the checkpointed id, if any, and starts over with
  /// the writes. The reader has nothing to recover.
  public func start(_ context: inout ProcessContext<AccountCreation>) {
    guard context.process == Self.worker else { return }
    context.durable.attempt += 1
    context.volatile.accountID = context.durable.accountID
    context.volatile.writes = 0
  }

  /// The worker's write order: reference then record, or the reverse in
  /// ``Variant/recordFirst``.
  func writeSteps(for id: Int) -> [Step] {
    variant == .recordFirst
      ? [.writeRecord(account: id), .writeReference(account: id)]
      : [.writeReference(account: id), .writeRecord(account: id)]
  }

  /// The reader's read order: record then reference, or the reverse in
  /// ``Variant/readReferenceFirst``.
  func readSteps(for id: Int) -> [Step] {
    variant == .readReferenceFirst
      ? [.readReference(account: id), .readRecord(account: id)]
      : [.readRecord(account: id), .readReference(account: id)]
  }

  public func forEachStep(of context: ProcessContext<AccountCreation>, _ body: (Step) -> Void) {
    if context.process == Self.worker {
      guard let id = context.volatile.accountID else { return body(.generateId) }
      let writes = writeSteps(for: id)
      body(context.volatile.writes < writes.count ? writes[context.volatile.writes] : .respond(account: id))
    } else if let read = context.volatile.firstRead {
      body(readSteps(for: read.accountID)[1])
    } else if context.shared.idsDrawn > 0 {
      for id in 1...context.shared.idsDrawn { body(readSteps(for: id)[0]) }
    }
  }

  public func perform(_ step: Step, _ context: inout ProcessContext<AccountCreation>) {
    let create = "create#\(context.durable.attempt)"
    switch step {
    case .generateId:
      context.shared.idsDrawn += 1
      context.volatile.accountID = context.shared.idsDrawn
      if variant != .idOutsideCheckpoint { context.durable.accountID = context.shared.idsDrawn }
    case .writeReference(let id):
      let outcome = Stores.create(id, owner: Self.owner, in: &context.shared.reference)
      context.emit(.referenceWrite(op: create, entity: id, outcome: outcome))
      finishWrite(outcome, &context)
    case .writeRecord(let id):
      let outcome = Stores.create(id, owner: Self.owner, in: &context.shared.record)
      context.emit(.recordWrite(op: create, entity: id, outcome: outcome))
      finishWrite(outcome, &context)
    case .respond:
      context.stop()
    case .readRecord(let id), .readReference(let id):
      let isRecord = if case .readRecord = step { true } else { false }
      let found = (isRecord ? context.shared.record : context.shared.reference)[id] != nil
      context.emit(isRecord ? .recordRead(op: "read", entity: id, found: found) : .referenceRead(op: "read", entity: id, found: found))
      if let first = context.volatile.firstRead {
        // The second read: report what the store read first says (the system of record, in
        // the correct reader).
        context.emit(.result(op: "read", entity: id, exists: first.found))
        context.stop()
      } else {
        context.volatile.firstRead = FirstRead(accountID: id, found: found)
      }
    }
  }

  /// After a write: on to the next step, or stop on a conflict (the companion code panics).
  func finishWrite(_ outcome: WriteOutcome, _ context: inout ProcessContext<AccountCreation>) {
    if outcome == .existsDiff {
      context.stop()
    } else {
      context.volatile.writes += 1
    }
  }

  /// Whether no operation is in flight and none will be retried: the worker has answered (it
  /// stops for good) and the reader is not between its two reads.
  public static func isQuiescent(_ state: SystemState<AccountCreation>) -> Bool {
    state[worker].status == .stopped && (state[reader].status == .stopped || state[reader].volatile.firstRead == nil)
  }

  /// The rule this system is checked against: WL-1 to WL-6 on the events the steps emit, with
  /// TigerBeetle as the record and Postgres as the reference.
  public static let rule = WriteLastReadFirst<SystemState<AccountCreation>, SystemAction<AccountCreation>, [Event], String, Int>(
    "write last, read first",
    events: { $0.response },
    record: { Set($0.shared.record.keys) },
    reference: { Set($0.shared.reference.keys) },
    quiescent: { isQuiescent($0) })

  /// The same rule without the events: only what the stores hold, as a validator comparing
  /// snapshots of the two databases sees it. Only WL-5 (traceability) and WL-6 (stuck orphan)
  /// can fail.
  public static let storesOnlyRule = WriteLastReadFirst<SystemState<AccountCreation>, SystemAction<AccountCreation>, [Event], String, Int>(
    "write last, read first (stores only)",
    events: { _ in [] },
    record: { Set($0.shared.record.keys) },
    reference: { Set($0.shared.reference.keys) },
    quiescent: { isQuiescent($0) })

  /// The system checked against ``rule``: what the catalog runs.
  public var monitored: MonitoredSpec<SystemSpec<AccountCreation>, WriteLastReadFirst<SystemState<AccountCreation>, SystemAction<AccountCreation>, [Event], String, Int>> {
    spec.monitored { Self.rule }
  }
}
