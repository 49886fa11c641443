import Interleave

/// Bounded idempotence (docs/properties.md, Def I-2): a deposit API that remembers idempotency
/// keys for `retention` time units, checked against trace idempotence with a time window.
///
/// The client sends deposit `d1` (10 units) up to three times at any time; the clock ticks up to
/// `maxTime`; the server may prune a key once it is `retention` old (as Stripe prunes keys after
/// 24 hours). A replay inside the property's `window` must change nothing and answer like the
/// first application, except for the `deduplicated` marker; a replay after the window is a new
/// application. With `retention >= window` the property holds; with a shorter retention, a key
/// is pruned inside the window and the replay deposits again: the shortest counterexample is
/// deposit, tick, tick, prune, deposit (5 steps) for retention 2 and window 3. The server restarts
/// a key's retention whenever it answers the key: under the anchor rule a request outside the
/// window is a new application, so its window must be remembered in full too.
public struct Deposit: Specification {
  /// The clock, the balance, the stored keys (key -> time stored), and sends so far.
  public struct State: Hashable, Sendable, Fingerprintable {
    public var now = 0
    public var balance = 0
    public var stored: [String: Int] = [:]
    public var sends = 0
    public func fingerprint(into f: inout Fingerprinter) {
      f.combine(now)
      f.combine(balance)
      f.combine(stored)
      f.combine(sends)
    }
  }

  /// Deposit, time passing, and the server pruning a key.
  public enum Action: Hashable, Sendable {
    case deposit(key: String, amount: Int)
    case tick
    case prune(key: String)

    /// The idempotency key of a deposit; nil for other actions.
    public var depositKey: String? {
      if case .deposit(let key, _) = self { return key }
      return nil
    }
  }

  /// The answer to a deposit; `deduplicated` is set on replays.
  public struct Receipt: Hashable, Sendable {
    public var status: String
    public var deduplicated: Bool?
  }

  /// How long the server keeps a key at least.
  public let retention: Int
  /// The property's window.
  public let window: Int
  /// The last clock value.
  public let maxTime: Int
  /// How often the client sends the deposit.
  public let maxSends: Int
  public var name: String { "Deposit" }

  /// Creates the spec.
  public init(retention: Int = 3, window: Int = 3, maxTime: Int = 5, maxSends: Int = 3) {
    self.retention = retention
    self.window = window
    self.maxTime = maxTime
    self.maxSends = maxSends
  }

  public var initialStates: [State] { [State()] }

  public func forEachEnabledAction(in state: State, _ body: (Action) -> Void) {
    if state.sends < maxSends { body(.deposit(key: "d1", amount: 10)) }
    if state.now < maxTime { body(.tick) }
    for (key, storedAt) in state.stored.sorted(by: { $0.key < $1.key }) where state.now - storedAt >= retention {
      body(.prune(key: key))
    }
  }

  public func apply(_ action: Action, to state: inout State) -> Receipt? {
    switch action {
    case .deposit(let key, let amount):
      state.sends += 1
      if state.stored[key] != nil {
        // A request outside the window is a new application (Def I-2's anchor rule), so the
        // server restarts the key's retention on every request it answers.
        state.stored[key] = state.now
        return Receipt(status: "ok", deduplicated: true)
      }
      state.balance += amount
      state.stored[key] = state.now
      return Receipt(status: "ok", deduplicated: nil)
    case .tick:
      state.now += 1
      return nil
    case .prune(let key):
      state.stored[key] = nil
      return nil
    }
  }

  /// Time is up and the client is done.
  public func isTerminal(_ state: State) -> Bool { state.now == maxTime && state.sends == maxSends }

  /// Bounded trace idempotence of deposits: a replay less than `window` after its anchor must not
  /// change the balance and must answer like the anchor, except for `deduplicated`.
  public var boundedIdempotence: TraceIdempotence<State, Action, Receipt?, String, Int> {
    TraceIdempotence(
      "bounded idempotence", for: Deposit.self,
      key: { $0.depositKey },
      observe: { $0.balance }
    )
    .window(.time(Double(window)))
    .clock { Double($0.before.now) }
    .responses(.ignoringMarker("deduplicated"))
  }
}
