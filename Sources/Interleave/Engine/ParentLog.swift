/// For each stored state, in the order found: its parent and which of the parent's enabled
/// actions led to it. Enough to rebuild any counterexample by replaying actions.
@usableFromInline
struct ParentLog {
  /// The marker for states that have no parent (initial states).
  @usableFromInline static let root = UInt32.max

  @usableFromInline var parents: [UInt32] = []
  /// The position of the action in the parent's enumeration, or of the state in
  /// `initialStates` for roots. Positions past `UInt16.max - 1` live in `wideOrdinals`.
  @usableFromInline var ordinals: [UInt16] = []
  @usableFromInline var wideOrdinals: [Int: Int] = [:]

  @inlinable init() {}

  @inlinable var count: Int { parents.count }

  @inlinable
  mutating func append(parent: Int?, ordinal: Int) {
    parents.append(parent.map { UInt32(truncatingIfNeeded: $0) } ?? ParentLog.root)
    if ordinal < Int(UInt16.max) {
      ordinals.append(UInt16(truncatingIfNeeded: ordinal))
    } else {
      wideOrdinals[ordinals.count] = ordinal
      ordinals.append(UInt16.max)
    }
  }

  @inlinable
  func ordinal(of index: Int) -> Int {
    let narrow = ordinals[index]
    return narrow == UInt16.max ? wideOrdinals[index]! : Int(narrow)
  }

  /// The chain from a root to `index`: the root's position in `initialStates`, then the
  /// action positions along the way.
  @inlinable
  func path(to index: Int) -> (initial: Int, actions: [Int]) {
    var actions: [Int] = []
    var current = index
    while parents[current] != ParentLog.root {
      actions.append(ordinal(of: current))
      current = Int(parents[current])
    }
    return (ordinal(of: current), actions.reversed())
  }

  /// The bytes per state this log uses.
  @inlinable var bytesPerState: Int { MemoryLayout<UInt32>.stride + MemoryLayout<UInt16>.stride }
  @inlinable var bytes: Int { parents.capacity * 4 + ordinals.capacity * 2 }
}
