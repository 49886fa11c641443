import Interleave

/// At-least-once delivery with an idempotent consumer and a retention window (seed notes, E5).
///
/// A broker holds a log of `messages` messages (ids `m1`, `m2`, ...) and the consumer group's
/// committed offset. One consumer reads the log with its own steps, one message at a time:
/// `poll` fetches the message at its position, `process` applies the message's effect to the
/// sink (an external system: a ledger, an email service), and `commit` moves the committed
/// offset past the message (Kafka's convention: the committed offset is the next one to read).
/// The consumer's position is volatile: it may crash between any two steps (up to `crashes`
/// times), and on restart it resumes from the committed offset, so a message processed but not
/// committed is delivered again. That is at-least-once delivery
/// (https://kafka.apache.org/documentation/#semanticsguarantees).
///
/// The consumer is idempotent through a dedup store of processed ids kept in the same database
/// as the sink: `process` checks the id, applies the effect and records the id in one
/// transaction, and a redelivered id finds its record and changes nothing. The store forgets an
/// id `retention` time units after the consumer last handled it: a process (`store`, the
/// store's TTL expiry) may `evict` the id from then on. The correct consumer restarts an id's
/// retention whenever it recognises a redelivery, as ``Deposit`` does for its keys.
///
/// Time is the execution model's clock (`tick`, up to ``clockLimit``). The environment
/// assumption is a **maximum redelivery delay** ``maxRedeliveryDelay``: a message processed and
/// not yet committed is committed or handled again less than that many time units later (Kafka
/// bounds the same gap with its session and poll timeouts). The state constraint enforces it:
/// states where the message at the committed offset was handled that long ago are checked and
/// not expanded. The consumer is idempotent exactly as long as the store remembers an id
/// longer than the longest redelivery delay: Tornow's "idempotent only as long as the system
/// remembers the request" (seed notes, section 2.1).
///
/// Properties:
/// - ``boundedIdempotence`` (Def I-2 with a time window of `retention`): processing a message
///   again less than `retention` after its anchor leaves the sink unchanged; later it is a new
///   application and is not checked.
/// - ``atMostOnceEffect``: every id is applied to the sink at most once, over the whole run.
/// - The invariant `NoLoss`: once the consumer has read the log to its end and stopped, every
///   message is in the sink.
///
/// Variants (``Variant``): `correct` holds. `commitBeforeProcess` commits first, and a crash
/// before processing loses the message (`NoLoss`). `noDedup` has no dedup store, and a crash
/// between processing and committing applies a message twice within the window
/// (``boundedIdempotence``). `retentionTooShort` allows a redelivery one time unit later than
/// the store remembers ids: an evicted id is applied again, outside the window, so
/// ``boundedIdempotence`` holds while ``atMostOnceEffect`` fails.
public struct Queue: DistributedSystem {
  /// Which consumer runs, and under which redelivery delay.
  public enum Variant: String, CaseIterable, Sendable {
    /// Process, then commit; dedup store; redelivery delay at most the retention. Holds.
    case correct
    /// Commit, then process: a crash in between loses the message (breaks `NoLoss`).
    case commitBeforeProcess
    /// No dedup store: a crash between process and commit applies the message twice.
    case noDedup
    /// The store keeps ids for `retention`, but a redelivery may come `retention` later:
    /// an evicted id is applied again (breaks ``atMostOnceEffect``).
    case retentionTooShort
  }

  /// The consumer never talks to anyone over the network: the broker and the database are
  /// shared stores that it reaches atomically.
  public typealias Message = Never

  /// Where the consumer is in the current message: volatile, lost in a crash.
  public enum Stage: Hashable, Sendable, Fingerprintable {
    /// Between messages: the next offset to poll.
    case idle(next: Int)
    /// The message at `offset` is fetched, not yet processed (or, `commitBeforeProcess`, not
    /// yet committed).
    case polled(offset: Int)
    /// The message at `offset` is processed, its commit is pending.
    case processed(offset: Int)
    /// `commitBeforeProcess` only: the offset past `offset` is committed, processing is pending.
    case committedFirst(offset: Int)
    /// The log is read to its end.
    case finished

    public func fingerprint(into f: inout Fingerprinter) {
      switch self {
      case .idle(let next): f.combine(1); f.combine(next)
      case .polled(let offset): f.combine(2); f.combine(offset)
      case .processed(let offset): f.combine(3); f.combine(offset)
      case .committedFirst(let offset): f.combine(4); f.combine(offset)
      case .finished: f.combine(5)
      }
    }
  }

