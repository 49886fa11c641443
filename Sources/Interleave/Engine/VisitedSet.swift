/// The set of states a search has stored: fingerprints by default, full states with `--exact`.
public protocol VisitedSet<State> {
  associatedtype State
  /// Records a state; returns true if it was not there before.
  mutating func insert(fingerprint: UInt64, state: State) -> Bool
  /// Whether a state is stored.
  func contains(fingerprint: UInt64, state: State) -> Bool
  /// The number of states stored.
  var count: Int { get }
  /// The bytes the set holds now.
  var bytes: Int { get }
}

