/// One shard of the visited set. The model checker splits states over a fixed number of shards
/// (each is used by one thread at a time, so shards are `Sendable` without locks)
/// by fingerprint, so that each shard is touched by one worker at a time and grows on its own.
public protocol VisitedShard<State>: AnyObject, Sendable {
  associatedtype State
  /// Creates an empty shard.
  init()
  /// Records a state; returns true if it was new.
  func insert(fingerprint: UInt64, state: State) -> Bool
  /// Whether a state is stored.
  func contains(fingerprint: UInt64, state: State) -> Bool
  /// The number of states stored.
  var count: Int { get }
  /// The bytes the shard holds.
  var bytes: Int { get }
}

/// A shard that stores 64-bit fingerprints: bucketized linear probing, eight fingerprints per
/// 64-byte bucket (one cache line), filled at most 90% before it grows by a quarter.
///
/// Buckets fill from their first slot and nothing is ever removed, so a lookup stops at the first
/// empty slot. A small growth step keeps the load between 72% and 90% (8.9 to 11.1 bytes per
/// fingerprint), and a shard holds 1/256 of the states, so growing one never stalls the search.
public final class FingerprintShard<State>: VisitedShard, @unchecked Sendable {
  @usableFromInline static var slotsPerBucket: Int { 8 }
  @usableFromInline var slots: UnsafeMutablePointer<UInt64>
  @usableFromInline var bucketCount: Int
  @usableFromInline var growthLimit: Int
  @usableFromInline var storedCount = 0
  public var count: Int { storedCount }

  public init() {
    bucketCount = 4
    slots = .allocate(capacity: bucketCount * FingerprintShard.slotsPerBucket)
    slots.initialize(repeating: 0, count: bucketCount * FingerprintShard.slotsPerBucket)
    growthLimit = bucketCount * FingerprintShard.slotsPerBucket * 9 / 10
  }

  deinit { slots.deallocate() }

  public var bytes: Int { bucketCount * FingerprintShard.slotsPerBucket * MemoryLayout<UInt64>.stride }

  /// The first bucket to probe: the fingerprint's bits below the shard bits, scaled to the
  /// bucket count (Lemire's multiply-shift range reduction, no division).
  @inlinable @inline(__always)
  func homeBucket(_ fp: UInt64, buckets: Int) -> Int {
    Int(truncatingIfNeeded: (fp &<< 8).multipliedFullWidth(by: UInt64(buckets)).high)
  }

  @inlinable @inline(__always)
  public func insert(fingerprint: UInt64, state: State) -> Bool {
    let fp = fingerprint == 0 ? 1 : fingerprint
    var bucket = homeBucket(fp, buckets: bucketCount)
    while true {
      let base = slots + bucket &* 8
      for i in 0..<8 {
        let slot = base[i]
        if slot == fp { return false }
        if slot == 0 {
          base[i] = fp
          storedCount &+= 1
          if storedCount > growthLimit { grow() }
          return true
        }
      }
      bucket &+= 1
      if bucket == bucketCount { bucket = 0 }
    }
  }

  @inlinable
  public func contains(fingerprint: UInt64, state: State) -> Bool {
    let fp = fingerprint == 0 ? 1 : fingerprint
    var bucket = homeBucket(fp, buckets: bucketCount)
    while true {
      let base = slots + bucket &* 8
      for i in 0..<8 {
        let slot = base[i]
        if slot == fp { return true }
        if slot == 0 { return false }
      }
      bucket &+= 1
      if bucket == bucketCount { bucket = 0 }
    }
  }

  @usableFromInline
  func grow() {
    let oldSlots = slots
    let oldCapacity = bucketCount * 8
    let newBuckets = max(bucketCount + 1, bucketCount + bucketCount / 4)
    slots = .allocate(capacity: newBuckets * 8)
    slots.initialize(repeating: 0, count: newBuckets * 8)
    bucketCount = newBuckets
    growthLimit = newBuckets * 8 * 9 / 10
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
    oldSlots.deallocate()
  }
}

/// A shard that stores full states (`--exact`).
public final class ExactShard<State: Hashable>: VisitedShard, @unchecked Sendable {
  @usableFromInline var states: Set<State> = []
  public init() {}
  @inlinable public func insert(fingerprint: UInt64, state: State) -> Bool { states.insert(state).inserted }
  @inlinable public func contains(fingerprint: UInt64, state: State) -> Bool { states.contains(state) }
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

  @inlinable
  public mutating func insert(fingerprint: UInt64, state: State) -> Bool {
    shards[Self.shard(of: fingerprint)].insert(fingerprint: fingerprint, state: state)
  }

  @inlinable
  public func contains(fingerprint: UInt64, state: State) -> Bool {
    shards[Self.shard(of: fingerprint)].contains(fingerprint: fingerprint, state: state)
  }

  public var count: Int { shards.reduce(0) { $0 + $1.count } }
  public var bytes: Int { shards.reduce(0) { $0 + $1.bytes } }
}
