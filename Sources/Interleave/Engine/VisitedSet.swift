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
  /// A hint that `fingerprint` will be inserted or looked up soon.
  func prefetch(fingerprint: UInt64)
}

extension VisitedSet {
  /// Nothing: a set without a cheap way to load ahead ignores the hint.
  public func prefetch(fingerprint: UInt64) {}
}

