import CInterleaveSupport

/// One shard of the visited set. The model checker splits states over a fixed number of shards
/// by fingerprint, so that each shard is touched by one worker at a time (shards are `Sendable`
/// without locks for that reason) and grows on its own.
public protocol VisitedShard<State>: AnyObject, Sendable {
  associatedtype State
  /// Creates an empty shard.
  init()
  /// Records a state; returns true if it was new. Only shards that store states call `state`.
  func insert(fingerprint: UInt64, state: () -> State) -> Bool
  /// Whether a state is stored. Only shards that store states call `state`.
  func contains(fingerprint: UInt64, state: () -> State) -> Bool
  /// A hint that `fingerprint` will be inserted soon (loads its bucket into the cache).
  func prefetch(fingerprint: UInt64)
  /// The number of states stored.
  var count: Int { get }
  /// The bytes the shard holds.
  var bytes: Int { get }
  /// Whether `insert` and `contains` call their `state` closure: the shard stores states, and
  /// equal fingerprints do not make equal states.
  static var needsStates: Bool { get }
}

extension VisitedShard {
  /// False: a shard stores fingerprints unless it says otherwise.
  public static var needsStates: Bool { false }
}

/// A shard that stores 64-bit fingerprints: bucketized linear probing, eight fingerprints per
/// 64-byte bucket (one cache line), filled at most 92% before it grows by a quarter.
///
/// Buckets fill from their first slot and nothing is ever removed, so a lookup stops at the first
/// empty slot. A small growth step keeps the load between 73% and 92% (8.7 to 10.9 bytes per
/// fingerprint), and a shard holds 1/256 of the states, so growing one never stalls the search.
public final class FingerprintShard<State>: VisitedShard, @unchecked Sendable {
  @usableFromInline static var slotsPerBucket: Int { 8 }
  @usableFromInline @exclusivity(unchecked) var slots: UnsafeMutablePointer<UInt64>
  @usableFromInline @exclusivity(unchecked) var bucketCount: Int
  @usableFromInline @exclusivity(unchecked) var growthLimit: Int
  @usableFromInline @exclusivity(unchecked) var storedCount = 0
  public var count: Int { storedCount }

  public init() {
    bucketCount = 16
    slots = FingerprintShard.allocateZeroed(buckets: bucketCount)
    growthLimit = bucketCount * FingerprintShard.slotsPerBucket * 23 / 25
  }

  deinit { FingerprintShard.free(slots, buckets: bucketCount) }

  static func allocateZeroed(buckets: Int) -> UnsafeMutablePointer<UInt64> {
    let bytes = buckets * slotsPerBucket * MemoryLayout<UInt64>.stride
    guard let raw = interleave_table_allocate(UInt(bytes)) else { fatalError("out of memory allocating a \(bytes)-byte table") }
    return raw.bindMemory(to: UInt64.self, capacity: buckets * slotsPerBucket)
  }

  static func free(_ slots: UnsafeMutablePointer<UInt64>, buckets: Int) {
    interleave_table_free(slots, UInt(buckets * slotsPerBucket * MemoryLayout<UInt64>.stride))
  }

  public var bytes: Int { bucketCount * FingerprintShard.slotsPerBucket * MemoryLayout<UInt64>.stride }

  /// The first bucket to probe: the fingerprint's bits below the shard bits, scaled to the
  /// bucket count (Lemire's multiply-shift range reduction, no division).
  @inlinable @inline(__always)
  func homeBucket(_ fp: UInt64, buckets: Int) -> Int {
    Int(truncatingIfNeeded: (fp &<< 8).multipliedFullWidth(by: UInt64(buckets)).high)
  }

  /// Starts loading the bucket where `fingerprint` would be probed first.
  @inlinable @inline(__always)
  public func prefetch(fingerprint: UInt64) {
    interleave_prefetch(slots + homeBucket(fingerprint, buckets: bucketCount) &* 8)
  }

