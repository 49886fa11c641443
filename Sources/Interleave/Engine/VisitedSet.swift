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

/// A visited set that stores only 64-bit fingerprints in an open-addressing table.
///
/// Linear probing over a power-of-two array of `UInt64`; the empty slot is 0, so the (rare)
/// fingerprint 0 is stored as 1. The table doubles when it is three quarters full.
public struct FingerprintTable<State>: VisitedSet {
  @usableFromInline var storage: FingerprintStorage

  /// Creates an empty table with room for about `expectedCount` fingerprints before it grows.
  @inlinable
  public init(expectedCount: Int = 768) {
    var capacity = 1 << 10
    while capacity * 3 / 4 < expectedCount { capacity <<= 1 }
    storage = FingerprintStorage(capacity: capacity)
  }

  @inlinable
  public mutating func insert(fingerprint: UInt64, state: State) -> Bool {
    storage.insert(fingerprint)
  }

  @inlinable
  public func contains(fingerprint: UInt64, state: State) -> Bool {
    storage.contains(fingerprint)
  }

  @inlinable public var count: Int { storage.count }
  @inlinable public var bytes: Int { storage.capacity * MemoryLayout<UInt64>.stride }
}

/// The open-addressing array behind ``FingerprintTable``.
@usableFromInline
final class FingerprintStorage {
  @usableFromInline var slots: UnsafeMutablePointer<UInt64>
  @usableFromInline var capacity: Int
  @usableFromInline var shift: UInt64
  @usableFromInline var count = 0
  @usableFromInline var growthThreshold: Int

  @usableFromInline
  init(capacity: Int) {
    precondition(capacity.nonzeroBitCount == 1)
    self.capacity = capacity
    slots = .allocate(capacity: capacity)
    slots.initialize(repeating: 0, count: capacity)
    shift = UInt64(64 - capacity.trailingZeroBitCount)
    growthThreshold = capacity / 4 * 3
  }

  deinit { slots.deallocate() }

  /// Inserts `fingerprint`; returns true if it was new.
  @inlinable @inline(__always)
  func insert(_ fingerprint: UInt64) -> Bool {
    let fp = fingerprint == 0 ? 1 : fingerprint
    let mask = capacity &- 1
    var index = Int(truncatingIfNeeded: fp &>> shift)
    while true {
      let slot = slots[index]
      if slot == fp { return false }
      if slot == 0 {
        slots[index] = fp
        count &+= 1
        if count > growthThreshold { grow() }
        return true
      }
      index = (index &+ 1) & mask
    }
  }

  /// Whether `fingerprint` is in the table.
  @inlinable
  func contains(_ fingerprint: UInt64) -> Bool {
    let fp = fingerprint == 0 ? 1 : fingerprint
    let mask = capacity &- 1
    var index = Int(truncatingIfNeeded: fp &>> shift)
    while true {
      let slot = slots[index]
      if slot == fp { return true }
      if slot == 0 { return false }
      index = (index &+ 1) & mask
    }
  }

  @usableFromInline
  func grow() {
    let oldSlots = slots
    let oldCapacity = capacity
    capacity = oldCapacity << 1
    slots = .allocate(capacity: capacity)
    slots.initialize(repeating: 0, count: capacity)
    shift -= 1
    growthThreshold = capacity / 4 * 3
    let mask = capacity - 1
    for i in 0..<oldCapacity {
      let fp = oldSlots[i]
      if fp == 0 { continue }
      var index = Int(truncatingIfNeeded: fp &>> shift)
      while slots[index] != 0 { index = (index + 1) & mask }
      slots[index] = fp
    }
    oldSlots.deallocate()
  }
}

/// A visited set that stores full states (`--exact`): no fingerprint collisions are possible.
public struct ExactVisitedSet<State: Hashable>: VisitedSet {
  @usableFromInline var states: Set<State> = []

  /// Creates an empty set.
  @inlinable public init() {}

  @inlinable
  public mutating func insert(fingerprint: UInt64, state: State) -> Bool {
    states.insert(state).inserted
  }

  @inlinable
  public func contains(fingerprint: UInt64, state: State) -> Bool {
    states.contains(state)
  }

  @inlinable public var count: Int { states.count }
  @inlinable public var bytes: Int {
    states.capacity * (MemoryLayout<State>.stride + 1)
  }
}
