import CInterleaveSupport

/// A growable array without copy-on-write or exclusivity checks, for the search's hot loops:
/// each buffer belongs to one worker or one shard at a time. It does not own its memory in the
/// Swift sense: its owner calls ``release()`` once, and never copies it.
@usableFromInline
struct GrowableBuffer<Element> {
  @usableFromInline var base: UnsafeMutablePointer<Element>
  @usableFromInline var count = 0
  @usableFromInline var capacity: Int

  @inlinable
  init(capacity: Int = 16) {
    self.capacity = max(1, capacity)
    base = .allocate(capacity: self.capacity)
  }

  /// Frees the storage; the buffer must not be used afterwards.
  @inlinable
  func release() {
    base.deinitialize(count: count)
    base.deallocate()
  }

  @inlinable @inline(__always)
  mutating func append(_ element: Element) {
    if count == capacity { grow() }
    (base + count).initialize(to: element)
    count &+= 1
  }

  @usableFromInline
  mutating func grow() {
    let grown = capacity + max(capacity / 2, 16)
    let larger = UnsafeMutablePointer<Element>.allocate(capacity: grown)
    larger.moveInitialize(from: base, count: count)
    base.deallocate()
    base = larger
    capacity = grown
  }

  /// Removes every element and keeps the storage.
  @inlinable
  mutating func removeAll() {
    base.deinitialize(count: count)
    count = 0
  }

  /// Removes the last element and returns it; nil if there is none.
  @inlinable @inline(__always)
  mutating func popLast() -> Element? {
    guard count > 0 else { return nil }
    count &-= 1
    return (base + count).move()
  }

  /// Removes the elements from position `start` on and keeps the storage.
  @inlinable @inline(__always)
  mutating func removeSuffix(from start: Int) {
    (base + start).deinitialize(count: count &- start)
    count = start
  }

  /// The elements from position `start` on, to rearrange in place.
  @inlinable @inline(__always)
  func suffix(from start: Int) -> UnsafeMutableBufferPointer<Element> {
    UnsafeMutableBufferPointer(start: base + start, count: count &- start)
  }

  @inlinable
  subscript(index: Int) -> Element {
    @inline(__always) get { base[index] }
  }

  @inlinable var bytes: Int { capacity * MemoryLayout<Element>.stride }
}

/// A fixed number of growable buffers, one per shard.
@usableFromInline
final class BufferArray<Element> {
  @usableFromInline let buffers: UnsafeMutablePointer<GrowableBuffer<Element>>
  @usableFromInline let count: Int

  @inlinable
  init(count: Int) {
    self.count = count
    buffers = .allocate(capacity: count)
    for index in 0..<count { (buffers + index).initialize(to: GrowableBuffer()) }
  }

  deinit {
    for index in 0..<count { buffers[index].release() }
    buffers.deinitialize(count: count)
    buffers.deallocate()
  }

  /// Empties every buffer and keeps their storage.
  @inlinable
  func removeAll() {
    for index in 0..<count { buffers[index].removeAll() }
  }

  /// The bytes the buffers hold.
  @inlinable var bytes: Int { (0..<count).reduce(0) { $0 + buffers[$1].bytes } }
}

/// An append-only array in fixed-size chunks: appending never copies, memory is what it holds
/// (to within one chunk), and a range reserved with ``extend(by:)`` can be filled by several
/// threads at once, each writing its own indices. Used for BFS levels and the parent log.
@usableFromInline
final class ChunkedStorage<Element>: @unchecked Sendable {
  @usableFromInline static var chunkShift: Int { 15 }
  @usableFromInline static var chunkSize: Int { 1 << chunkShift }
  /// The chunks' addresses, in a buffer that is not reference-counted: the workers read them
  /// on every access, and retaining a shared array there costs an atomic operation on a cache
  /// line that all of them write.
  @usableFromInline @exclusivity(unchecked) var chunks = GrowableBuffer<UnsafeMutablePointer<Element>>()
  @usableFromInline @exclusivity(unchecked) var count = 0
  /// Where chunks come from and go back to, if they are recycled (BFS levels: the memory of a
  /// finished level is already mapped, so the next level does not fault its pages in again).
  @usableFromInline let pool: ChunkPool<Element>?

  @inlinable init(reusing pool: ChunkPool<Element>? = nil) { self.pool = pool }

  /// Chunks at the front already handed back by ``releaseChunks(before:)``.
  @usableFromInline @exclusivity(unchecked) var released = 0

  deinit {
    var remaining = count - released * Self.chunkSize
    for position in released..<chunks.count {
      let chunk = chunks[position]
      let used = min(remaining, Self.chunkSize)
      chunk.deinitialize(count: used)
      remaining -= used
      if let pool { pool.give(chunk) } else { Self.freeChunk(chunk) }
    }
    chunks.release()
  }

