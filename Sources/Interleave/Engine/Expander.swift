/// Generates and checks the successors of states, without touching the visited set: the part of
/// a search step that workers run in parallel. Violations go to a list, keyed by where they were
/// found, so that a parallel search can pick the same first violation as a sequential one.
@usableFromInline
struct Expander<S: Specification>: Sendable {
  @usableFromInline let spec: S
  @usableFromInline let invariants: [Invariant<S.State>]
  @usableFromInline let checkDeadlock: Bool

  @inlinable
  init(spec: S, invariants: [Invariant<S.State>], checkDeadlock: Bool) {
    self.spec = spec
    self.invariants = invariants
    self.checkDeadlock = checkDeadlock
  }

  /// Appends every invariant and trace property that `state` breaks.
  @inlinable @inline(__always)
  func collectFailures(of state: S.State, at location: TraceLocation, key: ViolationKey, into list: inout [KeyedViolation]) {
    for invariant in invariants where !invariant.holds(state) {
      list.append(KeyedViolation(key: key, violation: FoundViolation(kind: .invariant, name: invariant.name, location: location)))
    }
    if let violation = spec.propertyViolation(in: state) {
      list.append(
        KeyedViolation(
          key: key,
          violation: FoundViolation(kind: .property, name: violation.property, message: violation.message, location: location)))
    }
  }

  /// Expands stored state `index`: every successor is counted and checked (post-conditions, and
  /// invariants when it lies outside the constraint); those inside the constraint go to `emit`
  /// with their candidate (fingerprint, parent and action position) and coverage kind. Counts
  /// and violations go to `scratch`.
  @inlinable @inline(__always)
  func expand(
    _ state: S.State, index: Int, into scratch: WorkerScratch<S>,
    emit: (_ candidate: Candidate, _ successor: S.State, _ kind: Int) -> Void
  ) {
    var ordinal = 0
    spec.forEachEnabledAction(in: state) { action in
      defer { ordinal &+= 1 }
      var successor = state
      let response = spec.apply(action, to: &successor)
      scratch.generated &+= 1
      let kind = scratch.coverage.kind(of: action, in: spec)
      scratch.coverage.generated[kind] &+= 1
      let key = ViolationKey(parent: index, ordinal: ordinal)
      if let broken = spec.brokenPostcondition(from: state, by: action, response: response, to: successor) {
        scratch.violations.append(
          KeyedViolation(
            key: key,
            violation: FoundViolation(
              kind: .postcondition, name: broken.description, location: .successor(parent: index, ordinal: ordinal))))
      }
      guard spec.isWithinConstraint(successor) else {
        collectFailures(of: successor, at: .successor(parent: index, ordinal: ordinal), key: key, into: &scratch.violations)
        return
      }
      let candidate = Candidate(
        fingerprint: spec.fingerprint(of: successor), parent: UInt32(truncatingIfNeeded: index),
        ordinal: UInt32(truncatingIfNeeded: ordinal))
      emit(candidate, successor, kind)
    }
    if ordinal == 0 {
      let key = ViolationKey(parent: index, ordinal: 0)
      if let open = spec.unmetObligation(in: state) {
        scratch.violations.append(
          KeyedViolation(
            key: key,
            violation: FoundViolation(kind: .property, name: open.property, message: open.message, location: .stored(index: index))))
      } else if checkDeadlock && !spec.isTerminal(state) {
        scratch.violations.append(
          KeyedViolation(key: key, violation: FoundViolation(kind: .deadlock, name: "deadlock", location: .stored(index: index))))
      }
    }
  }
}

extension Expander {
  /// Rebuilds the successor of `state` by its `ordinal`-th enabled action; nil if there is no
  /// such action now (the spec enumerates differently from one call to the next).
  @inlinable @inline(__always)
  func successor(of state: S.State, ordinal: Int) -> (action: S.Action, state: S.State)? {
    var position = 0
    var chosen: S.Action?
    spec.forEachEnabledAction(in: state) { action in
      if position == ordinal { chosen = action }
      position &+= 1
    }
    guard let action = chosen else { return nil }
    var next = state
    _ = spec.apply(action, to: &next)
    return (action, next)
  }
}

/// Where a violation was found in breadth-first order: the parent's index and the action's
/// position. The smallest key is the violation a sequential BFS would meet first.
@usableFromInline
struct ViolationKey: Comparable, Sendable {
  @usableFromInline var parent: Int
  @usableFromInline var ordinal: Int

