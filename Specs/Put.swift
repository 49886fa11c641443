import Interleave

/// `PUT x := v` by two clients that may retry: the canonical example of why classical
/// idempotence (`f(f(s)) = f(s)`) is not enough (docs/properties.md, Def I-1).
///
/// Client A puts 5 under key `kA`, client B puts 6 under key `kB`; each sends its request at most
/// twice (the second send is a retry). Unkeyed, the server applies every PUT: A puts, B puts,
/// A's retry sets x back to 5, so the retry changed the state and trace idempotence fails after
/// 3 steps. Keyed, the server remembers applied keys and answers a retry with the saved
/// response without touching `x`: the property holds.
public struct Put: Specification {
  /// A client's request.
  public struct Request: Hashable, Sendable {
    public let client: String
    public let key: String
    public let value: Int
  }

  /// The register, the server's table of applied keys (keyed only), and what each client sent.
  public struct State: Hashable, Sendable, Fingerprintable {
    /// The register.
    public var x = 0
    /// Applied keys with their saved response.
    public var applied: [String: String] = [:]
    /// Sends so far, per client (A, B).
    public var sends = [0, 0]
    public func fingerprint(into f: inout Fingerprinter) {
      f.combine(x)
      f.combine(applied)
      f.combine(sends)
    }
  }

  /// A client sends (or resends) its PUT.
  public enum Action: Hashable, Sendable {
    case put(client: String, key: String, value: Int)

    /// The request's idempotency key.
    public var key: String {
      switch self {
      case .put(_, let key, _): key
      }
    }
  }

  /// The requests of clients A and B.
  public static let requests = [
    Request(client: "A", key: "kA", value: 5),
    Request(client: "B", key: "kB", value: 6),
  ]

  /// Whether the server deduplicates by idempotency key.
  public let keyed: Bool
  /// How often each client sends its request (1 + retries).
  public let maxSends: Int
  public var name: String { "Put" }

  /// Creates the spec.
  public init(keyed: Bool, maxSends: Int = 2) {
    self.keyed = keyed
    self.maxSends = maxSends
  }

  public var initialStates: [State] { [State()] }

  public func forEachEnabledAction(in state: State, _ body: (Action) -> Void) {
    for (index, request) in Put.requests.enumerated() where state.sends[index] < maxSends {
      body(.put(client: request.client, key: request.key, value: request.value))
    }
  }

  public func apply(_ action: Action, to state: inout State) -> String {
    guard case .put(let client, let key, let value) = action else { return "" }
    state.sends[client == "A" ? 0 : 1] += 1
    if keyed, let saved = state.applied[key] { return saved }
    state.x = value
    if keyed { state.applied[key] = "ok" }
    return "ok"
  }

  /// Both clients have sent all they will send.
  public func isTerminal(_ state: State) -> Bool { state.sends.allSatisfy { $0 == maxSends } }

  /// Trace idempotence per request key; the observable state is the register alone.
  public static let idempotence = TraceIdempotence(
    "trace idempotence", for: Put.self,
    key: { $0.key },
    observe: { $0.x })
}
