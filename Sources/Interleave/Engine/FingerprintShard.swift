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
  /// A hint, before a search, of how many threads will insert into this shard and its siblings
  /// at the same time.
  func prepare(forWorkers workers: Int)
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

  /// Nothing: a shard that works the same for any number of threads ignores the hint.
  public func prepare(forWorkers workers: Int) {}
}

/// A shard that stores fingerprints: bucketized linear probing, nine 56-bit keys per 64-byte
/// bucket (one cache line), filled at most 92% before it grows by a quarter.
///
/// A key is the fingerprint's 56 bits below the shard bits: ``ShardedVisitedSet`` sends every
/// fingerprint whose top 8 bits are the same to the same shard, so those bits need no room (a
/// shard used on its own treats fingerprints that differ only there as equal). Key 0 marks an
/// empty slot and is stored as 1. Slot `i` of a bucket is the bucket's bytes `7i ..< 7i + 7`,
/// read and written as the low 7 bytes of an unaligned 64-bit word; the bucket's last byte
/// belongs to no slot: it counts the keys placed in the bucket while a grown table is filled.
///
/// Buckets fill from their first slot and nothing is ever removed, so a lookup stops at the first
/// empty slot. A small growth step keeps the load between 73% and 92% (7.7 to 9.7 bytes per
/// fingerprint), and a shard holds 1/256 of the states, so growing one never stalls the search.
public final class FingerprintShard<State>: VisitedShard, @unchecked Sendable {
  @usableFromInline static var slotsPerBucket: Int { 9 }
  @usableFromInline static var bucketBytes: Int { 64 }
  @usableFromInline static var keyMask: UInt64 { 0x00FF_FFFF_FFFF_FFFF }
  @usableFromInline @exclusivity(unchecked) var buckets: UnsafeMutableRawPointer
  @usableFromInline @exclusivity(unchecked) var bucketCount: Int
  @usableFromInline @exclusivity(unchecked) var growthLimit: Int
  @usableFromInline @exclusivity(unchecked) var storedCount = 0
  /// Where the current table came from; it goes back there.
  @usableFromInline @exclusivity(unchecked) var tableMemory = TableMemory.ownPages
  /// Where the next table comes from (``prepare(forWorkers:)``).
  @usableFromInline @exclusivity(unchecked) var nextTableMemory = TableMemory.ownPages
  public var count: Int { storedCount }

  /// Where a table's memory comes from.
  @usableFromInline enum TableMemory {
    /// `interleave_block_allocate`: pages of its own once the table is large, given back to the
    /// kernel the moment the table grows, so that growth leaves no free blocks behind.
    case ownPages
    /// The heap (`interleave_heap_block_allocate`): faster when many threads grow tables at once.
    case heap
  }

  /// The most workers for which large tables get pages of their own. Measured on TwoPhase rm=9
  /// (16 cores): the same time both ways at 4 workers, about 6% less with heap tables at 8 and
  /// about 20% less at 16, where the 256 shards grow at about the same moment and each mmap
  /// waits for the others; heap tables cost 15-20% more peak memory there, and on one worker
  /// pages of their own keep the peak lower (rm=9: 136 MB against 146 MB).
  @usableFromInline static var ownPagesWorkerLimit: Int { 4 }

  public init() {
    bucketCount = 16
    buckets = FingerprintShard.allocateZeroed(buckets: bucketCount, from: .ownPages)
    growthLimit = FingerprintShard.growthLimit(buckets: bucketCount)
  }

  deinit { FingerprintShard.free(buckets, buckets: bucketCount, to: tableMemory) }

  /// With more than four workers, the tables that grow from now on come from the heap.
  ///
  /// The first such table sets glibc's mmap threshold to 32 MiB for the whole process
  /// (`interleave_heap_block_allocate`), so that the heap keeps large blocks in its arenas.
  public func prepare(forWorkers workers: Int) {
    nextTableMemory = workers > Self.ownPagesWorkerLimit ? .heap : .ownPages
  }

  static func growthLimit(buckets: Int) -> Int { buckets * slotsPerBucket * 23 / 25 }

  /// The bucket count a table of `buckets` grows to: a quarter more, and, where the table is
  /// large enough to get pages of its own (`interleave_block_allocate`), whole pages (rounded
  /// down, at least one page more), so the end of the last page holds buckets, not nothing.
  static func bucketCount(growingFrom buckets: Int) -> Int {
    let target = max(buckets + 1, buckets + buckets / 4)
    let page = Int(interleave_page_bytes())
    guard target * bucketBytes >= Int(interleave_paged_block_bytes()), page % bucketBytes == 0 else { return target }
    let perPage = page / bucketBytes
    return max(target / perPage * perPage, (buckets / perPage + 1) * perPage)
  }

  static func allocateZeroed(buckets: Int, from memory: TableMemory) -> UnsafeMutableRawPointer {
    let bytes = buckets * bucketBytes
    let raw =
      switch memory {
      case .ownPages: interleave_block_allocate(UInt(bytes))
      case .heap: interleave_heap_block_allocate(UInt(bytes))
      }
    guard let raw else { fatalError("out of memory allocating a \(bytes)-byte table") }
    return raw
  }

  static func free(_ buckets: UnsafeMutableRawPointer, buckets count: Int, to memory: TableMemory) {
    switch memory {
    case .ownPages: interleave_block_free(buckets, UInt(count * bucketBytes))
    case .heap: interleave_heap_block_free(buckets)
    }
  }

