import CInterleaveSupport

/// How much memory a search holds, for `--memory`: the larger of the search's own figure (visited
/// set, parent log, queued states, buckets) and the growth of the process's resident memory since
/// the search began.
///
/// The search's own figure counts a state by its inline size only; the resident memory also
/// counts what states hold on the heap (the arrays and sets of a ``SystemState`` or of a builder
/// spec's state), which can be ten times as much. It is the whole process's, so memory that other
/// threads of the process take during the search counts too.
@usableFromInline
struct MemoryGauge: Sendable {
  /// The resident bytes when the search began (0 where they cannot be read).
  @usableFromInline let residentAtStart: Int

  @inlinable
  init() { residentAtStart = Int(interleave_resident_bytes()) }

  /// The bytes in use, given the search's own figure.
  @inlinable
  func bytesInUse(own: Int) -> Int {
    let resident = Int(interleave_resident_bytes())
    return resident == 0 ? own : max(own, resident - residentAtStart)
  }
}
