import Interleave

/// An idempotent payment API with idempotency keys (seed notes E1, after Stripe's
/// `Idempotency-Key`): a client that retries, a server that may crash, a payment provider that
/// charges whatever it is asked to.
///
/// The client sends `charge(key, amount)` and, when its retry timer fires before an answer
/// (a slow network looks exactly like a lost request), sends it again with the same key, up to
/// `retries` times. The server handles each request in atomic steps, so that a crash can fall
/// between any two of them: `check` the key table, `charge` the provider (the external effect,
/// in ``PaymentAPI/Shared``), `save` the response under the key and answer. The key table is
/// the server's durable state; requests in progress are volatile and die in a crash.
///
/// The correct server claims a key atomically in `check` (a durable `pending` entry; a request
/// that finds the key pending is answered `conflict`, as Stripe answers 409), and on restart
/// reconciles every pending key with the provider: charged keys become done, the others are
/// released. Each buggy variant breaks one of these:
/// - ``Variant/unkeyed``: no key table; a retry charges again.
/// - ``Variant/keyAfterEffect``: the key is written only after the effect, with an in-memory lock
///   against concurrent requests; a crash between the effect and the key write loses the lock
///   and the knowledge, and the retry charges again.
/// - ``Variant/checkThenInsert``: the check and the claim are two steps; the original and its
///   retry both find the key free, and both charge.
///
/// Every variant is checked with ``atMostOnceCharge`` (at most one charge per key).
public struct PaymentAPI: DistributedSystem {
  /// The server's design.
  public enum Variant: String, CaseIterable, Sendable {
    case correct, unkeyed, keyAfterEffect, checkThenInsert
  }

  /// What the client and the server send each other.
  public enum Message: Hashable, Sendable {
    /// A payment request.
    case charge(key: String, amount: Int)
    /// The answer: the charge's number in the provider's ledger, or `conflict` (nil) while the
    /// key is being processed.
    case response(key: String, charge: Int?)
  }

  /// An entry of the server's idempotency-key table.
  public enum KeyEntry: Hashable, Sendable {
    /// Claimed by a request in progress.
    case pending
    /// Done: the saved response (the charge's number).
    case done(charge: Int)
  }

  /// What survives a crash: the client's progress and the server's key table.
  public struct Durable: Hashable, Sendable {
    /// Client: requests sent so far (the first and the retries).
    public var sends = 0
    /// Client: the answers received.
    public var answers: [Int?] = []
    /// Server: the idempotency-key table.
    public var keys: [String: KeyEntry] = [:]
  }

  /// Where a request is on the server.
  public enum Stage: Hashable, Sendable {
    /// Received, key not checked.
    case received
    /// Checked and found free, not yet claimed (checkThenInsert only).
    case checked
    /// The key is claimed: ready to charge.
    case claimed
    /// The provider charged it: ready to save the response.
    case charged(charge: Int)
  }

  /// A request in progress on the server.
  public struct Job: Hashable, Sendable {
    /// Who sent it.
    public var client: ProcessID
    /// Its idempotency key.
    public var key: String
    /// The amount.
    public var amount: Int
    /// How far it got.
    public var stage: Stage
  }

  /// What a crash loses: the server's requests in progress and its in-memory key locks.
  public struct Volatile: Hashable, Sendable {
    /// Requests in progress, in arrival order.
    public var jobs: [Job] = []
    /// Keys locked in memory (keyAfterEffect only).
    public var locks: Set<String> = []
  }

  /// The payment provider: the charges it made, by idempotency key, in order.
  public struct Shared: Hashable, Sendable {
    /// The ledger: one entry per charge.
    public var ledger: [String] = []
  }

  /// The server's steps on a request, by the request's position in ``Volatile/jobs``.
  public enum Step: Hashable, Sendable {
    /// Look the key up (and claim it, unless the variant claims separately).
    case check(job: Int)
    /// Claim the key (checkThenInsert only).
    case claim(job: Int)
    /// Ask the provider to charge: the external effect.
    case charge(job: Int)
    /// Save the response under the key and answer the client.
    case save(job: Int)
  }

  /// The client's retry timer.
  public enum Timer: Hashable, Sendable { case retry }

  /// What steps emit for trace properties.
  public enum Event: Hashable, Sendable {
    /// The provider charged the key.
    case charged(key: String)
  }

  /// The idempotency key the client uses.
  public static let key = "k1"
  /// The amount it charges.
  public static let amount = 10

  /// The server's design.
  public let variant: Variant
  /// How often the client resends.
  public let retries: Int
  /// How often the server may crash.
  public let crashes: Int

  /// Creates the system.
  public init(variant: Variant = .correct, retries: Int = 1, crashes: Int = 1) {
    self.variant = variant
    self.retries = retries
    self.crashes = crashes
  }

  public var name: String { "PaymentAPI" }
  public var processes: [String] { ["client", "server"] }
  public var faults: FaultBudget { FaultBudget(crashes: crashes) }
  static let client: ProcessID = 0
  static let server: ProcessID = 1

