/// How a ``DistributedSystem``'s network treats messages: combine the options that describe it.
///
/// - The empty set is a reliable, unordered network: every message sent is delivered exactly
///   once, in any order (a multiset of messages in flight).
/// - ``ordered``: messages between two processes arrive in the order they were sent (one FIFO
///   channel per sender and receiver, as TCP gives).
/// - ``lossy``: a message in flight can be lost (trace name `drop`), up to
///   ``FaultBudget/losses``.
/// - ``duplicating``: a message in flight can be duplicated (trace name `duplicate`), up to
///   ``FaultBudget/duplications``; on an ordered channel the copy follows the original.
///
/// ```swift
/// var network: NetworkSemantics { [.ordered, .lossy] }
/// ```
public struct NetworkSemantics: OptionSet, Hashable, Sendable, CustomStringConvertible {
  public let rawValue: UInt8

  public init(rawValue: UInt8) { self.rawValue = rawValue }

  /// Per-channel FIFO delivery.
  public static let ordered = NetworkSemantics(rawValue: 1)
  /// Messages can be lost.
  public static let lossy = NetworkSemantics(rawValue: 2)
  /// Messages can be duplicated.
  public static let duplicating = NetworkSemantics(rawValue: 4)
  /// Reliable and unordered: the empty set.
  public static let reliable: NetworkSemantics = []

  /// `ordered, lossy`, or `reliable unordered`.
  public var description: String {
    var words = [contains(.ordered) ? "ordered" : "unordered"]
    if contains(.lossy) { words.append("lossy") }
    if contains(.duplicating) { words.append("duplicating") }
    if words.count == 1 { words.insert("reliable", at: 0) }
    return words.joined(separator: ", ")
  }
}

/// How many faults the environment may inject in one run, so that the state space stays finite.
///
/// `nil` means no bound. Crashes need ``DistributedSystem/canCrash(_:in:)``; losses and
/// duplications need a ``NetworkSemantics/lossy`` or ``NetworkSemantics/duplicating`` network.
public struct FaultBudget: Hashable, Sendable, CustomStringConvertible {
  /// Crashes, over all processes.
  public var crashes: Int?
  /// Messages lost.
  public var losses: Int?
  /// Messages duplicated.
  public var duplications: Int?

  /// Creates a budget; by default no crash, unbounded losses, and one duplication.
  public init(crashes: Int? = 0, losses: Int? = nil, duplications: Int? = 1) {
    self.crashes = crashes
    self.losses = losses
    self.duplications = duplications
  }

  /// No fault at all: no crash, no loss, no duplication.
  public static let none = FaultBudget(crashes: 0, losses: 0, duplications: 0)

  /// `crashes <= 1, losses unbounded, duplications <= 1`.
  public var description: String {
    func bound(_ value: Int?) -> String { value.map { "<= \($0)" } ?? "unbounded" }
    return "crashes \(bound(crashes)), losses \(bound(losses)), duplications \(bound(duplications))"
  }
}
