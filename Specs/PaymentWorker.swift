import Interleave

/// A durable payment worker that survives crashes: the design that the logs of the
/// `payments-demo` executable are validated against (docs/validation.md).
///
/// The worker takes requests `(key, amount)` one at a time. Its durable state is a ledger (the
/// system of record: one charge per line) and the set of idempotency keys it has answered; its
/// volatile state is where it is in the current request. For each request it logs `receive`;
/// a remembered key is answered `deduplicated` at once; otherwise it charges (appends to the
/// ledger, logs `charge`) unless the ledger already has the key because an earlier run crashed
/// after charging, then remembers the key (logs `remember`) and answers `ok` (logs `respond`).
///
/// A crash is not logged: the next run's `start` implies it, and `start` is enabled at any time
/// (the worker is down before the first one).
/// The worker logs each durable step after its write, so a crash between the write and the log
/// line loses the line but not the effect. Two hidden actions model that (`crashAfterCharge`,
/// `crashAfterRemember`: the write happened, then the process died); the validator fires them
/// between logged lines when it needs them to explain a log.
///
/// `variant: .buggy` is the worker without the ledger check: after a crash between `charge` and
/// `remember` the restarted worker charges the key again, which breaks ``atMostOnceEffect``.
///
/// For model checking the domains are finite: `receive` takes requests from ``requests`` (the
/// first `keys` of them, each as often as the model likes: client retries), and the state
/// constraint stops the search at `restarts + 1` runs (a state with one more start is checked but
/// not expanded). The validator ignores the constraint, and the actions it builds from a log
/// (``actions(named:arguments:in:)``) take keys, amounts and run numbers from the log.
public struct PaymentWorker: Specification {
  /// The correct worker, or the one without the ledger check.
  public enum Variant: String, CaseIterable, Sendable {
    case correct, buggy
  }

  /// A payment request: an idempotency key and an amount.
  public struct Request: Hashable, Sendable {
    public let key: String
    public let amount: Int
  }

  /// Where the worker is in the current request: volatile, lost in a crash.
  public enum Position: Hashable, Sendable, Fingerprintable {
    /// Between requests.
    case idle
    /// The request is received.
    case received(key: String, amount: Int)
    /// The key is charged in the ledger.
    case charged(key: String)
    /// The key is remembered with its response.
    case remembered(key: String, response: String)
    /// Not running: before the first start, or after a crash right after a durable write whose
    /// log line the process did not write. Only `start` follows.
    case down

    public func fingerprint(into f: inout Fingerprinter) {
      switch self {
      case .idle: f.combine(0)
      case .received(let key, let amount):
        f.combine(1)
        key.fingerprint(into: &f)
        f.combine(UInt64(bitPattern: Int64(amount)))
      case .charged(let key):
        f.combine(2)
        key.fingerprint(into: &f)
      case .remembered(let key, let response):
        f.combine(3)
        key.fingerprint(into: &f)
        response.fingerprint(into: &f)
      case .down: f.combine(4)
      }
    }
  }

  /// The durable ledger and keys, the volatile position, and the number of runs started.
  public struct State: Hashable, Sendable, Fingerprintable {
    /// The system of record: the amount charged per key.
    public var ledger: [String: Int] = [:]
    /// The idempotency keys answered.
    public var remembered: Set<String> = []
    /// Where the current run is.
    public var position: Position = .down
    /// Runs started so far (bounds the model checker's search).
    public var starts = 0

    public func fingerprint(into f: inout Fingerprinter) {
      ledger.fingerprint(into: &f)
      remembered.fingerprint(into: &f)
      position.fingerprint(into: &f)
      f.combine(UInt64(starts))
    }
  }

  /// The worker's steps, named as the log names them.
  public enum Action: Hashable, Sendable {
    /// A run starts (after a crash, or the first time); the volatile position is reset.
    case start(run: Int)
    /// A request is taken.
    case receive(key: String, amount: Int)
    /// The effect: a ledger entry for the key.
    case charge(key: String, amount: Int)
    /// The key is stored with its response.
    case remember(key: String)
    /// The caller gets the answer.
    case respond(key: String)
    /// Hidden: the ledger entry was written, then the process died before logging `charge`.
    case crashAfterCharge(key: String, amount: Int)
    /// Hidden: the key was stored, then the process died before logging `remember`.
    case crashAfterRemember(key: String)
  }

  /// What `respond` answers (`ok` or `deduplicated`); nil for the other actions.
  public typealias Response = String?

  /// The requests that model checking draws from.
  public static let requests = [
    Request(key: "k1", amount: 10),
    Request(key: "k2", amount: 20),
    Request(key: "k3", amount: 30),
    Request(key: "k4", amount: 40),
  ]

  /// How many of ``requests`` model checking uses.
  public let keys: Int
  /// How many restarts model checking explores (runs = restarts + 1).
  public let restarts: Int
  /// The correct worker or the buggy one.
  public let variant: Variant
  public var name: String { "PaymentWorker" }

  /// Creates the spec.
  public init(keys: Int = 2, restarts: Int = 2, variant: Variant = .correct) {
    precondition((1...PaymentWorker.requests.count).contains(keys), "keys must be in 1...\(PaymentWorker.requests.count)")
    self.keys = keys
    self.restarts = restarts
    self.variant = variant
  }

  public var initialStates: [State] { [State()] }

  // MARK: Guards

  /// Whether `charge` (or a crash right after it) is enabled for `key`: the request is received,
  /// its key is not remembered, and, in the correct worker, not in the ledger.
  func canCharge(_ state: State, key: String) -> Bool {
    guard case .received(let received, _) = state.position, received == key else { return false }
    return !state.remembered.contains(key) && (variant == .buggy || state.ledger[key] == nil)
  }

