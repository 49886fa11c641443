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
}

/// The states of one BFS level, stored in fixed-size chunks: appending never copies, and the
/// memory is what the level holds (to within one chunk), not up to twice that.
@usableFromInline
final class LevelStorage<State>: @unchecked Sendable {
  @usableFromInline static var chunkShift: Int { 15 }
  @usableFromInline static var chunkSize: Int { 1 << chunkShift }
  @usableFromInline @exclusivity(unchecked) var chunks: [UnsafeMutablePointer<State>] = []
  @usableFromInline @exclusivity(unchecked) var count = 0

  @inlinable init() {}

  deinit {
    var remaining = count
    for chunk in chunks {
      let used = min(remaining, Self.chunkSize)
      chunk.deinitialize(count: used)
      chunk.deallocate()
      remaining -= used
    }
  }

  @inlinable @inline(__always)
  func append(_ state: State) {
    let offset = count & (Self.chunkSize - 1)
    if offset == 0 { chunks.append(.allocate(capacity: Self.chunkSize)) }
    (chunks[chunks.count - 1] + offset).initialize(to: state)
    count &+= 1
  }

  @inlinable
  subscript(index: Int) -> State {
    @inline(__always) get {
      chunks.withUnsafeBufferPointer { $0[index &>> 15][index & (1 << 15 &- 1)] }
    }
  }

  @inlinable var isEmpty: Bool { count == 0 }
  @inlinable var bytes: Int { chunks.count * Self.chunkSize * MemoryLayout<State>.stride }
}