  /// A process's memory: the consumer's stage; nil for the store's expiry process.
  public struct Volatile: Hashable, Sendable, Fingerprintable {
    /// The consumer's stage, nil for the store process.
    public var stage: Stage?

    public func fingerprint(into f: inout Fingerprinter) { f.combine(stage) }
  }

  /// The broker's committed offset, and the database with the sink and the dedup store.
  public struct Shared: Hashable, Sendable, Fingerprintable {
    /// The broker's committed offset for the consumer group: the next offset to read.
    public var committed = 0
    /// The sink: message ids in the order their effects were applied.
    public var sink: [String] = []
    /// The dedup store: id -> the time the consumer last handled it.
    public var seen: [String: Int] = [:]
    /// Model bookkeeping, not part of the system: when the consumer last handled the message at
    /// the committed offset (nil if it has not since that message became next). The state
    /// constraint reads it to bound the redelivery delay.
    public var handledAt: Int?

    public func fingerprint(into f: inout Fingerprinter) {
      f.combine(committed)
      f.combine(sink)
      f.combine(seen)
      f.combine(handledAt)
    }
  }

  /// The consumer's and the store's own steps; their trace names are the case names.
  public enum Step: Hashable, Sendable {
    /// The consumer fetches the message at `offset` from the broker.
    case poll(offset: Int)
    /// The consumer processes message `id`: dedup check, effect and dedup record in one
    /// transaction.
    case process(id: String)
    /// The consumer commits `offset` (the next offset to read) at the broker.
    case commit(offset: Int)
    /// The store forgets `id` (its retention has passed).
    case evict(id: String)
  }

  /// What the steps emit, for the trace properties.
  public enum Event: Hashable, Sendable {
    /// The message's effect reached the sink.
    case applied(id: String)
    /// A redelivered message was recognised and skipped.
    case deduplicated(id: String)
    /// The broker's committed offset moved.
    case committed(offset: Int)
    /// The store forgot an id.
    case evicted(id: String)
  }

  /// The consumer.
  public static let consumer: ProcessID = 0
  /// The dedup store's expiry.
  public static let store: ProcessID = 1

  /// The consumer under test.
  public let variant: Variant
  /// Messages in the log.
  public let messages: Int
  /// Consumer crashes the environment may inject.
  public let crashes: Int
  /// Time units the dedup store keeps an id after the consumer last handled it.
  public let retention: Int

  /// Creates the system.
  public init(variant: Variant = .correct, messages: Int = 2, crashes: Int = 2, retention: Int = 2) {
    precondition((1...3).contains(messages), "messages must be in 1...3")
    precondition(crashes >= 0, "crashes must not be negative")
    precondition(retention >= 1, "retention must be at least 1")
    self.variant = variant
    self.messages = messages
    self.crashes = crashes
    self.retention = retention
  }

  public var name: String { "Queue" }
  public var processes: [String] { ["consumer", "store"] }
  public var faults: FaultBudget { FaultBudget(crashes: crashes, losses: 0, duplications: 0) }

  /// The longest time between handling a message and committing or handling it again: the
  /// retention, except in `retentionTooShort`, where it is one more.
  public var maxRedeliveryDelay: Int { variant == .retentionTooShort ? retention + 1 : retention }

  /// The clock runs to the longest redelivery delay: long enough to evict an id and to deliver
  /// it again after that in `retentionTooShort`.
  public var clockLimit: Int? { maxRedeliveryDelay }

  /// The id of the message at `offset`.
  public static func id(at offset: Int) -> String { "m\(offset + 1)" }

  /// Every message id in the log, in offset order.
  public var log: [String] { (0..<messages).map(Queue.id(at:)) }

  public var initialShared: Shared { Shared() }
  public func initialVolatile(of process: ProcessID) -> Volatile {
    Volatile(stage: process == Queue.consumer ? .idle(next: 0) : nil)
  }

  /// Boot and recovery: the consumer resumes from the broker's committed offset.
  public func start(_ context: inout ProcessContext<Queue>) {
    guard context.process == Queue.consumer else { return }
    becomeIdle(at: context.shared.committed, &context)
  }

  /// The consumer is idle at `offset`, or stops at the end of the log.
  func becomeIdle(at offset: Int, _ context: inout ProcessContext<Queue>) {
    if offset >= messages {
      context.volatile.stage = .finished
      context.stop()
    } else {
      context.volatile.stage = .idle(next: offset)
    }
  }

