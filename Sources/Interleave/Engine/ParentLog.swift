/// For each stored state, in the order stored: its parent and which of the parent's enabled
/// actions led to it. Enough to rebuild any counterexample by replaying actions.
///
/// Three bytes per state. The log is cut into segments of consecutive entries whose parents lie
/// in a window of at most 2^20 states (a breadth-first batch: its new states' parents are the
/// batch's states); an entry holds its parent's offset in the window and, in the bits left, the
/// action position. Positions that do not fit, and the roots (initial states), are marked with
/// an all-ones position and kept in side tables.
@usableFromInline
struct ParentLog: @unchecked Sendable {
  /// The widest parent window a segment may have, in bits.
  @usableFromInline static var largestWindowBits: Int { 20 }
  /// The window of segments started by ``append(parent:ordinal:)`` (depth-first search).
  @usableFromInline static var appendWindowBits: Int { 16 }

  @usableFromInline let entries = ChunkedStorage<Entry>()
  /// Per segment, in order: its first entry's index, its window's first parent, and the number
  /// of bits of its parent offsets.
  @usableFromInline var segmentStarts: [Int] = []
  @usableFromInline var segmentBases: [Int] = []
  @usableFromInline var segmentWindowBits: [Int] = []
  /// Action positions too large for their entry.
  @usableFromInline var wideOrdinals: [Int: Int] = [:]
  /// The roots: their position in `initialStates`.
  @usableFromInline var roots: [Int: Int] = [:]

  @inlinable init() {}

  @inlinable var count: Int { entries.count }

  /// Appends an entry; `parent` must be stored already (nil for an initial state).
  @inlinable
  mutating func append(parent: Int?, ordinal: Int) {
    precondition(entries.count < Int(UInt32.max), "more than 4 billion states")
    guard let parent else {
      roots[entries.count] = ordinal
      if segmentStarts.isEmpty { startSegment(at: 0, base: 0, windowBits: Self.appendWindowBits) }
      entries.append(Entry(0))
      return
    }
    let windowBits = segmentWindowBits.last ?? Self.appendWindowBits
    var base = segmentBases.last ?? 0
    if segmentStarts.isEmpty || parent < base || parent - base >= 1 << windowBits {
      // A window centred on the parent: depth-first parents move both ways.
      base = max(0, parent - (1 << (Self.appendWindowBits - 1)))
      startSegment(at: entries.count, base: base, windowBits: Self.appendWindowBits)
    }
    let index = entries.count
    entries.append(Entry(0))
    if !set(index, parent: parent, ordinal: ordinal) { wideOrdinals[index] = ordinal }
  }

  @inlinable
  mutating func startSegment(at index: Int, base: Int, windowBits: Int) {
    segmentStarts.append(index)
    segmentBases.append(base)
    segmentWindowBits.append(windowBits)
  }

  /// Reserves `n` entries whose parents all lie in `parents`, to be written with
  /// ``set(_:parent:ordinal:)`` (from several threads, each its own indices); returns the first
  /// index.
  @inlinable
  mutating func extend(by n: Int, parents: Range<Int>) -> Int {
    precondition(entries.count + n < Int(UInt32.max), "more than 4 billion states")
    let windowBits = max(1, Int.bitWidth - max(0, parents.count - 1).leadingZeroBitCount)
    precondition(windowBits <= Self.largestWindowBits, "a parent window wider than 2^20 states")
    let first = entries.extend(by: n)
    if n > 0 { startSegment(at: first, base: parents.lowerBound, windowBits: windowBits) }
    return first
  }

  /// Maps the chunks for `count` entries in all ahead of time (``ChunkedStorage/reserve(upTo:)``),
  /// on any one thread while no other touches the log.
  @inlinable
  func reserve(upTo count: Int) { entries.reserve(upTo: count) }

  /// Writes an entry of the last segment; returns false if the action position is too large
  /// for it, in which case the caller records it with ``setWideOrdinal(_:at:)`` afterwards, on
  /// one thread.
  @inlinable @inline(__always)
  func set(_ index: Int, parent: Int, ordinal: Int) -> Bool {
    let windowBits = segmentWindowBits[segmentWindowBits.count - 1]
    let ordinalBits = Entry.bits - windowBits
    let escape = 1 << ordinalBits - 1
    let fits = ordinal < escape
    let offset = parent - segmentBases[segmentBases.count - 1]
    entries.initialize(at: index, to: Entry(UInt32(truncatingIfNeeded: offset << ordinalBits | (fits ? ordinal : escape))))
    return fits
  }

  /// Records an action position too large for its entry.
  @inlinable
  mutating func setWideOrdinal(_ ordinal: Int, at index: Int) { wideOrdinals[index] = ordinal }

  /// The parent of stored state `index` (nil for a root) and its action position (for a root,
  /// its position in `initialStates`).
  @inlinable
  func entry(_ index: Int) -> (parent: Int?, ordinal: Int) {
    if let position = roots[index] { return (nil, position) }
    // The last segment starting at or before `index`.
    var low = 0
    var high = segmentStarts.count
    while high - low > 1 {
      let middle = (low + high) / 2
      if segmentStarts[middle] <= index { low = middle } else { high = middle }
    }
    let ordinalBits = Entry.bits - segmentWindowBits[low]
    let value = Int(entries[index].value)
    let narrow = value & (1 << ordinalBits - 1)
    let ordinal = narrow == 1 << ordinalBits - 1 ? wideOrdinals[index]! : narrow
    return (segmentBases[low] + value >> ordinalBits, ordinal)
  }

  /// The chain from a root to `index`: the root's position in `initialStates`, then the
  /// action positions along the way.
  @inlinable
  func path(to index: Int) -> (initial: Int, actions: [Int]) {
    var actions: [Int] = []
    var current = entry(index)
    while let parent = current.parent {
      actions.append(current.ordinal)
      current = entry(parent)
    }
    return (current.ordinal, actions.reversed())
  }

  /// The bytes this log holds.
  @inlinable var bytes: Int {
    entries.bytes + segmentStarts.capacity * 3 * MemoryLayout<Int>.stride + (wideOrdinals.count + roots.count) * 32
  }

  /// One entry: 24 bits, the parent's offset in its segment's window above the action position.
  @usableFromInline
  struct Entry {
    @usableFromInline static var bits: Int { 24 }
    // Three bytes, not a UInt16 and a byte: those would be padded to four.
    @usableFromInline var byte0: UInt8
    @usableFromInline var byte1: UInt8
    @usableFromInline var byte2: UInt8

    @inlinable @inline(__always)
    init(_ value: UInt32) {
      byte0 = UInt8(truncatingIfNeeded: value)
      byte1 = UInt8(truncatingIfNeeded: value &>> 8)
      byte2 = UInt8(truncatingIfNeeded: value &>> 16)
    }

    @inlinable var value: UInt32 { UInt32(byte0) | UInt32(byte1) &<< 8 | UInt32(byte2) &<< 16 }
  }
}