  /// Whether `remember` (or a crash right after it) is enabled for `key`: after `charge`, or
  /// (correct worker) after `receive` when the ledger already has the key.
  func canRemember(_ state: State, key: String) -> Bool {
    switch state.position {
    case .charged(let charged): return charged == key
    case .received(let received, _):
      return variant == .correct && received == key && !state.remembered.contains(key) && state.ledger[key] != nil
    default: return false
    }
  }

  /// What `respond` for `key` answers if it is enabled: `ok` after `remember`, `deduplicated`
  /// right after `receive` of a remembered key.
  func response(_ state: State, key: String) -> String? {
    switch state.position {
    case .remembered(let remembered, let response) where remembered == key: return response
    case .received(let received, _) where received == key && state.remembered.contains(key): return "deduplicated"
    default: return nil
    }
  }

  /// The actions after `receive` (everything but `start` and `receive`), enabled in `state`.
  func forEachStep(in state: State, _ body: (Action) -> Void) {
    let key: String
    switch state.position {
    case .received(let received, _): key = received
    case .charged(let charged): key = charged
    case .remembered(let remembered, _): key = remembered
    case .idle, .down: return
    }
    if canCharge(state, key: key), case .received(_, let amount) = state.position {
      body(.charge(key: key, amount: amount))
      body(.crashAfterCharge(key: key, amount: amount))
    }
    if canRemember(state, key: key) {
      body(.remember(key: key))
      body(.crashAfterRemember(key: key))
    }
    if response(state, key: key) != nil { body(.respond(key: key)) }
  }

  public func forEachEnabledAction(in state: State, _ body: (Action) -> Void) {
    body(.start(run: state.starts + 1))
    if state.position == .idle {
      for request in PaymentWorker.requests.prefix(keys) { body(.receive(key: request.key, amount: request.amount)) }
    }
    forEachStep(in: state, body)
  }

  public func apply(_ action: Action, to state: inout State) -> String? {
    switch action {
    case .start:
      state.starts += 1
      state.position = .idle
    case .receive(let key, let amount):
      state.position = .received(key: key, amount: amount)
    case .charge(let key, let amount):
      state.ledger[key] = amount
      state.position = .charged(key: key)
    case .remember(let key):
      state.remembered.insert(key)
      state.position = .remembered(key: key, response: "ok")
    case .respond(let key):
      let answer = response(state, key: key)
      state.position = .idle
      return answer
    case .crashAfterCharge(let key, let amount):
      state.ledger[key] = amount
      state.position = .down
    case .crashAfterRemember(let key):
      state.remembered.insert(key)
      state.position = .down
    }
    return nil
  }

  /// The crash actions are not logged: their log line is what the crash lost.
  public func isHidden(_ action: Action) -> Bool {
    switch action {
    case .crashAfterCharge, .crashAfterRemember: true
    default: false
    }
  }

  /// Model checking explores up to `restarts + 1` runs.
  public func isWithinConstraint(_ state: State) -> Bool { state.starts <= restarts + 1 }

  /// `start` and `receive` take their arguments from the log (run numbers, keys and amounts are
  /// unbounded); the other actions are matched among the enabled ones.
  public func actions(named name: String, arguments: JSONObject, in state: State) -> [Action]? {
    switch name {
    case "start":
      let run = arguments["run"].map { $0.intValue } ?? state.starts + 1
      guard let run else { return [] }  // a run that is not an integer matches nothing
      return [.start(run: run)]
    case "receive":
      guard let keyValue = arguments["key"], let amountValue = arguments["amount"] else {
        return nil  // an argument left open: match the model's requests
      }
      guard state.position == .idle, let key = keyValue.stringValue, let amount = amountValue.intValue else { return [] }
      return [.receive(key: key, amount: amount)]
    default:
      return nil
    }
  }

  public func disabledReason(named name: String, arguments: JSONObject, in state: State) -> String? {
    let key = arguments["key"]?.stringValue
    if state.position == .down {
      return "the worker is not running (before its first start, or after a crash that lost the log line of its last write); only start can follow"
    }
    switch name {
    case "receive":
      return "requires the worker to be idle (it is at \(JSONRendering.render(state.position).jsonText))"
    case "charge":
      guard case .received(let received, let amount) = state.position, key == nil || received == key else {
        return "requires a received request for that key (the worker is at \(JSONRendering.render(state.position).jsonText))"
      }
      if state.remembered.contains(received) { return "the key \(received) is remembered: the worker must answer deduplicated" }
      if variant == .correct && state.ledger[received] != nil {
        return "requires the key not in the ledger, and the ledger already has \(received) (a second charge breaks AtMostOnceEffect)"
      }
      if let logged = arguments["amount"], logged.intValue != amount {
        return "the received amount is \(amount)"
      }
      return nil
    case "remember":
      let after = variant == .correct ? "a charge, or a received key that the ledger has" : "a charge"
      return "requires \(after) (the worker is at \(JSONRendering.render(state.position).jsonText))"
    case "respond":
      return "requires a remembered key, or a received key that was remembered before (the worker is at \(JSONRendering.render(state.position).jsonText))"
    default:
      return nil
    }
  }

  public var invariants: [Invariant<State>] {
    [Invariant("RememberedKeysAreCharged") { state in state.remembered.allSatisfy { state.ledger[$0] != nil } }]
  }

  /// At most one charge per key, including a charge whose log line the crash lost.
  public static let atMostOnceEffect = AtMostOnceEffect<State, Action, String?, String>("AtMostOnceEffect") { step in
    switch step.action {
    case .charge(let key, _), .crashAfterCharge(let key, _): key
    default: nil
    }
  }
}
