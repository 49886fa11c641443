/// For each stored state, in the order stored: its parent and which of the parent's enabled
/// actions led to it. Enough to rebuild any counterexample by replaying actions. Five bytes per
/// state: a 32-bit parent index and an 8-bit action position (rare larger positions live in a
/// side table).
@usableFromInline
struct ParentLog: @unchecked Sendable {
  /// The marker for states that have no parent (initial states).
  @usableFromInline static var root: UInt32 { UInt32.max }

  @usableFromInline let parents = ChunkedStorage<UInt32>()
  /// The position of the action in the parent's enumeration, or of the state in
  /// `initialStates` for roots; 255 means "see `wideOrdinals`".
  @usableFromInline let ordinals = ChunkedStorage<UInt8>()
  @usableFromInline var wideOrdinals: [Int: Int] = [:]

  @inlinable init() {}

  @inlinable var count: Int { parents.count }

  @inlinable
  mutating func append(parent: Int?, ordinal: Int) {
    if let parent { precondition(parent < Int(ParentLog.root), "more than 4 billion states") }
    parents.append(parent.map { UInt32(truncatingIfNeeded: $0) } ?? ParentLog.root)
    if ordinal < 255 {
      ordinals.append(UInt8(truncatingIfNeeded: ordinal))
    } else {
      wideOrdinals[ordinals.count] = ordinal
      ordinals.append(255)
    }
  }

  @inlinable
  func ordinal(of index: Int) -> Int {
    let narrow = ordinals[index]
    return narrow == 255 ? wideOrdinals[index]! : Int(narrow)
  }

  /// Reserves `n` entries, to be written with ``set(_:parent:ordinal:)`` (from several threads,
  /// each its own indices); returns the first index.
  @inlinable
  func extend(by n: Int) -> Int {
    precondition(parents.count + n < Int(ParentLog.root), "more than 4 billion states")
    _ = ordinals.extend(by: n)
    return parents.extend(by: n)
  }

  /// Writes a reserved entry; returns false if the ordinal is too large for a byte, in which
  /// case the caller records it with ``setWideOrdinal(_:at:)`` afterwards, on one thread.
  @inlinable @inline(__always)
  func set(_ index: Int, parent: Int, ordinal: Int) -> Bool {
    parents.initialize(at: index, to: UInt32(truncatingIfNeeded: parent))
    let fits = ordinal < 255
    ordinals.initialize(at: index, to: fits ? UInt8(truncatingIfNeeded: ordinal) : 255)
    return fits
  }

  /// Records an ordinal of 255 or more.
  @inlinable
  mutating func setWideOrdinal(_ ordinal: Int, at index: Int) { wideOrdinals[index] = ordinal }

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

  /// The bytes this log holds.
  @inlinable var bytes: Int { parents.bytes + ordinals.bytes + wideOrdinals.count * 32 }
}
