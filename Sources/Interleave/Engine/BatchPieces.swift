/// Which worker expanded each piece of a breadth-first batch, and where that piece's candidates
/// lie in the worker's buckets: the map that lets deduplication read a batch's candidates in
/// breadth-first order whichever worker expanded what.
///
/// Above four workers a batch is cut into more pieces than there are workers (four per worker;
/// one per worker up to four), and the workers take them as they come, so that one that starts
/// late, runs slower or loses its core for a while takes fewer, and the others wait less at the
/// end of the phase: with one piece per worker, the first to finish waited for up to a piece's
/// time. Candidates still go to one bucket per worker and shard, not per piece (more buckets to
/// fill and read back made the search slower): a worker takes pieces in increasing order, so its
/// buckets hold its pieces' candidates one piece after the other, each piece a *segment*.
/// Deduplication and numbering go through a shard's segments piece by piece
/// (``segment(_:shard:)``).
///
/// Each piece's entries are written by the one thread that expands it, and read after the
/// expansion phase ends.
@usableFromInline
final class BatchPieces: @unchecked Sendable {
  /// The visited set's shard count: one segment per piece and shard.
  @usableFromInline let shardCount: Int
  /// The most pieces a batch is cut into.
  @usableFromInline let capacity: Int
  /// The pieces of the current batch.
  @usableFromInline @exclusivity(unchecked) var count = 0
  /// Per piece: the worker whose scratch holds its candidates.
  @usableFromInline let owners: UnsafeMutablePointer<Int>
  /// Per piece: its owner's buckets (``WorkerScratch/buckets``), read without retaining the
  /// scratch.
  @usableFromInline let buckets: UnsafeMutablePointer<UnsafeMutablePointer<GrowableBuffer<Candidate>>?>
  /// Per piece: the index of its first state (candidates store their parent's offset from it).
  @usableFromInline let firstStates: UnsafeMutablePointer<Int>
  /// Per piece and shard (`piece * shardCount + shard`): where its segment starts in the
  /// owner's bucket for that shard, and where it ends.
  @usableFromInline let starts: UnsafeMutablePointer<UInt32>
  @usableFromInline let ends: UnsafeMutablePointer<UInt32>

  @inlinable
  init(capacity: Int, shardCount: Int) {
    self.capacity = capacity
    self.shardCount = shardCount
    owners = .allocate(capacity: capacity)
    owners.initialize(repeating: 0, count: capacity)
    buckets = .allocate(capacity: capacity)
    buckets.initialize(repeating: nil, count: capacity)
    firstStates = .allocate(capacity: capacity)
    firstStates.initialize(repeating: 0, count: capacity)
    starts = .allocate(capacity: capacity * shardCount)
    starts.initialize(repeating: 0, count: capacity * shardCount)
    ends = .allocate(capacity: capacity * shardCount)
    ends.initialize(repeating: 0, count: capacity * shardCount)
  }

  deinit {
    owners.deallocate()
    buckets.deallocate()
    firstStates.deallocate()
    starts.deallocate()
    ends.deallocate()
  }

  /// Records that `worker` expands `piece`, whose first state has index `firstState`, into
  /// `scratch`, which the worker has emptied for this batch; call it before the piece's first
  /// candidate.
  @inlinable
  func begin<S>(_ piece: Int, firstState: Int, worker: Int, scratch: WorkerScratch<S>) {
    owners[piece] = worker
    buckets[piece] = scratch.buckets.buffers
    firstStates[piece] = firstState
    scratch.pieceStart = firstState
    let row = starts + piece * shardCount
    for shard in 0..<shardCount { row[shard] = UInt32(truncatingIfNeeded: scratch.buckets.buffers[shard].count) }
  }

  /// Records where `piece`'s segments end in `scratch`; call it after its last candidate.
  @inlinable
  func end<S>(_ piece: Int, scratch: WorkerScratch<S>) {
    let row = ends + piece * shardCount
    for shard in 0..<shardCount { row[shard] = UInt32(truncatingIfNeeded: scratch.buckets.buffers[shard].count) }
  }

  /// The worker whose buckets hold `piece`'s candidates.
  @inlinable
  func owner(of piece: Int) -> Int { owners[piece] }

  /// The bucket for `shard` that holds `piece`'s candidates for it (``segment(_:shard:)``).
  @inlinable @inline(__always)
  func bucket(_ piece: Int, shard: Int) -> GrowableBuffer<Candidate> { buckets[piece].unsafelyUnwrapped[shard] }

  /// The index of `piece`'s first state.
  @inlinable
  func firstState(of piece: Int) -> Int { firstStates[piece] }

  /// The positions of `piece`'s candidates for `shard` in its owner's bucket for that shard.
  @inlinable @inline(__always)
  func segment(_ piece: Int, shard: Int) -> Range<Int> {
    let entry = piece * shardCount + shard
    return Int(starts[entry])..<Int(ends[entry])
  }

  /// The candidates of the current batch, in all pieces and shards.
  @inlinable
  var candidateCount: Int {
    var total = 0
    for entry in 0..<(count * shardCount) { total += Int(ends[entry] &- starts[entry]) }
    return total
  }

  /// The candidates of `shard` in the current batch.
  @inlinable
  func candidateCount(shard: Int) -> Int {
    (0..<count).reduce(0) { $0 + segment($1, shard: shard).count }
  }
}
