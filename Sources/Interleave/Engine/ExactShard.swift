import CInterleaveSupport

/// A shard that stores full states (`--exact`): the states in the order they came, and an
/// open-addressing table that finds them by fingerprint.
///
/// A slot is one 64-bit word: 32 bits of the fingerprint (its tag) above the state's position
/// plus one (0 marks an empty slot). A lookup hashes nothing, since the search has the
/// fingerprint already, and compares full states only where the tags are equal. The fingerprint
/// is a hint, never the identity: two different states with the same fingerprint are both
/// stored, which is what makes the search exact. The table is at most 80% full and grows by a
/// quarter when it would be fuller, and so does the states' array (not the standard library's
/// doubling), so that little of either stands empty: all shards hold about as many states and
/// grow at about the same moment, so the slack of one is the slack of all.
public final class ExactShard<State: Hashable>: VisitedShard, @unchecked Sendable {
  /// The stored states, in the order they were inserted.
  @usableFromInline @exclusivity(unchecked) var states: ContiguousArray<State> = []
  @usableFromInline @exclusivity(unchecked) var slots: UnsafeMutablePointer<UInt64>
  @usableFromInline @exclusivity(unchecked) var slotCount: Int

  public init() {
    slotCount = 16
    slots = ExactShard.allocateEmpty(slotCount)
  }

  deinit { slots.deallocate() }

  public static var needsStates: Bool { true }
  public var count: Int { states.count }
  public var bytes: Int { slotCount * MemoryLayout<UInt64>.stride + states.capacity * MemoryLayout<State>.stride }

  /// The 32 fingerprint bits a slot keeps, mixed so that fingerprints that differ only in a
  /// few low bits (a spec's own `fingerprint(of:)`) still spread over the table.
  @inlinable @inline(__always)
  static func tag(_ fingerprint: UInt64) -> UInt64 { (fingerprint &* 0x9E37_79B9_7F4A_7C15) &>> 32 }

  /// The first slot to probe for `tag`, among `slotCount` (multiply-shift, no division).
  @inlinable @inline(__always)
  static func home(_ tag: UInt64, slotCount: Int) -> Int { Int(truncatingIfNeeded: (tag &* UInt64(slotCount)) &>> 32) }

  /// The slot that holds `state`, or the empty slot where it would go.
  @inlinable @inline(__always)
  func probe(_ state: State, tag: UInt64) -> (slot: Int, found: Bool) {
    var slot = ExactShard.home(tag, slotCount: slotCount)
    while true {
      let word = slots[slot]
      if word == 0 { return (slot, false) }
      if word &>> 32 == tag && states[Int(truncatingIfNeeded: word & 0xFFFF_FFFF) &- 1] == state { return (slot, true) }
      slot &+= 1
      if slot == slotCount { slot = 0 }
    }
  }

  @inlinable
  public func insert(fingerprint: UInt64, state: () -> State) -> Bool {
    let tag = ExactShard.tag(fingerprint)
    let candidate = state()
    let (slot, found) = probe(candidate, tag: tag)
    if found { return false }
    precondition(states.count < Int(UInt32.max), "more than 2^32 - 1 states in one shard of an exact visited set")
    if states.count == states.capacity { states.reserveCapacity(states.count + states.count / 4 + 16) }
    states.append(candidate)
    slots[slot] = tag &<< 32 | UInt64(states.count)
    if states.count > slotCount / 5 * 4 { grow() }
    return true
  }

  @inlinable
  public func contains(fingerprint: UInt64, state: () -> State) -> Bool {
    probe(state(), tag: ExactShard.tag(fingerprint)).found
  }

  /// Starts loading the slot where `fingerprint` would be probed first.
  @inlinable @inline(__always)
  public func prefetch(fingerprint: UInt64) {
    interleave_prefetch(slots + ExactShard.home(ExactShard.tag(fingerprint), slotCount: slotCount))
  }

  /// Grows the table by a quarter, placing each slot again from its tag.
  @usableFromInline
  func grow() {
    let oldSlots = slots
    let oldCount = slotCount
    slotCount = oldCount + oldCount / 4
    slots = ExactShard.allocateEmpty(slotCount)
    for old in 0..<oldCount {
      let word = oldSlots[old]
      if word == 0 { continue }
      var slot = ExactShard.home(word &>> 32, slotCount: slotCount)
      while slots[slot] != 0 {
        slot += 1
        if slot == slotCount { slot = 0 }
      }
      slots[slot] = word
    }
    oldSlots.deallocate()
  }

  static func allocateEmpty(_ count: Int) -> UnsafeMutablePointer<UInt64> {
    let table = UnsafeMutablePointer<UInt64>.allocate(capacity: count)
    table.initialize(repeating: 0, count: count)
    return table
  }
}
