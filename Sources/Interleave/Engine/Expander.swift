/// Generates and checks the successors of states, without touching the visited set: the part of
/// a search step that workers run in parallel. Violations go to a list, keyed by where they were
/// found, so that a parallel search can pick the same first violation as a sequential one.
@usableFromInline
struct Expander<S: Specification>: Sendable {
  @usableFromInline let spec: S
  /// The spec's invariants, asked for once.
  @usableFromInline let invariants: [Invariant<S.State>]
  @usableFromInline let checkDeadlock: Bool

  @inlinable
  init(spec: S, checkDeadlock: Bool) {
    self.spec = spec
    self.invariants = spec.invariants
    self.checkDeadlock = checkDeadlock
  }

  /// Appends every invariant and trace property that `state` breaks.
  @inlinable @inline(__always)
  func collectFailures(of state: S.State, at location: TraceLocation, key: ViolationKey, into list: inout [KeyedViolation]) {
    // By position: `for invariant in invariants` retained the array, and each invariant's name
    // and closure, for every new state (FilterLock processes=5: 3.4% more instructions).
    for position in invariants.indices where !invariants[position].holds(state) {
      list.append(
        KeyedViolation(key: key, violation: FoundViolation(kind: .invariant, name: invariants[position].name, location: location)))
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
  /// with their fingerprint, action position and coverage kind. Counts and violations go to
  /// `scratch`.
  ///
  /// `lending`: the successors are made one after the other in the spec's
  /// ``Specification/successorBuffer(of:)``, if it has one and the state is not plain data,
  /// kept in `scratch` from one state to the next
  /// (``Specification/refillSuccessorBuffer(_:from:)``), which costs one assignment of `state`
  /// instead of one copy per successor; where `emit` keeps most successors (depth-first search), each
  /// had better be a copy of its own from the start. A successor `emit` keeps shares the
  /// buffer's storage until the next action writes to it, which copies what it writes to, as
  /// applying that action to a copy of `state` would.
  @inlinable @inline(__always)
  func expand(
    _ state: S.State, index: Int, into scratch: WorkerScratch<S>, lending: Bool,
    emit: (_ fingerprint: UInt64, _ ordinal: Int, _ successor: S.State, _ kind: Int) -> Void
  ) {
    var ordinal = 0
    // Not for plain-data states, which copy as cheaply as a buffer refills: the branch is
    // compiled out for them (a run-time check left in changed what the optimizer inlined into
    // their expansion: TwoPhase 0.5% more instructions, 2% slower).
    if lending, !_isPOD(S.State.self), !scratch.hasNoSuccessorBuffer,
      let count = expandInBuffer(state, index: index, into: scratch, emit: emit)
    {
      ordinal = count
    } else {
      spec.forEachEnabledAction(in: state) { action in
        var successor = state
        let response = spec.apply(action, to: &successor)
        visit(successor, by: action, response: response, ordinal: ordinal, parent: state, index: index, into: scratch, emit: emit)
        ordinal &+= 1
      }
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

  /// Expands `state` in the spec's successor buffer, kept in `scratch` from one state to the
  /// next; nil if the spec has none. Returns the number of enabled actions.
  ///
  /// Not inlined: inlined, the buffer's handling changed what the optimizer inlined into the
  /// expansion of specs without a buffer (TwoPhase: 15% more instructions).
  @inlinable @inline(never)
  func expandInBuffer(
    _ state: S.State, index: Int, into scratch: WorkerScratch<S>,
    emit: (_ fingerprint: UInt64, _ ordinal: Int, _ successor: S.State, _ kind: Int) -> Void
  ) -> Int? {
    // The scratch's buffer is moved out and back (swapped), so that it stays the only owner of
    // its storage.
    var buffer: S.State? = nil
    swap(&buffer, &scratch.successorBuffer)
    if buffer == nil || !spec.refillSuccessorBuffer(&buffer!, from: state) {
      buffer = spec.successorBuffer(of: state)
      if buffer == nil {
        scratch.hasNoSuccessorBuffer = true
        return nil
      }
    }
    let count = expand(state, index: index, inBuffer: &buffer!, into: scratch, emit: emit)
    swap(&buffer, &scratch.successorBuffer)
    return count
  }

  /// Expands `state` in the spec's successor buffer: each action is applied to it and put back
  /// after. Returns the number of enabled actions.
  ///
  /// This and ``visit(_:by:response:ordinal:parent:index:into:emit:)`` are methods: written as
  /// a second closure and a local function inside `expand`, they changed what the optimizer
  /// inlined for specs without a buffer (TwoPhase: 1% more instructions, rm=9 2% slower).
  @inlinable @inline(__always)
  func expand(
    _ state: S.State, index: Int, inBuffer buffer: inout S.State, into scratch: WorkerScratch<S>,
    emit: (_ fingerprint: UInt64, _ ordinal: Int, _ successor: S.State, _ kind: Int) -> Void
  ) -> Int {
    var ordinal = 0
    spec.forEachEnabledAction(in: state) { action in
      let response = spec.apply(action, toSuccessor: &buffer, of: state)
      visit(buffer, by: action, response: response, ordinal: ordinal, parent: state, index: index, into: scratch, emit: emit)
      spec.restore(&buffer, after: action, from: state)
      ordinal &+= 1
    }
    return ordinal
  }

  /// Counts and checks the successor of `parent` (stored state `index`) by its `ordinal`-th
  /// enabled action, and emits it if it lies inside the constraint.
  @inlinable @inline(__always)
  func visit(
    _ successor: S.State, by action: S.Action, response: S.Response, ordinal: Int, parent: S.State, index: Int,
    into scratch: WorkerScratch<S>,
    emit: (_ fingerprint: UInt64, _ ordinal: Int, _ successor: S.State, _ kind: Int) -> Void
  ) {
    scratch.generated &+= 1
    let kind = scratch.coverage.kind(of: action, in: spec)
    scratch.generatedCounts.increment(kind)
    let key = ViolationKey(parent: index, ordinal: ordinal)
    if let broken = spec.brokenPostcondition(from: parent, by: action, response: response, to: successor) {
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
    emit(spec.fingerprint(of: successor), ordinal, successor, kind)
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

  /// Rebuilds a candidate's successor from its parent: the action at `candidate`'s position,
  /// or, for positions past ``Candidate/largestOrdinal``, the first action from there on whose
  /// successor has `fingerprint`. Nil if the rebuilt successor does not have `fingerprint`
  /// (the spec is not deterministic).
  @inlinable @inline(__always)
  func rebuild(_ candidate: Candidate, from parent: S.State, fingerprint: UInt64)
    -> (ordinal: Int, action: S.Action, state: S.State)?
  {
    if let ordinal = candidate.ordinal {
      guard let (action, state) = successor(of: parent, ordinal: ordinal), spec.fingerprint(of: state) == fingerprint
      else { return nil }
      return (ordinal, action, state)
    }
    var position = 0
    var found: (ordinal: Int, action: S.Action, state: S.State)?
    spec.forEachEnabledAction(in: parent) { action in
      defer { position &+= 1 }
      guard found == nil, position > Candidate.largestOrdinal else { return }
      var next = parent
      _ = spec.apply(action, to: &next)
      if spec.fingerprint(of: next) == fingerprint { found = (position, action, next) }
    }
    return found
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

/// A successor waiting for deduplication, in 10 bytes: enough to rebuild it if it is new.
///
/// - the 56 fingerprint bits below the shard bits (the bucket it waits in is its shard's);
/// - the action's position in its parent's enumeration, or 255 for positions past
///   ``largestOrdinal`` (``Expander/rebuild(_:from:fingerprint:)`` finds those by fingerprint);
/// - its parent's offset from the first state of the piece of the batch that expanded it.
@usableFromInline
struct Candidate {
  /// The largest action position stored as it is.
  @usableFromInline static var largestOrdinal: Int { 254 }
  /// The fingerprint bits a candidate keeps: those below the shard bits.
  @usableFromInline static var keptBits: UInt64 { 0x00FF_FFFF_FFFF_FFFF }
  /// The largest parent offset: a piece of a batch holds at most 65,536 states.
  @usableFromInline static var largestParentOffset: Int { Int(UInt16.max) }

  /// The fingerprint's low 56 bits, then the action position; then the parent offset.
  @usableFromInline var packed: (UInt16, UInt16, UInt16, UInt16, UInt16)

  @inlinable @inline(__always)
  init(fingerprint: UInt64, ordinal: Int, parentOffset: Int) {
    let position = UInt64(truncatingIfNeeded: min(ordinal, Candidate.largestOrdinal + 1))
    let word = fingerprint & Candidate.keptBits | position &<< 56
    packed = (0, 0, 0, 0, 0)
    withUnsafeMutableBytes(of: &packed) { raw in
      raw.storeBytes(of: word, as: UInt64.self)
      raw.storeBytes(of: UInt16(truncatingIfNeeded: parentOffset), toByteOffset: 8, as: UInt16.self)
    }
  }

  @inlinable var word: UInt64 {
    @inline(__always) get { withUnsafeBytes(of: packed) { $0.loadUnaligned(as: UInt64.self) } }
  }

  /// The full fingerprint, given the bits of the shard whose bucket holds the candidate
  /// (``ShardedVisitedSet/shardBits(_:)``).
  @inlinable @inline(__always)
  func fingerprint(shardBits: UInt64) -> UInt64 { word & Candidate.keptBits | shardBits }

  /// The action position, or nil if it is past ``largestOrdinal``.
  @inlinable var ordinal: Int? {
    @inline(__always) get {
      let position = Int(truncatingIfNeeded: word &>> 56)
      return position > Candidate.largestOrdinal ? nil : position
    }
  }

  /// The parent's offset from the first state of its piece.
  @inlinable var parentOffset: Int {
    @inline(__always) get { Int(packed.4) }
  }
}

extension Expander {
  /// Expands a state for breadth-first search: candidates go to `scratch`'s bucket for their
  /// visited-set shard, as a fingerprint and the way to rebuild them, not as states: most are
  /// duplicates. Where the visited set stores states (`--exact`), each candidate's stored form
  /// goes with it, so that deduplication compares states without rebuilding them.
  ///
  /// With `visited` (`--exact` on states that hold references, in the batches where the search
  /// decides to), a successor whose state is already there is dropped here, before its stored
  /// form is kept: the shards are only read while a batch expands, and deduplication would drop
  /// it anyway. Successors are made in the
  /// spec's buffer unless every one is kept (`--exact` without `visited`).
  ///
  /// `keepsSuccessors` (states that are not plain data): each candidate's
  /// successor goes into `scratch`'s ``WorkerScratch/keptSuccessors`` too, with its action
  /// (``WorkerScratch/keptActions``), so that numbering takes the new ones as they are instead
  /// of rebuilding them.
  @inlinable @inline(__always)
  func expand<Shard: VisitedShard<S.State>>(
    _ state: S.State, index: Int, into scratch: WorkerScratch<S>, skippingStatesIn visited: [Shard]?,
    keepingSuccessors keepsSuccessors: Bool = false
  ) {
    let parentOffset = index - scratch.pieceStart
    let recent = scratch.recent
    let recentPositions = scratch.recentPositions
    let keepsStates = scratch.keepsStates
    // The buffers' addresses, not the objects that own them: the closure retained and released
    // the objects, held as optionals, around its calls (four reference counts per state expanded
    // in a build that kept TwoPhase's successors; DurableExecution 0.7% fewer instructions).
    let storedForms = scratch.storedForms?.buffers
    // (Known when this is compiled for plain-data states: they have no such branch.)
    let keptSuccessors = _isPOD(S.State.self) || !keepsSuccessors ? nil : scratch.keptSuccessors?.buffers
    let keptActions = scratch.keptActions?.buffers
    expand(state, index: index, into: scratch, lending: !keepsStates || visited != nil) { fingerprint, ordinal, successor, kind in
      let shard = ShardedVisitedSet<FingerprintShard<S.State>>.shard(of: fingerprint)
      let form = keepsStates ? spec.storedForm(of: successor) : nil
      // `recent` is nil only in depth-first search, which never skips visited states here.
      if let recent {
        // The same fingerprint went into this scratch before: earlier in this piece, or in an
        // earlier piece (a worker takes pieces in increasing order, batch after batch), so
        // before this one in breadth-first order, and it is in the visited set by the time this
        // one would be looked up. (0 marks an empty slot.)
        // Where fingerprints do not stand for states (`--exact`), the earlier one is in this
        // batch (the slots are emptied with the buckets), and the states must be equal too.
        let slot = Int(truncatingIfNeeded: fingerprint) & (WorkerScratch<S>.recentCount - 1)
        if recent[slot] == fingerprint && fingerprint != 0 {
          guard let form, let recentPositions, let storedForms else { return }
          if storedForms[shard][Int(recentPositions[slot])] == form { return }
        }
        // (Both conditions are known when this is compiled: searches over fingerprints or
        // plain-data states have no such branch.)
        if Shard.needsStates, !_isPOD(S.State.self), let visited, let form,
          visited[shard].contains(fingerprint: fingerprint, state: { form })
        {
          return
        }
        recent[slot] = fingerprint
        if let recentPositions, let storedForms {
          recentPositions[slot] = UInt32(truncatingIfNeeded: storedForms[shard].count)
        }
      }
      scratch.buckets.buffers[shard].append(Candidate(fingerprint: fingerprint, ordinal: ordinal, parentOffset: parentOffset))
      if let form, let storedForms { storedForms[shard].append(form) }
      if let keptSuccessors, let keptActions {
        keptSuccessors[shard].append(successor)
        keptActions[shard].append(KeptAction(kind: kind, ordinal: ordinal))
      }
    }
  }
}

/// How a kept successor was reached from its parent: its action's coverage kind and position.
@usableFromInline
struct KeptAction {
  @usableFromInline let kind: Int
  @usableFromInline let ordinal: Int

  @inlinable init(kind: Int, ordinal: Int) {
    self.kind = kind
    self.ordinal = ordinal
  }
}

/// What one worker produces while expanding its pieces of a batch.
@usableFromInline
final class WorkerScratch<S: Specification>: @unchecked Sendable {
  /// Candidates per visited-set shard, in the order generated.
  @usableFromInline let buckets: BufferArray<Candidate>
  /// The index of the first state of the piece being expanded: candidates store their parent's
  /// offset from it (``BatchPieces/begin(_:firstState:worker:scratch:)`` sets it).
  @usableFromInline @exclusivity(unchecked) var pieceStart = 0
  /// The number of fingerprints `recent` holds (a power of two).
  @usableFromInline static var recentCount: Int { 8192 }
  /// The last fingerprint put into this scratch's buckets per slot (chosen by its low bits), to
  /// drop repeats before they reach a bucket: nearby parents often share a successor. Nil for
  /// depth-first search.
  @usableFromInline let recent: UnsafeMutablePointer<UInt64>?
  /// Whether the candidates' stored forms are kept (``storedForms``).
  @usableFromInline let keepsStates: Bool
  /// Where the visited set stores states (`--exact`): per shard, the stored form of each
  /// candidate in its bucket, at the same position (buffers, not arrays: an array in an array
  /// was checked for uniqueness twice and retained on every append). Nil otherwise.
  @usableFromInline let storedForms: BufferArray<S.State>?
  /// With ``storedForms``: per slot of ``recent``, where that fingerprint's stored form is in
  /// its shard's array, so that a repeat is dropped only if its state is equal too.
  @usableFromInline let recentPositions: UnsafeMutablePointer<UInt32>?
  /// In the breadth-first batches that keep their successors (the search decides, batch by
  /// batch): per shard, each candidate's successor, at its position in the bucket, so that
  /// numbering takes the new ones instead of rebuilding them. Nil for plain-data states, whose
  /// rebuilding costs little.
  @usableFromInline let keptSuccessors: BufferArray<S.State>?
  /// With ``keptSuccessors``: how each kept successor was reached, at the same positions.
  @usableFromInline let keptActions: BufferArray<KeptAction>?
  @usableFromInline @exclusivity(unchecked) var generated = 0
  /// The coverage kinds found so far; ``countedCoverage`` adds the counts below.
  @usableFromInline @exclusivity(unchecked) var coverage: CoverageCounter<S>
  /// Generated successors per coverage kind.
  @usableFromInline let generatedCounts: KindCounts
  /// New states per coverage kind (kept successors' are added once numbering is over).
  @usableFromInline let distinctCounts: KindCounts
  @usableFromInline @exclusivity(unchecked) var violations: [KeyedViolation] = []
  /// The spec's successor buffer, kept from one expanded state to the next (nil until the first
  /// and for specs without one).
  @usableFromInline @exclusivity(unchecked) var successorBuffer: S.State?
  /// Whether the spec gave no successor buffer (asked once).
  @usableFromInline @exclusivity(unchecked) var hasNoSuccessorBuffer = false
  /// The expander this scratch's thread uses, over the spec's ``Specification/copyForWorker()``
  /// (closures, invariants included, of its own): calling a closure retains and releases its
  /// context, and with one set of closures for all workers those reference counts are a cache
  /// line they all write.
  @usableFromInline let expander: Expander<S>

  @inlinable
  init(spec: S, checkDeadlock: Bool, shards: Int, keepingStates: Bool = false) {
    expander = Expander(spec: spec.copyForWorker(), checkDeadlock: checkDeadlock)
    buckets = BufferArray(count: shards)
    keepsStates = keepingStates
    storedForms = keepingStates ? BufferArray(count: shards) : nil
    let mayKeepSuccessors = !_isPOD(S.State.self)
    keptSuccessors = mayKeepSuccessors ? BufferArray(count: shards) : nil
    keptActions = mayKeepSuccessors ? BufferArray(count: shards) : nil
    coverage = CoverageCounter(spec: spec)
    generatedCounts = KindCounts(capacity: max(16, coverage.names.count))
    distinctCounts = KindCounts(capacity: max(16, coverage.names.count))
    recent = shards > 0 ? .allocate(capacity: Self.recentCount) : nil
    recent?.initialize(repeating: 0, count: Self.recentCount)
    recentPositions = shards > 0 && keepingStates ? .allocate(capacity: Self.recentCount) : nil
    recentPositions?.initialize(repeating: 0, count: Self.recentCount)
  }

  deinit {
    recent?.deallocate()
    recentPositions?.deallocate()
  }

  /// ``coverage`` with the counts made so far in ``generatedCounts`` and ``distinctCounts``.
  @inlinable
  var countedCoverage: CoverageCounter<S> {
    var counted = coverage
    generatedCounts.add(to: &counted.generated)
    distinctCounts.add(to: &counted.distinct)
    return counted
  }

  /// The breadth-first batch whose candidates the buckets hold (-1 before the first).
  @usableFromInline @exclusivity(unchecked) var batch = -1

  /// Empties the buckets if they still hold an earlier batch's candidates; call it before
  /// expanding each piece of `batch`.
  @inlinable
  func startBatch(_ batch: Int) {
    guard batch != self.batch else { return }
    clearBuckets()
    self.batch = batch
  }

  @inlinable
  func clearBuckets() {
    buckets.removeAll()
    storedForms?.removeAll()
    keptSuccessors?.removeAll()
    keptActions?.removeAll()
    // The stored forms that `recent` points to are gone.
    if keepsStates { recent?.update(repeating: 0, count: Self.recentCount) }
  }

  @inlinable
  var bytes: Int {
    buckets.bytes
      + (recent == nil ? 0 : Self.recentCount * MemoryLayout<UInt64>.stride)
      + (recentPositions == nil ? 0 : Self.recentCount * MemoryLayout<UInt32>.stride)
      + (storedForms?.bytes ?? 0) + (keptSuccessors?.bytes ?? 0) + (keptActions?.bytes ?? 0)
  }
}

/// What deduplication produces for one shard in a batch: which of its candidates are new, and,
/// once they are rebuilt into the next level, what was found on the way.
@usableFromInline
final class ShardOutput<S: Specification>: @unchecked Sendable {
  /// The new candidates' positions, in order, counting through the buckets that the batch's
  /// pieces filled for this shard, one after the other.
  @usableFromInline @exclusivity(unchecked) var newCandidates = GrowableBuffer<UInt32>()
  /// Violations of new states.
  @usableFromInline @exclusivity(unchecked) var violations: [KeyedViolation] = []
  /// Parent-log indices whose action position did not fit their entry, with the position.
  @usableFromInline @exclusivity(unchecked) var wideOrdinals: [(index: Int, ordinal: Int)] = []
  /// Set when a rebuilt state does not match its candidate: the spec is not deterministic.
  @usableFromInline @exclusivity(unchecked) var inconsistency: String?
  /// In batches that kept their successors: the new states counted here per worker that kept
  /// them and coverage kind of that worker's counter (`worker * keptKindCount + kind`), added to
  /// the workers' ``WorkerScratch/distinctCounts`` once numbering is over (no other thread
  /// writes them then), and zeroed there.
  @usableFromInline @exclusivity(unchecked) var keptDistinct: [Int] = []
  /// The kinds per worker in ``keptDistinct``: the most any worker's counter had when numbering
  /// began (expansion, which finds kinds, is over by then).
  @usableFromInline @exclusivity(unchecked) var keptKindCount = 0

  @inlinable init() {}

  deinit { newCandidates.release() }

  @inlinable
  func clear() {
    newCandidates.removeAll()
    wideOrdinals.removeAll(keepingCapacity: true)
    violations.removeAll(keepingCapacity: true)
  }
}

/// Finds candidates of one shard by their position counting through the batch's segments for
/// that shard, piece by piece (``ShardOutput/newCandidates``), for positions that only grow.
@usableFromInline
struct CandidateCursor {
  @usableFromInline let pieces: BatchPieces
  @usableFromInline let shard: Int
  @usableFromInline var piece = -1
  /// The positions of the current segment's first candidate and past its last.
  @usableFromInline var start = 0
  @usableFromInline var end = 0
  /// The current segment's first candidate.
  @usableFromInline var segment: UnsafeMutablePointer<Candidate>?
  @usableFromInline var pieceStart = 0

  @inlinable
  init(pieces: BatchPieces, shard: Int) {
    self.pieces = pieces
    self.shard = shard
  }

  /// The candidate at `position` (not below the last one asked for) and its parent's index.
  @inlinable @inline(__always)
  mutating func seek(_ position: Int) -> (candidate: Candidate, parent: Int) {
    while position >= end {
      piece += 1
      let range = pieces.segment(piece, shard: shard)
      start = end
      end = start + range.count
      segment = pieces.bucket(piece, shard: shard).base + range.lowerBound
      pieceStart = pieces.firstState(of: piece)
    }
    let candidate = segment.unsafelyUnwrapped[position - start]
    return (candidate, pieceStart + candidate.parentOffset)
  }

  /// Where the candidate at `position`, the last one asked for, lies in its piece's bucket
  /// (``piece``).
  ///
  /// Worked out, not stored: with one more stored property, a cursor has more fields than the
  /// compiler destroys inline, and every search paid a call to the runtime for it.
  @inlinable @inline(__always)
  func bucketPosition(of position: Int) -> Int {
    segment.unsafelyUnwrapped - pieces.bucket(piece, shard: shard).base + position - start
  }
}
