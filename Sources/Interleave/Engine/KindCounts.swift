/// Counts per coverage kind, in memory of their own, for the counts a search makes for every
/// successor or new state.
///
/// Incrementing an element of an array that a class holds checks the array's uniqueness first,
/// a call into the runtime: on TwoPhase rm=7, counting generated successors in
/// ``CoverageCounter/generated`` cost 6% of the instructions. A worker counts here instead, and
/// ``add(to:)`` hands the counts over when the search merges the workers' coverage. Grows when a
/// kind found as actions come lies past its end.
///
/// A class, one per worker and use: a noncopyable struct held by the worker's scratch crashed
/// the Swift 6.3 optimizer (it inlined the struct's `deinit` into the scratch's setter).
@usableFromInline
final class KindCounts {
  @usableFromInline @exclusivity(unchecked) var counts: UnsafeMutablePointer<Int>
  @usableFromInline @exclusivity(unchecked) var capacity: Int

  /// Zero counts for `capacity` kinds (at least one).
  @inlinable
  init(capacity: Int) {
    self.capacity = max(1, capacity)
    counts = .allocate(capacity: self.capacity)
    counts.initialize(repeating: 0, count: self.capacity)
  }

  deinit { counts.deallocate() }

  /// Counts one more of kind `kind`.
  @inlinable @inline(__always)
  func increment(_ kind: Int) { add(1, toKind: kind) }

  /// Counts `amount` more of kind `kind`.
  @inlinable @inline(__always)
  func add(_ amount: Int, toKind kind: Int) {
    if kind >= capacity { grow(toHold: kind) }
    counts[kind] &+= amount
  }

  @inlinable @inline(never)
  func grow(toHold kind: Int) {
    let grownCapacity = max(kind + 1, 2 * capacity)
    let grown = UnsafeMutablePointer<Int>.allocate(capacity: grownCapacity)
    grown.moveInitialize(from: counts, count: capacity)
    (grown + capacity).initialize(repeating: 0, count: grownCapacity - capacity)
    counts.deallocate()
    counts = grown
    capacity = grownCapacity
  }

  /// Adds each kind's count to `totals`, at the same index (kinds only count where `totals`
  /// has a place for them: a counter's kinds are never fewer than those it counted).
  @inlinable
  func add(to totals: inout [Int]) {
    for kind in totals.indices where kind < capacity { totals[kind] += counts[kind] }
  }
}
