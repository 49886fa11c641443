import CInterleaveSupport
import Dispatch

extension SearchContext {
  /// Breadth-first search, level by level, on `workers` threads; the counts, the depth and the
  /// counterexample are the same for every number of workers.
  ///
  /// Each level is cut into batches of a fixed number of states. For each batch:
  /// 1. *expand*: the workers take contiguous parts of the batch in order and generate and check
  ///    successors, putting each in a bucket by the visited-set shard its fingerprint falls in;
  /// 2. *deduplicate*: each worker owns some shards and inserts their candidates in batch order
  ///    (worker 0's first, then worker 1's, ...), so the first candidate of a state, the one a
  ///    sequential BFS would meet first, is the one stored, with its parent; no locks are needed;
  /// 3. *number*: the new states get their indices shard by shard and join the next level.
  /// Violations carry their breadth-first position, and the first one is the smallest position,
  /// whatever the number of workers.
  @inlinable
  mutating func runParallelBreadthFirst<Shard>(workers requested: Int) where Visited == ShardedVisitedSet<Shard> {
    let workerCount = max(1, requested)
    let shardCount = ShardedVisitedSet<Shard>.shardCount
    let expander = Expander(spec: spec, invariants: invariants, checkDeadlock: options.checkDeadlock)
    let scratch = (0..<workerCount).map { _ in WorkerScratch(spec: spec, shards: shardCount) }
    let outputs = (0..<shardCount).map { _ in ShardOutput<S>() }
    let shards = visited.shards

    var trimmedAt = visited.bytes
    let pool = ChunkPool<S.State>()
    var frontier = ChunkedStorage<S.State>(reusing: pool)
    // INTERLEAVE_PROFILE=1: phase times (PhaseProfile.swift); nil, and untouched per state, when off.
    let profile = PhaseProfile.makeIfEnabled(workers: workerCount)
    for state in addInitialStates() { frontier.append(state) }
    var mark = profile == nil ? 0 : PhaseProfile.now()
    var levelStart = 0
    depth = frontier.isEmpty ? 0 : 1
    while !frontier.isEmpty && !stopped {
      if let maxDepth = options.maxDepth, depth >= maxDepth {
        stopForBound("the depth bound (--max-depth \(maxDepth)) was reached")
        break
      }
      let next = ChunkedStorage<S.State>(reusing: pool)
      var batchStart = 0
      while batchStart < frontier.count && !stopped {
        // Larger batches deduplicate with better cache locality and synchronize less; smaller
        // ones hold less memory. Batch boundaries do not change the counts of a full run or the
        // counterexample: a batch's violations all come after the previous batch's in BFS order.
        let batchSize = min((1 << 16) * max(1, workerCount / 4), max(1 << 12, visited.count / 32))
        let batchEnd = min(batchStart + batchSize, frontier.count)
        let currentLevelStart = levelStart
        let first = batchStart
        // 1. Expand.
        do {
          let states = frontier
          let total = batchEnd - first
          DispatchQueue.concurrentPerform(iterations: workerCount) { worker in
            let begin = profile == nil ? 0 : PhaseProfile.now()
            let mine = scratch[worker]
            mine.clearBuckets()
            let from = first + total * worker / workerCount
            let to = first + total * (worker + 1) / workerCount
            for position in from..<to {
              expander.expand(states[position], index: currentLevelStart + position, into: mine)
            }
            profile?.record(.expand, worker: worker, from: begin, items: to - from)
          }
        }
        if let profile {
          profile.batches += 1
          mark = profile.endParallel(.expand, since: mark, workers: workerCount)
        }
        // 2. Deduplicate, in parallel unless the state bound could be crossed.
        let candidates = scratch.reduce(0) { $0 + $1.candidateCount }
        let sequential = visited.count + candidates > maxStates
        var remaining = maxStates - visited.count
        if sequential {
          do {
            let states = frontier
            for shard in 0..<shardCount {
              Self.deduplicate(
                shard: shard, owner: scratch[0], shards: shards, scratch: scratch, outputs: outputs, frontier: states,
                levelStart: currentLevelStart, expander: expander, budget: &remaining)
            }
          }
          if let profile {
            profile.sequentialDedups += 1
            mark = profile.endSerial(.dedup, since: mark)
          }
        } else {
          do {
            let states = frontier
            DispatchQueue.concurrentPerform(iterations: workerCount) { worker in
              let begin = profile == nil ? 0 : PhaseProfile.now()
              var unlimited = Int.max
              for shard in stride(from: worker, to: shardCount, by: workerCount) {
                Self.deduplicate(
                  shard: shard, owner: scratch[worker], shards: shards, scratch: scratch, outputs: outputs,
                  frontier: states, levelStart: currentLevelStart, expander: expander, budget: &unlimited)
              }
              if let profile {
                var inserted = 0
                for shard in stride(from: worker, to: shardCount, by: workerCount) {
                  for producer in scratch { inserted += producer.buckets.buffers[shard].count }
                }
                profile.record(.dedup, worker: worker, from: begin, items: inserted)
              }
            }
          }
          if let profile { mark = profile.endParallel(.dedup, since: mark, workers: workerCount) }
        }
        // 3. Number the new states, merge counters, and settle violations.
        var batchViolations: [KeyedViolation] = []
        for worker in scratch {
          batchViolations += worker.violations
          worker.violations.removeAll(keepingCapacity: true)
        }
        var bases: [Int] = []
        var total = 0
        for output in outputs {
          bases.append(total)
          total += output.fresh.count
        }
        let firstIndex = parents.extend(by: total)
        let firstSlot = next.extend(by: total)
        let log = parents
        let offsets = bases
        if let profile { mark = profile.endSerial(.numberPrep, since: mark) }
        DispatchQueue.concurrentPerform(iterations: workerCount) { worker in
          let begin = profile == nil ? 0 : PhaseProfile.now()
          for shard in stride(from: worker, to: shardCount, by: workerCount) {
            let output = outputs[shard]
            for position in 0..<output.fresh.count {
              let origin = output.freshOrigin[position]
              let index = offsets[shard] + position
              if !log.set(firstIndex + index, parent: Int(origin.parent), ordinal: Int(origin.ordinal)) {
                output.wideOrdinals.append(firstIndex + index)
              }
              next.initialize(at: firstSlot + index, to: output.fresh[position])
            }
          }
          if let profile {
            var numbered = 0
            for shard in stride(from: worker, to: shardCount, by: workerCount) { numbered += outputs[shard].fresh.count }
            profile.record(.number, worker: worker, from: begin, items: numbered)
          }
        }
        if let profile { mark = profile.endParallel(.number, since: mark, workers: workerCount) }
        for (shard, output) in outputs.enumerated() {
          if let inconsistency = output.inconsistency, internalError == nil {
            internalError = inconsistency
            stopped = true
          }
          for index in output.wideOrdinals {
            parents.setWideOrdinal(Int(output.freshOrigin[index - firstIndex - bases[shard]].ordinal), at: index)
          }
          for var found in output.violations {
            if case .stored(let position) = found.violation.location {
              found.violation.location = .stored(index: firstIndex + bases[shard] + position)
            }
            batchViolations.append(found)
          }
          output.clear()
        }
        if !batchViolations.isEmpty {
          batchViolations.sort { $0.key < $1.key }
          for found in batchViolations {
            report(found.violation)
            if stopped { break }
          }
        }
        if sequential && remaining <= 0 && candidates > 0 && visited.count >= maxStates {
          let unstored = hasUnstoredCandidate(
            shards: shards, scratch: scratch, frontier: frontier, levelStart: currentLevelStart, expander: expander)
          if unstored {
            stopForBound("the state bound (--max-states \(maxStates)) was reached")
          }
        }
        if let limit = options.memoryLimit {
          let used = visited.bytes + parents.bytes + frontier.bytes + next.bytes
            + scratch.reduce(0) { $0 + $1.bytes }
          if used > limit {
            stopForBound("the memory limit (--memory \(limit / 1_048_576) MiB) was reached with \(used / 1_048_576) MiB in use")
          }
        }
        batchStart = batchEnd
        // The batch's states are no longer needed (its candidates are deduplicated): their
        // chunks go back to the pool, where the next level takes them.
        frontier.releaseChunks(before: batchEnd)
        reportProgressIfDue(queued: frontier.count - batchStart + next.count, generatedSoFar: scratch.reduce(generated) { $0 + $1.generated })
        if let profile { mark = profile.endSerial(.settle, since: mark) }
      }
      levelStart += frontier.count
      frontier = next
      // Tables that grew left free blocks behind; give their pages back, once the tables have
      // grown by half since the last time (trimming walks the whole heap on one thread).
      if visited.bytes > trimmedAt + trimmedAt / 2 {
        interleave_release_free_memory()
        trimmedAt = visited.bytes
      }
      // The depth counts the levels that hold stored states, the last one possibly partial.
      if !frontier.isEmpty { depth += 1 }
      if let profile {
        profile.levels += 1
        mark = profile.endSerial(.levelEnd, since: mark)
      }
    }
    for worker in scratch {
      generated += worker.generated
      coverage.merge(worker.coverage)
    }
    if let profile {
      PhaseProfile.printToStandardError(profile.report(spec: spec.name, distinct: visited.count))
    }
  }