  public func forEachStep(of context: ProcessContext<Queue>, _ body: (Step) -> Void) {
    if context.process == Queue.store {
      for (id, handled) in context.shared.seen.sorted(by: { $0.key < $1.key }) where context.now - handled >= retention {
        body(.evict(id: id))
      }
      return
    }
    switch context.volatile.stage {
    case .idle(let next): body(.poll(offset: next))
    case .polled(let offset):
      body(variant == .commitBeforeProcess ? .commit(offset: offset + 1) : .process(id: Queue.id(at: offset)))
    case .processed(let offset): body(.commit(offset: offset + 1))
    case .committedFirst(let offset): body(.process(id: Queue.id(at: offset)))
    case .finished, nil: break
    }
  }

  public func perform(_ step: Step, _ context: inout ProcessContext<Queue>) {
    switch step {
    case .poll(let offset):
      context.volatile.stage = .polled(offset: offset)
    case .process(let id):
      let offset: Int
      switch context.volatile.stage {
      case .polled(let polled): offset = polled
      case .committedFirst(let committed): offset = committed
      default: preconditionFailure("process is enabled only with a message in hand")
      }
      if variant != .noDedup, context.shared.seen[id] != nil {
        context.shared.seen[id] = context.now  // the id's retention restarts with every redelivery
        context.emit(.deduplicated(id: id))
      } else {
        context.shared.sink.append(id)
        if variant != .noDedup { context.shared.seen[id] = context.now }
        context.emit(.applied(id: id))
      }
      if offset == context.shared.committed { context.shared.handledAt = context.now }
      if variant == .commitBeforeProcess {
        becomeIdle(at: offset + 1, &context)
      } else {
        context.volatile.stage = .processed(offset: offset)
      }
    case .commit(let offset):
      context.shared.committed = offset
      context.shared.handledAt = nil
      context.emit(.committed(offset: offset))
      if variant == .commitBeforeProcess {
        context.volatile.stage = .committedFirst(offset: offset - 1)
      } else {
        becomeIdle(at: offset, &context)
      }
    case .evict(let id):
      context.shared.seen[id] = nil
      context.emit(.evicted(id: id))
    }
  }

  /// Only the consumer crashes; the store is a database.
  public func canCrash(_ process: ProcessID, in state: SystemState<Queue>) -> Bool { process == Queue.consumer }

  /// The redelivery-delay assumption: states where the message at the committed offset was
  /// handled ``maxRedeliveryDelay`` or more time units ago are checked, not expanded.
  public func isWithinConstraint(_ state: SystemState<Queue>) -> Bool {
    state.shared.handledAt.map { state.now - $0 < maxRedeliveryDelay } ?? true
  }

  /// Quiescence: the consumer has read the log to its end.
  public func isTerminal(_ state: SystemState<Queue>) -> Bool { state[Queue.consumer].status == .stopped }

  /// `NoLoss`: at quiescence every message of the log is in the sink.
  public var invariants: [Invariant<SystemState<Queue>>] {
    let log = self.log
    return [
      Invariant("NoLoss") { state in
        state[Queue.consumer].status != .stopped || log.allSatisfy { state.shared.sink.contains($0) }
      }
    ]
  }

  /// Trace idempotence of `process` steps by message id, over the sink.
  public typealias Idempotence = TraceIdempotence<SystemState<Queue>, SystemAction<Queue>, [Event], String, [String]>
  /// At most one effect per message id.
  public typealias EffectOnce = AtMostOnceEffect<SystemState<Queue>, SystemAction<Queue>, [Event], String>

  /// Def I-2 with a time window of `retention`: a `process` of a message less than `retention`
  /// time units after its anchor (its last application) must leave the sink unchanged. The
  /// sink is the projection; the dedup store is bookkeeping. There is no caller to answer, so
  /// responses are not compared.
  public var boundedIdempotence: Idempotence {
    TraceIdempotence(
      "BoundedIdempotence", for: SystemSpec<Queue>.self,
      key: { action in
        if case .step(_, .process(let id)) = action { return id }
        return nil
      },
      observe: { $0.shared.sink }
    )
    .window(.time(Double(retention)))
    .clock { Double($0.before.now) }
    .responses(.none)
  }

  /// Each message id reaches the sink at most once in the whole run.
  public static let atMostOnceEffect = EffectOnce("AtMostOnceEffect") { step in
    for case .applied(let id) in step.response { return id }
    return nil
  }

  /// The system's spec monitored by ``boundedIdempotence`` and ``atMostOnceEffect`` (in that
  /// order: a step that breaks both reports the first).
  public var monitoredSpec: MonitoredSpec<SystemSpec<Queue>, BothProperties<Idempotence, EffectOnce>> {
    spec.monitored {
      boundedIdempotence
      Queue.atMostOnceEffect
    }
  }
}
