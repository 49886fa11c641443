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
  /// invariants when it lies outside the constraint); those inside the constraint go to
  /// `scratch`'s buckets, one per visited-set shard, for deduplication.
  @inlinable @inline(__always)
  func expand(_ state: S.State, index: Int, into scratch: WorkerScratch<S>) {
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
      let fingerprint = spec.fingerprint(of: successor)
      scratch.buckets[ShardedVisitedSet<FingerprintShard<S.State>>.shard(of: fingerprint)].append(
        Candidate(
          fingerprint: fingerprint, parent: UInt32(truncatingIfNeeded: index), ordinal: Int32(truncatingIfNeeded: ordinal),
          kind: Int32(truncatingIfNeeded: kind), state: successor))
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

/// A successor waiting for deduplication: its fingerprint, where it came from, and the state.
@usableFromInline
struct Candidate<State> {
  @usableFromInline var fingerprint: UInt64
  @usableFromInline var parent: UInt32
  @usableFromInline var ordinal: Int32
  @usableFromInline var kind: Int32
  @usableFromInline var state: State

  @inlinable
  init(fingerprint: UInt64, parent: UInt32, ordinal: Int32, kind: Int32, state: State) {
    self.fingerprint = fingerprint
    self.parent = parent
    self.ordinal = ordinal
    self.kind = kind
    self.state = state
  }
}

/// What one worker produces while expanding its part of a batch.
@usableFromInline
final class WorkerScratch<S: Specification>: @unchecked Sendable {
  /// Candidates per visited-set shard, in the order generated.
  @usableFromInline var buckets: [ContiguousArray<Candidate<S.State>>]
  @usableFromInline var generated = 0
  @usableFromInline var coverage: CoverageCounter<S>
  @usableFromInline var violations: [KeyedViolation] = []

  @inlinable
  init(spec: S, shards: Int) {
    buckets = Array(repeating: [], count: shards)
    coverage = CoverageCounter(spec: spec)
  }

  @inlinable
  func clearBuckets() {
    for shard in buckets.indices { buckets[shard].removeAll(keepingCapacity: true) }
  }

  @inlinable
  var bytes: Int { buckets.reduce(0) { $0 + $1.capacity * MemoryLayout<Candidate<S.State>>.stride } }
}

/// What deduplication produces for one shard in a batch: the new states in order.
@usableFromInline
final class ShardOutput<S: Specification>: @unchecked Sendable {
  @usableFromInline var fresh = ContiguousArray<Candidate<S.State>>()
  @usableFromInline var freshWorker = ContiguousArray<UInt16>()
  /// Violations of new states; their location's index is the position in `fresh`, made global
  /// once the batch's new states are numbered.
  @usableFromInline var violations: [KeyedViolation] = []

  @inlinable init() {}

  @inlinable
  func clear() {
    fresh.removeAll(keepingCapacity: true)
    freshWorker.removeAll(keepingCapacity: true)
    violations.removeAll(keepingCapacity: true)
  }
}