  @inlinable
  init(parent: Int, ordinal: Int) {
    self.parent = parent
    self.ordinal = ordinal
  }

  @inlinable
  static func < (lhs: ViolationKey, rhs: ViolationKey) -> Bool {
    (lhs.parent, lhs.ordinal) < (rhs.parent, rhs.ordinal)
  }
}

/// A violation with its breadth-first position.
@usableFromInline
struct KeyedViolation: Sendable {
  @usableFromInline var key: ViolationKey
  @usableFromInline var violation: FoundViolation

  @inlinable
  init(key: ViolationKey, violation: FoundViolation) {
    self.key = key
    self.violation = violation
  }
}

/// A successor waiting for deduplication, in 16 bytes: its fingerprint, and where it came from
/// (the parent's index and the action's position), enough to rebuild it if it is new.
@usableFromInline
struct Candidate {
  @usableFromInline var fingerprint: UInt64
  @usableFromInline var parent: UInt32
  @usableFromInline var ordinal: UInt32

  @inlinable
  init(fingerprint: UInt64, parent: UInt32, ordinal: UInt32) {
    self.fingerprint = fingerprint
    self.parent = parent
    self.ordinal = ordinal
  }
}

/// Where a new state came from, in 8 bytes: its parent's index and the action's position.
@usableFromInline
struct Origin {
  @usableFromInline var parent: UInt32
  @usableFromInline var ordinal: UInt32

  @inlinable
  init(parent: UInt32, ordinal: UInt32) {
    self.parent = parent
    self.ordinal = ordinal
  }
}

extension Expander {
  /// Expands a state for breadth-first search: candidates go to `scratch`'s bucket for their
  /// visited-set shard, as a fingerprint and the way to rebuild them, not as states: most are
  /// duplicates.
  @inlinable @inline(__always)
  func expand(_ state: S.State, index: Int, into scratch: WorkerScratch<S>) {
    expand(state, index: index, into: scratch) { candidate, _, _ in
      scratch.buckets.buffers[ShardedVisitedSet<FingerprintShard<S.State>>.shard(of: candidate.fingerprint)].append(candidate)
    }
  }
}

/// What one worker produces while expanding its part of a batch.
@usableFromInline
final class WorkerScratch<S: Specification>: @unchecked Sendable {
  /// Candidates per visited-set shard, in the order generated.
  @usableFromInline let buckets: BufferArray<Candidate>
  @usableFromInline @exclusivity(unchecked) var generated = 0
  @usableFromInline @exclusivity(unchecked) var coverage: CoverageCounter<S>
  @usableFromInline @exclusivity(unchecked) var violations: [KeyedViolation] = []

  @inlinable
  init(spec: S, shards: Int) {
    buckets = BufferArray(count: shards)
    coverage = CoverageCounter(spec: spec)
  }

  @inlinable
  func clearBuckets() {
    for shard in 0..<buckets.count { buckets.buffers[shard].removeAll() }
  }

  @inlinable
  var bytes: Int { (0..<buckets.count).reduce(0) { $0 + buckets.buffers[$1].bytes } }

  /// The candidates waiting in all buckets.
  @inlinable
  var candidateCount: Int { (0..<buckets.count).reduce(0) { $0 + buckets.buffers[$1].count } }
}

/// What deduplication produces for one shard in a batch: the new states in order, with their
/// parents and action positions.
@usableFromInline
final class ShardOutput<S: Specification>: @unchecked Sendable {
  @usableFromInline @exclusivity(unchecked) var fresh = GrowableBuffer<S.State>()
  @usableFromInline @exclusivity(unchecked) var freshOrigin = GrowableBuffer<Origin>()
  /// Violations of new states; their location's index is the position in `fresh`, made global
  /// once the batch's new states are numbered.
  @usableFromInline @exclusivity(unchecked) var violations: [KeyedViolation] = []
  /// Parent-log indices whose action position did not fit in a byte.
  @usableFromInline @exclusivity(unchecked) var wideOrdinals: [Int] = []
  /// Set when a rebuilt state does not match its candidate: the spec is not deterministic.
  @usableFromInline @exclusivity(unchecked) var inconsistency: String?

  @inlinable init() {}

  deinit {
    fresh.release()
    freshOrigin.release()
  }

  @inlinable
  func clear() {
    fresh.removeAll()
    freshOrigin.removeAll()
    wideOrdinals.removeAll(keepingCapacity: true)
    violations.removeAll(keepingCapacity: true)
  }
}