  public var bytes: Int { bucketCount * FingerprintShard.bucketBytes }

  /// The key stored for a fingerprint: its low 56 bits, 0 replaced by 1.
  @inlinable @inline(__always)
  static func key(_ fingerprint: UInt64) -> UInt64 {
    let key = fingerprint & keyMask
    return key == 0 ? 1 : key
  }

  /// The first bucket to probe: the fingerprint's bits below the shard bits, scaled to the
  /// bucket count (Lemire's multiply-shift range reduction, no division).
  @inlinable @inline(__always)
  func homeBucket(_ fp: UInt64, buckets: Int) -> Int {
    Int(truncatingIfNeeded: (fp &<< 8).multipliedFullWidth(by: UInt64(buckets)).high)
  }

  /// Starts loading the bucket where `fingerprint` would be probed first.
  @inlinable @inline(__always)
  public func prefetch(fingerprint: UInt64) {
    interleave_prefetch(buckets + homeBucket(fingerprint, buckets: bucketCount) &* FingerprintShard.bucketBytes)
  }

  /// Whether `key` is stored and, if it is not, the empty slot where it would go (the byte
  /// offset of its 7 bytes).
  @inlinable @inline(__always)
  func probe(_ key: UInt64, fingerprint: UInt64) -> (slot: UnsafeMutableRawPointer, found: Bool) {
    var bucket = homeBucket(fingerprint, buckets: bucketCount)
    while true {
      let base = buckets + bucket &* FingerprintShard.bucketBytes
      for i in 0..<FingerprintShard.slotsPerBucket {
        let slot = base.loadUnaligned(fromByteOffset: i &* 7, as: UInt64.self) & FingerprintShard.keyMask
        if slot == key { return (base, true) }
        if slot == 0 { return (base + i &* 7, false) }
      }
      bucket &+= 1
      if bucket == bucketCount { bucket = 0 }
    }
  }

  /// Writes `key` into the empty slot at `slot`, keeping the byte after it.
  @inlinable @inline(__always)
  static func write(_ key: UInt64, at slot: UnsafeMutableRawPointer) {
    let word = slot.loadUnaligned(as: UInt64.self)
    slot.storeBytes(of: word & ~keyMask | key, as: UInt64.self)
  }

  @inlinable @inline(__always)
  public func insert(fingerprint: UInt64, state: () -> State) -> Bool {
    let key = FingerprintShard.key(fingerprint)
    let (slot, found) = probe(key, fingerprint: fingerprint)
    if found { return false }
    FingerprintShard.write(key, at: slot)
    storedCount &+= 1
    if storedCount > growthLimit { grow() }
    return true
  }

  @inlinable
  public func contains(fingerprint: UInt64, state: () -> State) -> Bool {
    probe(FingerprintShard.key(fingerprint), fingerprint: fingerprint).found
  }

  @usableFromInline
  func grow() {
    let oldBuckets = buckets
    let oldCount = bucketCount
    let oldMemory = tableMemory
    let newCount = FingerprintShard.bucketCount(growingFrom: bucketCount)
    buckets = FingerprintShard.allocateZeroed(buckets: newCount, from: nextTableMemory)
    tableMemory = nextTableMemory
    bucketCount = newCount
    growthLimit = FingerprintShard.growthLimit(buckets: newCount)
    // The new table starts empty and fills from each bucket's first slot, so counting the keys
    // placed per bucket (in its last byte, which no slot uses) gives the next free slot without
    // reading the slots.
    let countByte = FingerprintShard.bucketBytes - 1
    for old in 0..<oldCount {
      let oldBase = oldBuckets + old * FingerprintShard.bucketBytes
      for i in 0..<FingerprintShard.slotsPerBucket {
        let key = oldBase.loadUnaligned(fromByteOffset: i * 7, as: UInt64.self) & FingerprintShard.keyMask
        if key == 0 { break }
        // The home bucket only looks at the bits below the shard bits, which the key keeps.
        var base = buckets + homeBucket(key, buckets: newCount) * FingerprintShard.bucketBytes
        var placed = Int(base.load(fromByteOffset: countByte, as: UInt8.self))
        while placed == FingerprintShard.slotsPerBucket {
          base += FingerprintShard.bucketBytes
          if base == buckets + newCount * FingerprintShard.bucketBytes { base = buckets }
          placed = Int(base.load(fromByteOffset: countByte, as: UInt8.self))
        }
        FingerprintShard.write(key, at: base + placed * 7)
        base.storeBytes(of: UInt8(truncatingIfNeeded: placed + 1), toByteOffset: countByte, as: UInt8.self)
      }
    }
    FingerprintShard.free(oldBuckets, buckets: oldCount, to: oldMemory)
  }
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

  /// Starts loading the bucket of `fingerprint`'s shard where it would be probed first.
  @inlinable
  public func prefetch(fingerprint: UInt64) {
    shards[Self.shard(of: fingerprint)].prefetch(fingerprint: fingerprint)
  }

  /// Tells every shard how many threads will insert at the same time.
  public func prepare(forWorkers workers: Int) {
    for shard in shards { shard.prepare(forWorkers: workers) }
  }

  public var count: Int { shards.reduce(0) { $0 + $1.count } }
  public var bytes: Int { shards.reduce(0) { $0 + $1.bytes } }
}