  public func initialDurable(of process: ProcessID) -> Durable { Durable() }
  public func initialVolatile(of process: ProcessID) -> Volatile { Volatile() }
  public var initialShared: Shared { Shared() }

  /// Only the server crashes; the client stands for the retry loop of a caller.
  public func canCrash(_ process: ProcessID, in state: SystemState<PaymentAPI>) -> Bool { process == Self.server }

  public func start(_ context: inout ProcessContext<PaymentAPI>) {
    if context.process == Self.client {
      send(&context)
      return
    }
    guard context.isRecovery, variant == .correct || variant == .checkThenInsert else { return }
    // Recovery: no request is in progress any more, so a pending key is a leftover. Reconcile
    // it with the provider: charged means done, otherwise release it.
    for (key, entry) in context.durable.keys where entry == .pending {
      if let charge = context.shared.ledger.firstIndex(of: key) {
        context.durable.keys[key] = .done(charge: charge)
      } else {
        context.durable.keys[key] = nil
      }
    }
  }

  public func timeout(_ timer: Timer, _ context: inout ProcessContext<PaymentAPI>) {
    send(&context)
  }

  /// The client sends (or resends) its request and sets its retry timer while it has retries.
  func send(_ context: inout ProcessContext<PaymentAPI>) {
    context.durable.sends += 1
    context.send(.charge(key: Self.key, amount: Self.amount), to: Self.server)
    if context.durable.sends <= retries { context.setTimer(.retry) }
  }

  public func receive(_ message: Message, from sender: ProcessID, _ context: inout ProcessContext<PaymentAPI>) {
    switch message {
    case .charge(let key, let amount):
      context.volatile.jobs.append(Job(client: sender, key: key, amount: amount, stage: .received))
    case .response(_, let charge):
      context.durable.answers.append(charge)
      if charge != nil { context.cancelTimer(.retry) }
    }
  }

  public func forEachStep(of context: ProcessContext<PaymentAPI>, _ body: (Step) -> Void) {
    guard context.process == Self.server else { return }
    for (index, job) in context.volatile.jobs.enumerated() {
      switch job.stage {
      case .received: body(.check(job: index))
      case .checked: body(.claim(job: index))
      case .claimed: body(.charge(job: index))
      case .charged: body(.save(job: index))
      }
    }
  }

  public func perform(_ step: Step, _ context: inout ProcessContext<PaymentAPI>) {
    switch step {
    case .check(let index):
      let job = context.volatile.jobs[index]
      if variant == .unkeyed {
        context.volatile.jobs[index].stage = .claimed
        return
      }
      switch context.durable.keys[job.key] {
      case .done(let charge)?:
        answer(index, charge: charge, &context)
      case .pending?:
        answer(index, charge: nil, &context)
      case nil where variant == .keyAfterEffect:
        if context.volatile.locks.insert(job.key).inserted {
          context.volatile.jobs[index].stage = .claimed
        } else {
          answer(index, charge: nil, &context)
        }
      case nil where variant == .checkThenInsert:
        context.volatile.jobs[index].stage = .checked
      case nil:
        context.durable.keys[job.key] = .pending
        context.volatile.jobs[index].stage = .claimed
      }
    case .claim(let index):
      context.durable.keys[context.volatile.jobs[index].key] = .pending
      context.volatile.jobs[index].stage = .claimed
    case .charge(let index):
      let key = context.volatile.jobs[index].key
      context.shared.ledger.append(key)
      context.emit(.charged(key: key))
      context.volatile.jobs[index].stage = .charged(charge: context.shared.ledger.count - 1)
    case .save(let index):
      guard case .charged(let charge) = context.volatile.jobs[index].stage else { return }
      let key = context.volatile.jobs[index].key
      if variant != .unkeyed { context.durable.keys[key] = .done(charge: charge) }
      context.volatile.locks.remove(key)
      answer(index, charge: charge, &context)
    }
  }

  /// Answers the job's client and forgets the job.
  func answer(_ index: Int, charge: Int?, _ context: inout ProcessContext<PaymentAPI>) {
    let job = context.volatile.jobs.remove(at: index)
    context.send(.response(key: job.key, charge: charge), to: job.client)
  }

  /// Every answer with a charge names the same charge: a retry gets the saved response.
  public var invariants: [Invariant<SystemState<PaymentAPI>>] {
    [
      Invariant("answers agree") { state in
        Set(state[Self.client].durable.answers.compactMap { $0 }).count <= 1
      }
    ]
  }

  /// At most one charge per idempotency key (the effect-count form of idempotence).
  public static let atMostOnceCharge = AtMostOnceEffect<SystemState<PaymentAPI>, SystemAction<PaymentAPI>, [Event], String>(
    "at most one charge per key"
  ) { step in
    step.response.lazy.compactMap { event -> String? in
      guard case .charged(let key) = event else { return nil }
      return key
    }.first
  }
}
