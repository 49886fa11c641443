/// An append-only array stored in fixed-size chunks: it grows without copying and without the
/// slack of a doubling array, so its memory is what it holds (to within one chunk).
@usableFromInline
struct ChunkedArray<Element> {
  @usableFromInline static var chunkShift: Int { 16 }
  @usableFromInline static var chunkSize: Int { 1 << chunkShift }
  @usableFromInline var chunks: [ContiguousArray<Element>] = []
  @usableFromInline var count = 0

  @inlinable init() {}

  @inlinable
  mutating func append(_ element: Element) {
    if count & (Self.chunkSize - 1) == 0 {
      var chunk = ContiguousArray<Element>()
      chunk.reserveCapacity(Self.chunkSize)
      chunks.append(chunk)
    }
    chunks[chunks.count - 1].append(element)
    count += 1
  }

  @inlinable
  subscript(index: Int) -> Element {
    chunks[index >> Self.chunkShift][index & (Self.chunkSize - 1)]
  }

  @inlinable var bytes: Int { chunks.count * Self.chunkSize * MemoryLayout<Element>.stride }
}

/// For each stored state, in the order stored: its parent and which of the parent's enabled
/// actions led to it. Enough to rebuild any counterexample by replaying actions. Five bytes per
/// state: a 32-bit parent index and an 8-bit action position (rare larger positions live in a
/// side table).
@usableFromInline
struct ParentLog {
  /// The marker for states that have no parent (initial states).
  @usableFromInline static var root: UInt32 { UInt32.max }

  @usableFromInline var parents = ChunkedArray<UInt32>()
  /// The position of the action in the parent's enumeration, or of the state in
  /// `initialStates` for roots; 255 means "see `wideOrdinals`".
  @usableFromInline var ordinals = ChunkedArray<UInt8>()
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
