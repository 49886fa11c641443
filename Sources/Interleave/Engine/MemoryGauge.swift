import CInterleaveSupport
import Dispatch

/// How much memory a search holds, for `--memory`: the larger of the search's own figure (visited
/// set, parent log, queued states, buckets) and what the process has allocated since the search
/// began (the heap's blocks in use, and the blocks the search mapped itself).
///
/// The search's own figure counts a state by its inline size only; the allocated bytes also
/// count what states hold on the heap (the arrays and sets of a ``SystemState`` or of a builder
/// spec's state), which can be ten times as much. They are the whole process's, so what other
/// threads of the process allocate during the search counts too. Where glibc's figures are not
/// available, the search's own figure is all there is.
///
/// glibc adds up its free lists to give the allocated bytes, which takes up to a millisecond on
/// a fragmented heap, so they are read at the first check and then at most every 50 ms; the own
/// figure is fresh at every check.
@usableFromInline
struct MemoryGauge: Sendable {
  /// The allocated bytes when the search began (0 where they cannot be read).
  @usableFromInline let allocatedAtStart: Int
  /// The growth of the allocated bytes at the last reading.
  @usableFromInline var allocatedSinceStart = 0
  /// When the allocated bytes may be read again (uptime nanoseconds).
  @usableFromInline var nextReading: UInt64 = 0
  @usableFromInline static var readingInterval: UInt64 { 50_000_000 }

  @inlinable
  init() { allocatedAtStart = Int(interleave_allocated_bytes()) }

  /// The bytes in use, given the search's own figure.
  @inlinable
  mutating func bytesInUse(own: Int) -> Int {
    let now = DispatchTime.now().uptimeNanoseconds
    if now >= nextReading {
      let allocated = Int(interleave_allocated_bytes())
      allocatedSinceStart = allocated == 0 ? 0 : allocated - allocatedAtStart
      nextReading = now &+ MemoryGauge.readingInterval
    }
    return max(own, allocatedSinceStart)
  }
}
