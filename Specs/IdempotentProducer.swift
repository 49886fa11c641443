import Interleave

/// A Kafka-style idempotent producer whose broker remembers only the last five batches
/// (seed notes, E6 and section 2.5; KAFKA-17926): no batch is appended twice as long as no more
/// than five batches are in flight.
///
/// The producer sends `maxInFlight` batches with sequence numbers `0, 1, ...` to the broker as
/// one burst (the most the in-flight limit allows) over an ordered network (one TCP
/// connection), and sets a request timeout for each. The broker deduplicates by sequence
/// number against the batches it remembers, the last ``brokerWindow`` (5) it appended (Kafka
/// "retains record metadata for the 5 most recent batches"): a batch found there is acked
/// again and not appended; any other batch is appended to the log (the broker's durable
/// state) and acked. The producer cancels a batch's timeout when its ack arrives.
///
/// Faults: a request timeout fires at any time before the batch's ack arrives (the ack is slow
/// or lost: the producer cannot tell which), and the producer sends the batch again, up to
/// `retries` retries in all (one by default); the network may also duplicate one message (a
/// copy on an ordered channel follows its original). Losses are left out: a lost ack looks to
/// the producer exactly like a slow one, which the early timeout covers, and a lost request
/// only removes an append. The producer and the broker do not crash (a restarted producer gets
/// a new producer id, so its batches are not duplicates of the old ones).
///
/// The property is ``atMostOnceAppend`` (``AtMostOnceEffect`` keyed by sequence number): no
/// batch twice in the log. `TraceIdempotence` with `.window(.steps(5))` does not fit: its
/// window counts every step of the trace (deliveries, acks, timeouts), while the broker's
/// window counts appended batches, and the guarantee a producer needs is not bounded at all.
///
/// There is no `variant`: `maxInFlight` alone decides. Up to five batches the broker's window
/// always holds every batch it appended, so a retry or a duplicate is always recognised and the
/// property holds. With six, the broker appends batches 0 to 5, batch 0 leaves its window, and
/// a retry of batch 0 that arrives after batch 5 is appended again.
///
/// The model's broker knows nothing but the window. A real Kafka broker also checks that a new
/// sequence number follows the last one it appended; the model leaves that check out to show
/// what the window alone guarantees, which is why the in-flight limit is tied to its size.
public struct IdempotentProducer: DistributedSystem {
  /// Batches the broker remembers (Kafka: 5).
  public static let brokerWindow = 5

  /// What travels between the producer and the broker.
  public enum Message: Hashable, Sendable {
    /// A batch with its sequence number (the payload is left out).
    case produce(sequence: Int)
    /// The broker's answer for a batch: appended, or recognised as a duplicate.
    case ack(sequence: Int)
  }

  /// What a process keeps on disk: the broker's log (empty for the producer).
  public struct Durable: Hashable, Sendable, Fingerprintable {
    /// The partition log: sequence numbers of the batches appended, in order.
    public var log: [Int] = []

    public func fingerprint(into f: inout Fingerprinter) { f.combine(log) }
  }

  /// What a process keeps in memory: the producer's unacknowledged batches and retries.
  public struct Volatile: Hashable, Sendable, Fingerprintable {
    /// Batches sent and not yet acknowledged, in order.
    public var unacked: [Int] = []
    /// Retries sent so far.
    public var retries = 0

    public func fingerprint(into f: inout Fingerprinter) {
      f.combine(unacked)
      f.combine(retries)
    }
  }

  /// The producer's timers.
  public enum Timer: Hashable, Sendable {
    /// The request for a batch has waited too long for its ack.
    case requestTimeout(sequence: Int)
  }

  /// What the broker and the producer emit, for the trace property.
  public enum Event: Hashable, Sendable {
    /// The broker appended a batch to the log.
    case appended(sequence: Int)
    /// The broker found the batch in its window and did not append it.
    case duplicate(sequence: Int)
    /// The producer sent a batch again after its request timed out.
    case retried(sequence: Int)
  }

  /// The producer.
  public static let producer: ProcessID = 0
  /// The broker (one partition leader).
  public static let broker: ProcessID = 1

  /// Batches in flight at once, and batches in all.
  public let maxInFlight: Int
  /// Retries the producer may send in all.
  public let retries: Int

  /// Creates the system.
  public init(maxInFlight: Int = 5, retries: Int = 1) {
    precondition((1...7).contains(maxInFlight), "maxInFlight must be in 1...7")
    precondition(retries >= 0, "retries must not be negative")
    self.maxInFlight = maxInFlight
    self.retries = retries
  }

  public var name: String { "IdempotentProducer" }
  public var processes: [String] { ["producer", "broker"] }
  public var network: NetworkSemantics { [.ordered, .duplicating] }
  public var faults: FaultBudget { FaultBudget(crashes: 0, losses: 0, duplications: 1) }

  public func initialDurable(of process: ProcessID) -> Durable { Durable() }
  public func initialVolatile(of process: ProcessID) -> Volatile { Volatile() }

  /// The producer sends its batches in one burst, each with a request timeout (none without
  /// retries: a timeout could do nothing).
  public func start(_ context: inout ProcessContext<IdempotentProducer>) {
    guard context.process == IdempotentProducer.producer else { return }
    for sequence in 0..<maxInFlight {
      context.send(.produce(sequence: sequence), to: IdempotentProducer.broker)
      if retries > 0 { context.setTimer(.requestTimeout(sequence: sequence)) }
    }
    context.volatile.unacked = Array(0..<maxInFlight)
  }

  public func receive(_ message: Message, from sender: ProcessID, _ context: inout ProcessContext<IdempotentProducer>) {
    switch message {
    case .produce(let sequence):
      if context.durable.log.suffix(IdempotentProducer.brokerWindow).contains(sequence) {
        context.emit(.duplicate(sequence: sequence))
      } else {
        context.durable.log.append(sequence)
        context.emit(.appended(sequence: sequence))
      }
      context.send(.ack(sequence: sequence), to: sender)
    case .ack(let sequence):
      context.volatile.unacked.removeAll { $0 == sequence }
      context.cancelTimer(.requestTimeout(sequence: sequence))
    }
  }

  /// A batch's request timed out: send it again, with a new timeout while retries are left;
  /// once they are spent, no timeout is needed any more.
  public func timeout(_ timer: Timer, _ context: inout ProcessContext<IdempotentProducer>) {
    guard case .requestTimeout(let sequence) = timer, context.volatile.unacked.contains(sequence),
      context.volatile.retries < retries
    else { return }
    context.volatile.retries += 1
    context.send(.produce(sequence: sequence), to: IdempotentProducer.broker)
    context.emit(.retried(sequence: sequence))
    if context.volatile.retries < retries {
      context.setTimer(.requestTimeout(sequence: sequence))
    } else {
      for other in context.volatile.unacked { context.cancelTimer(.requestTimeout(sequence: other)) }
    }
  }

  /// At most one append per sequence number, over the whole run.
  public static let atMostOnceAppend = AtMostOnceEffect<
    SystemState<IdempotentProducer>, SystemAction<IdempotentProducer>, [Event], Int
  >("AtMostOnceAppend") { step in
    for case .appended(let sequence) in step.response { return sequence }
    return nil
  }

  /// The system's spec monitored by ``atMostOnceAppend``.
  public var monitoredSpec: MonitoredSpec<
    SystemSpec<IdempotentProducer>,
    AtMostOnceEffect<SystemState<IdempotentProducer>, SystemAction<IdempotentProducer>, [Event], Int>
  > {
    spec.monitored { IdempotentProducer.atMostOnceAppend }
  }
}