  /// Hands back (to the pool, or frees) the chunks whose elements all lie below `index`; those
  /// elements must not be read again.
  @inlinable
  func releaseChunks(before index: Int) {
    while released < chunks.count && (released + 1) * Self.chunkSize <= index {
      let chunk = chunks[released]
      chunk.deinitialize(count: Self.chunkSize)
      if let pool { pool.give(chunk) } else { Self.freeChunk(chunk) }
      released += 1
    }
  }

  /// A chunk from the pool, or a new one. A storage's first chunk gets its pages as they are
  /// written: it holds the whole state space of a small spec, which mapped at once cost a few
  /// milliseconds and megabytes per check (PaymentAPI's 2,904 states, 104 bytes each, in two
  /// 3.4 MB chunks).
  @usableFromInline
  func newChunk() -> UnsafeMutablePointer<Element> {
    pool?.take() ?? Self.allocateChunk(populated: chunks.count > 0)
  }

  /// A chunk of whole pages from the kernel, where it is that large (`interleave_block_allocate`),
  /// so that freeing it gives the memory back at once; `populated`: every page mapped at once,
  /// else as they are first written.
  @usableFromInline
  static func allocateChunk(populated: Bool) -> UnsafeMutablePointer<Element> {
    precondition(MemoryLayout<Element>.alignment <= 16, "chunk elements aligned to more than 16 bytes")
    let bytes = UInt(chunkBytes)
    guard let raw = populated ? interleave_block_allocate(bytes) : interleave_block_allocate_lazily(bytes) else {
      fatalError("out of memory allocating a \(chunkBytes)-byte chunk")
    }
    return raw.bindMemory(to: Element.self, capacity: chunkSize)
  }

  /// Frees a chunk from ``allocateChunk(populated:)``; its elements must be deinitialized.
  @usableFromInline
  static func freeChunk(_ chunk: UnsafeMutablePointer<Element>) {
    interleave_block_free(UnsafeMutableRawPointer(chunk), UInt(chunkBytes))
  }

  @usableFromInline static var chunkBytes: Int { chunkSize * MemoryLayout<Element>.stride }

  @inlinable @inline(__always)
  func append(_ element: Element) {
    let offset = count & (Self.chunkSize - 1)
    if offset == 0 { chunks.append(newChunk()) }
    (chunks[chunks.count - 1] + offset).initialize(to: element)
    count &+= 1
  }

  /// Reserves `n` more elements and returns the index of the first; every reserved index must
  /// then be written once with ``initialize(at:to:)`` before it is read or the storage is freed.
  @inlinable
  func extend(by n: Int) -> Int {
    let first = count
    count += n
    reserve(upTo: count)
    return first
  }

  /// Maps the chunks for `count` elements in all ahead of time (from the pool first), so that a
  /// later ``extend(by:)`` up to there maps nothing: a worker with nothing else to do can take
  /// the kernel's time off the thread that extends. Chunks past the elements are given back
  /// with the others when the storage goes.
  @inlinable
  func reserve(upTo count: Int) {
    while chunks.count * Self.chunkSize < count { chunks.append(newChunk()) }
  }

  /// Writes a reserved element.
  @inlinable @inline(__always)
  func initialize(at index: Int, to element: Element) {
    (chunks.base[index &>> 15] + (index & (1 << 15 &- 1))).initialize(to: element)
  }

  @inlinable
  subscript(index: Int) -> Element {
    @inline(__always) get {
      chunks.base[index &>> 15][index & (1 << 15 &- 1)]
    }
  }

  /// Starts loading an element into the cache.
  @inlinable @inline(__always)
  func prefetch(_ index: Int) {
    interleave_prefetch(chunks.base[index &>> 15] + (index & (1 << 15 &- 1)))
  }

  @inlinable var isEmpty: Bool { count == 0 }
  @inlinable var bytes: Int { (chunks.count - released) * Self.chunkSize * MemoryLayout<Element>.stride }
}

/// Spare chunks of ``ChunkedStorage``, kept for reuse (touched by one thread at a time).
///
/// After ``trim()`` it keeps at most ``spareLimit`` chunks and frees the others: a breadth-first
/// level hands its chunks back as the next one fills, so a few spares cover the next level's
/// growth while the current one still holds its chunks, and the rest would only sit there when
/// levels shrink. Chunks given back are freed only by ``trim()``, so that the freeing can wait
/// for a thread that has time for it.
@usableFromInline
final class ChunkPool<Element>: @unchecked Sendable {
  /// The most spare chunks kept: two, enough for the new states of a batch of 65,536.
  @usableFromInline static var spareLimit: Int { 2 }
  @usableFromInline var spare: [UnsafeMutablePointer<Element>] = []

  @inlinable init() {}

  deinit { for chunk in spare { ChunkedStorage<Element>.freeChunk(chunk) } }

  @usableFromInline func take() -> UnsafeMutablePointer<Element>? { spare.popLast() }

  @usableFromInline func give(_ chunk: UnsafeMutablePointer<Element>) { spare.append(chunk) }

  /// Frees the spare chunks past ``spareLimit``.
  @usableFromInline func trim() {
    while spare.count > Self.spareLimit { ChunkedStorage<Element>.freeChunk(spare.removeLast()) }
  }
}
