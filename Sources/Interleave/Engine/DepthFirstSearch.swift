extension SearchContext {
  /// Depth-first search with an explicit stack. Counterexamples are not shortest; `depth` is the
  /// deepest state stored. With a depth bound, a state first reached too deep is not expanded
  /// even if a shorter path reaches it later, as in every bounded DFS.
  @inlinable
  mutating func runDepthFirst() {
    let roots = addInitialStates()
    var stack: [(state: S.State, index: Int, depth: Int)] = []
    for (offset, state) in roots.enumerated().reversed() { stack.append((state, offset, 1)) }
    depth = roots.isEmpty ? 0 : 1
    var expansions = 0
    var children: [(S.State, Int)] = []
    var pending: [(fingerprint: UInt64, ordinal: Int, successor: S.State, kind: Int)] = []
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
      children.removeAll(keepingCapacity: true)
      var fresh: [KeyedViolation] = []
      // The successors first, with their buckets loading, then their insertion in order: the
      // cache misses of one state's successors overlap.
      pending.removeAll(keepingCapacity: true)
      expander.expand(top.state, index: top.index, into: scratch) { fingerprint, ordinal, successor, kind in
        visited.prefetch(fingerprint: fingerprint)
        pending.append((fingerprint, ordinal, successor, kind))
      }
      for (fingerprint, ordinal, successor, kind) in pending {
        if stopped { break }
        let stored = spec.storedForm(of: successor)
        if storedCount >= maxStates {
          // Stop only if this successor is really new: the bound was hit with work left.
          if !visited.contains(fingerprint: fingerprint, state: stored) {
            stopForBound("the state bound (--max-states \(maxStates)) was reached")
          }
          continue
        }
        guard visited.insert(fingerprint: fingerprint, state: stored) else { continue }
        let index = parents.count
        parents.append(parent: top.index, ordinal: ordinal)
        scratch.coverage.distinct[kind] &+= 1
        expander.collectFailures(
          of: successor, at: .stored(index: index), key: ViolationKey(parent: top.index, ordinal: ordinal),
          into: &fresh)
        children.append((successor, index))
      }
      // In the order of the actions, as a sequential search meets them.
      for found in (scratch.violations + fresh).sorted(by: { $0.key < $1.key }) {
        report(found.violation)
        if stopped { break }
      }
      scratch.violations.removeAll(keepingCapacity: true)
      if !children.isEmpty { depth = max(depth, top.depth + 1) }
      for child in children.reversed() { stack.append((child.0, child.1, top.depth + 1)) }
      expansions &+= 1
      if expansions & 1023 == 0 { reportProgressIfDue(queued: stack.count, generatedSoFar: generated + scratch.generated) }
      // Adding up the search's own figure walks the 256 shards: not for every state.
      if expansions & 255 == 0, memoryGauge != nil {
        let own = visited.bytes + parents.bytes + stack.capacity * MemoryLayout<(state: S.State, index: Int, depth: Int)>.stride
        stopIfOverMemoryLimit(own: own)
      }
    }
    generated += scratch.generated
    coverage.merge(scratch.coverage)
  }
}
