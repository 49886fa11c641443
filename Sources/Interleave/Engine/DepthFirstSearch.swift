extension SearchContext {
  /// Depth-first search with an explicit stack. Counterexamples are not shortest; `depth` is the
  /// deepest state stored. With a depth bound, a state first reached too deep is not expanded
  /// even if a shorter path reaches it later, as in every bounded DFS.
  ///
  /// A state's successors go onto the stack as they are generated, with their buckets loading;
  /// then they are inserted in the order of their actions, the new ones are kept in place, and
  /// the kept ones are turned around so that the first action's successor is expanded first.
  /// So the cache misses of one state's successors overlap, and a successor is copied once. A
  /// successor looked up a moment ago (``RecentLookups``, as breadth-first expansion drops
  /// repeats) is known to be stored and never reaches the stack.
  @inlinable
  mutating func runDepthFirst<Shard>() where Visited == ShardedVisitedSet<Shard> {
    let shards = visited.shards
    let roots = addInitialStates()
    // Buffers without copy-on-write: the stack is touched several times per successor.
    var stack = GrowableBuffer<DepthFirstEntry<S.State>>(capacity: 1024)
    // Per successor on top of the stack, not yet inserted: what inserting it needs.
    var pending = GrowableBuffer<(fingerprint: UInt64, ordinal: Int, kind: Int)>(capacity: 64)
    // Successors looked up a moment ago (``RecentLookups``). With `--exact`, only for states
    // without references, whose copies and comparisons are cheap (TwoPhase rm=9: 7.5 -> 5.7 s;
    // an execution-model state, with its arrays, was 5% slower with the lookups than without).
    let comparedFrom = Shard.needsStates && _isPOD(S.State.self) ? roots.first : nil
    let recent = RecentLookups<S.State>(
      recording: !Shard.needsStates || comparedFrom != nil, comparingStatesFrom: comparedFrom)
    defer {
      stack.release()
      pending.release()
      recent.release()
    }
    for (offset, state) in roots.enumerated().reversed() { stack.append(DepthFirstEntry(state: state, index: offset, depth: 1)) }
    depth = roots.isEmpty ? 0 : 1
    var expansions = 0
    var fresh: [KeyedViolation] = []
    let scratch = WorkerScratch(spec: spec, checkDeadlock: options.checkDeadlock, shards: 0)
    let expander = scratch.expander
    while let top = stack.popLast(), !stopped {
      if let maxDepth = options.maxDepth, top.depth >= maxDepth {
        // Other branches may still finish: keep exploring, but remember the bound.
        if inconclusiveReason == nil {
          inconclusiveReason = "the depth bound (--max-depth \(maxDepth)) was reached"
        }
        continue
      }
      let base = stack.count
      let childDepth = top.depth + 1
      pending.removeAll()
      expander.expand(top.state, index: top.index, into: scratch, lending: false) { fingerprint, ordinal, successor, kind in
        if recent.contains(fingerprint: fingerprint, state: { spec.storedForm(of: successor) }) { return }
        shards[ShardedVisitedSet<Shard>.shard(of: fingerprint)].prefetch(fingerprint: fingerprint)
        pending.append((fingerprint, ordinal, kind))
        stack.append(DepthFirstEntry(state: successor, index: 0, depth: childDepth))
      }
      let successors = stack.suffix(from: base)
      var kept = 0
      for offset in 0..<pending.count {
        if stopped { break }
        let (fingerprint, ordinal, kind) = pending[offset]
        let shard = shards[ShardedVisitedSet<Shard>.shard(of: fingerprint)]
        if storedCount >= maxStates {
          // Stop only if this successor is really new: the bound was hit with work left.
          if !shard.contains(fingerprint: fingerprint, state: { spec.storedForm(of: successors[offset].state) }) {
            stopForBound("the state bound (--max-states \(maxStates)) was reached")
          }
          continue
        }
        let isNew = shard.insert(fingerprint: fingerprint) { spec.storedForm(of: successors[offset].state) }
        recent.record(fingerprint: fingerprint) { spec.storedForm(of: successors[offset].state) }
        guard isNew else { continue }
        let index = parents.count
        parents.append(parent: top.index, ordinal: ordinal)
        scratch.distinctCounts.increment(kind)
        expander.collectFailures(
          of: successors[offset].state, at: .stored(index: index),
          key: ViolationKey(parent: top.index, ordinal: ordinal), into: &fresh)
        successors.swapAt(kept, offset)
        successors[kept].index = index
        kept += 1
      }
      stack.removeSuffix(from: base + kept)
      var children = stack.suffix(from: base)
      children.reverse()
      if !scratch.violations.isEmpty || !fresh.isEmpty {
        // In the order of the actions, as a sequential search meets them.
        for found in (scratch.violations + fresh).sorted(by: { $0.key < $1.key }) {
          report(found.violation)
          if stopped { break }
        }
        scratch.violations.removeAll(keepingCapacity: true)
        fresh.removeAll(keepingCapacity: true)
      }
      if kept > 0 { depth = max(depth, childDepth) }
      expansions &+= 1
      if expansions & 1023 == 0 { reportProgressIfDue(queued: stack.count, generatedSoFar: generated + scratch.generated) }
      // Adding up the search's own figure walks the 256 shards: not for every state.
      if expansions & 255 == 0, memoryGauge != nil {
        stopIfOverMemoryLimit(own: visited.bytes + parents.bytes + stack.bytes)
      }
    }
    generated += scratch.generated
    coverage.merge(scratch.countedCoverage)
  }
}

/// A state on the depth-first stack: its index in the parent log and its depth.
@usableFromInline
struct DepthFirstEntry<State> {
  @usableFromInline var state: State
  @usableFromInline var index: Int
  @usableFromInline var depth: Int

  @inlinable
  init(state: State, index: Int, depth: Int) {
    self.state = state
    self.index = index
    self.depth = depth
  }
}