  /// Inserts the candidates of one shard, in batch order; rebuilds and checks the new states,
  /// counting their coverage in `owner`.
  @inlinable
  static func deduplicate<Shard>(
    shard: Int, owner: WorkerScratch<S>, shards: [Shard], scratch: [WorkerScratch<S>], outputs: [ShardOutput<S>],
    frontier: ChunkedStorage<S.State>, levelStart: Int, expander: Expander<S>, budget: inout Int
  ) where Visited == ShardedVisitedSet<Shard> {
    let table = shards[shard]
    let output = outputs[shard]
    for producer in scratch {
      let bucket = producer.buckets.buffers[shard]
      let lookahead = 8
      for position in 0..<min(lookahead, bucket.count) { table.prefetch(fingerprint: bucket[position].fingerprint) }
      for position in 0..<bucket.count {
        if position + lookahead < bucket.count { table.prefetch(fingerprint: bucket[position + lookahead].fingerprint) }
        let candidate = bucket[position]
        if budget <= 0 { return }
        let parent = frontier[Int(candidate.parent) - levelStart]
        let isNew = table.insert(fingerprint: candidate.fingerprint) {
          expander.spec.storedForm(of: expander.successor(of: parent, ordinal: Int(candidate.ordinal))?.state ?? parent)
        }
        guard isNew else { continue }
        budget -= 1
        guard let (action, state) = expander.successor(of: parent, ordinal: Int(candidate.ordinal)),
          expander.spec.fingerprint(of: state) == candidate.fingerprint
        else {
          output.inconsistency =
            "\(expander.spec.name): a successor rebuilt from its parent differs from the one generated; "
            + "forEachEnabledAction and apply must give the same result every time"
          return
        }
        owner.coverage.distinct[owner.coverage.kind(of: action, in: expander.spec)] &+= 1
        let index = output.fresh.count
        output.fresh.append(state)
        output.freshOrigin.append(Origin(parent: candidate.parent, ordinal: candidate.ordinal))
        expander.collectFailures(
          of: state, at: .stored(index: index),
          key: ViolationKey(parent: Int(candidate.parent), ordinal: Int(candidate.ordinal)), into: &output.violations)
      }
    }
  }

  /// Whether some candidate of the batch is still not stored (the state bound cut it off).
  @inlinable
  func hasUnstoredCandidate<Shard>(
    shards: [Shard], scratch: [WorkerScratch<S>], frontier: ChunkedStorage<S.State>, levelStart: Int,
    expander: Expander<S>
  ) -> Bool where Visited == ShardedVisitedSet<Shard> {
    for worker in scratch {
      for shard in 0..<worker.buckets.count {
        for position in 0..<worker.buckets.buffers[shard].count {
          let candidate = worker.buckets.buffers[shard][position]
          let parent = frontier[Int(candidate.parent) - levelStart]
          let known = shards[shard].contains(fingerprint: candidate.fingerprint) {
            expander.spec.storedForm(of: expander.successor(of: parent, ordinal: Int(candidate.ordinal))?.state ?? parent)
          }
          if !known { return true }
        }
      }
    }
    return false
  }
}

