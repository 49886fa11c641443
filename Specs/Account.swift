import Interleave

/// A bank account: deposits and withdrawals of any amount, never below zero. The validation
/// benchmark's spec, and the example of actions whose argument comes from an unbounded domain:
/// model checking enumerates a few amounts up to a balance bound; validation takes the amount
/// from each logged event.
public struct Account: Specification {
  /// The balance.
  public struct State: Hashable, Sendable, Fingerprintable, JSONRenderable {
    public var balance = 0
    public init(balance: Int = 0) { self.balance = balance }
    public func fingerprint(into f: inout Fingerprinter) { f.combine(balance) }
    public var jsonValue: JSONValue { ["balance": .int(balance)] }
  }

  /// Money in or out.
  public enum Action: Hashable, Sendable {
    case deposit(amount: Int)
    case withdraw(amount: Int)
  }

  /// The amounts model checking tries.
  public let amounts: [Int]
  /// Model checking stops expanding above this balance (a state constraint).
  public let maxBalance: Int
  public var name: String { "Account" }

  /// Creates the spec.
  public init(amounts: [Int] = [1, 5], maxBalance: Int = 20) {
    self.amounts = amounts
    self.maxBalance = maxBalance
  }

  public var initialStates: [State] { [State()] }

  public func forEachEnabledAction(in s: State, _ body: (Action) -> Void) {
    for amount in amounts {
      body(.deposit(amount: amount))
      if s.balance >= amount { body(.withdraw(amount: amount)) }
    }
  }

  public func apply(_ action: Action, to s: inout State) -> String {
    switch action {
    case .deposit(let amount): s.balance += amount
    case .withdraw(let amount): s.balance -= amount
    }
    return "ok"
  }

  public var invariants: [Invariant<State>] { [Invariant("never negative") { $0.balance >= 0 }] }

  public func isWithinConstraint(_ s: State) -> Bool { s.balance <= maxBalance }

  /// Builds the logged action with its amount, if it is enabled.
  public func actions(named name: String, arguments: JSONObject, in s: State) -> [Action]? {
    guard let amount = arguments["amount"]?.intValue, amount > 0 else { return nil }
    switch name {
    case "deposit": return [.deposit(amount: amount)]
    case "withdraw": return s.balance >= amount ? [.withdraw(amount: amount)] : []
    default: return nil
    }
  }

  public func disabledReason(named name: String, arguments: JSONObject, in s: State) -> String? {
    name == "withdraw" ? "withdraw requires balance >= amount (balance is \(s.balance))" : nil
  }

  public func describe(_ action: Action) -> ActionDescription {
    switch action {
    case .deposit(let amount): ActionDescription(name: "deposit", arguments: ["amount": .int(amount)])
    case .withdraw(let amount): ActionDescription(name: "withdraw", arguments: ["amount": .int(amount)])
    }
  }

  public let actionKinds = ["deposit", "withdraw"]

  public func actionKind(of action: Action) -> Int {
    if case .deposit = action { return 0 }
    return 1
  }
}