  /// The slot holding `fp`, or the empty slot where it would go.
  @inlinable @inline(__always)
  func probe(_ fp: UInt64) -> (slot: UnsafeMutablePointer<UInt64>, found: Bool) {
    var bucket = homeBucket(fp, buckets: bucketCount)
    while true {
      let base = slots + bucket &* 8
      for i in 0..<8 {
        let slot = base[i]
        if slot == fp { return (base + i, true) }
        if slot == 0 { return (base + i, false) }
      }
      bucket &+= 1
      if bucket == bucketCount { bucket = 0 }
    }
  }

  @inlinable @inline(__always)
  public func insert(fingerprint: UInt64, state: () -> State) -> Bool {
    let fp = fingerprint == 0 ? 1 : fingerprint
    let (slot, found) = probe(fp)
    if found { return false }
    slot.pointee = fp
    storedCount &+= 1
    if storedCount > growthLimit { grow() }
    return true
  }

  @inlinable
  public func contains(fingerprint: UInt64, state: () -> State) -> Bool {
    probe(fingerprint == 0 ? 1 : fingerprint).found
  }

  @usableFromInline
  func grow() {
    let oldSlots = slots
    let oldBuckets = bucketCount
    let oldCapacity = bucketCount * 8
    let newBuckets = max(bucketCount + 1, bucketCount + bucketCount / 4)
    slots = FingerprintShard.allocateZeroed(buckets: newBuckets)
    bucketCount = newBuckets
    growthLimit = newBuckets * 8 * 23 / 25
    for i in 0..<oldCapacity {
      let fp = oldSlots[i]
      if fp == 0 { continue }
      var bucket = homeBucket(fp, buckets: newBuckets)
      placing: while true {
        let base = slots + bucket * 8
        for j in 0..<8 where base[j] == 0 {
          base[j] = fp
          break placing
        }
        bucket += 1
        if bucket == newBuckets { bucket = 0 }
      }
    }
    FingerprintShard.free(oldSlots, buckets: oldBuckets)
  }
}

/// A shard that stores full states (`--exact`).
public final class ExactShard<State: Hashable>: VisitedShard, @unchecked Sendable {
  @usableFromInline @exclusivity(unchecked) var states: Set<State> = []
  public init() {}
  public static var needsStates: Bool { true }
  @inlinable public func insert(fingerprint: UInt64, state: () -> State) -> Bool { states.insert(state()).inserted }
  @inlinable public func contains(fingerprint: UInt64, state: () -> State) -> Bool { states.contains(state()) }
  @inlinable public func prefetch(fingerprint: UInt64) {}
  public var count: Int { states.count }
  public var bytes: Int { states.capacity * (MemoryLayout<State>.stride + 1) }
}

/// The visited set as a fixed number of shards chosen by the fingerprint's top bits.
public struct ShardedVisitedSet<Shard: VisitedShard>: VisitedSet {
  public typealias State = Shard.State
  /// The number of shards (a power of two).
  public static var shardCount: Int { 256 }
  /// The shards.
  public let shards: [Shard]

  /// Creates an empty set.
  public init() { shards = (0..<Self.shardCount).map { _ in Shard() } }

  /// The shard of a fingerprint.
  @inlinable @inline(__always)
  public static func shard(of fingerprint: UInt64) -> Int { Int(truncatingIfNeeded: fingerprint &>> 56) }

  /// The bits every fingerprint in `shard` has: ``shard(of:)`` inverted.
  @inlinable @inline(__always)
  public static func shardBits(_ shard: Int) -> UInt64 { UInt64(truncatingIfNeeded: shard) &<< 56 }

  @inlinable
  public mutating func insert(fingerprint: UInt64, state: State) -> Bool {
    shards[Self.shard(of: fingerprint)].insert(fingerprint: fingerprint, state: { state })
  }

  @inlinable
  public func contains(fingerprint: UInt64, state: State) -> Bool {
    shards[Self.shard(of: fingerprint)].contains(fingerprint: fingerprint, state: { state })
  }

  public var count: Int { shards.reduce(0) { $0 + $1.count } }
  public var bytes: Int { shards.reduce(0) { $0 + $1.bytes } }
}
