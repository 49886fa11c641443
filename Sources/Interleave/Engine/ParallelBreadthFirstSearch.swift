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
    let batchSize = 1 << 15

    var frontier = ContiguousArray(addInitialStates())
    var levelStart = 0
    depth = frontier.isEmpty ? 0 : 1
    while !frontier.isEmpty && !stopped {
      if let maxDepth = options.maxDepth, depth >= maxDepth {
        stopForBound("the depth bound (--max-depth \(maxDepth)) was reached")
        break
      }
      var next = ContiguousArray<S.State>()
      var batchStart = 0
      while batchStart < frontier.count && !stopped {
        let batchEnd = min(batchStart + batchSize, frontier.count)
        let currentLevelStart = levelStart
        let first = batchStart
        // 1. Expand.
        frontier.withUnsafeBufferPointer { buffer in
          let states = SendableBuffer(buffer)
          let total = batchEnd - first
          DispatchQueue.concurrentPerform(iterations: workerCount) { worker in
            let mine = scratch[worker]
            mine.clearBuckets()
            let from = first + total * worker / workerCount
            let to = first + total * (worker + 1) / workerCount
            for position in from..<to {
              expander.expand(states.buffer[position], index: currentLevelStart + position, into: mine)
            }
          }
        }
        // 2. Deduplicate, in parallel unless the state bound could be crossed.
        let candidates = scratch.reduce(0) { total, worker in total + worker.buckets.reduce(0) { $0 + $1.count } }
        let sequential = visited.count + candidates > maxStates
        var remaining = maxStates - visited.count
        if sequential {
          for shard in 0..<shardCount {
            Self.deduplicate(shard: shard, shards: shards, scratch: scratch, outputs: outputs, expander: expander, budget: &remaining)
          }
        } else {
          DispatchQueue.concurrentPerform(iterations: workerCount) { worker in
            var unlimited = Int.max
            for shard in stride(from: worker, to: shardCount, by: workerCount) {
              Self.deduplicate(
                shard: shard, shards: shards, scratch: scratch, outputs: outputs, expander: expander, budget: &unlimited)
            }
          }
        }
        // 3. Number the new states, merge counters, and settle violations.
        var batchViolations: [KeyedViolation] = []
        for worker in scratch {
          batchViolations += worker.violations
          worker.violations.removeAll(keepingCapacity: true)
        }
        for output in outputs {
          let base = parents.count
          for (position, candidate) in output.fresh.enumerated() {
            parents.append(parent: Int(candidate.parent), ordinal: Int(candidate.ordinal))
            next.append(candidate.state)
            scratch[Int(output.freshWorker[position])].coverage.distinct[Int(candidate.kind)] &+= 1
          }
          for var found in output.violations {
            if case .stored(let position) = found.violation.location {
              found.violation.location = .stored(index: base + position)
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
          if hasUnstoredCandidate(shards: shards, scratch: scratch) {
            stopForBound("the state bound (--max-states \(maxStates)) was reached")
          }
        }
        if let limit = options.memoryLimit {
          let used = visited.bytes + parents.bytes + (frontier.capacity + next.capacity) * MemoryLayout<S.State>.stride
            + scratch.reduce(0) { $0 + $1.bytes }
          if used > limit {
            stopForBound("the memory limit (--memory \(limit / 1_048_576) MiB) was reached with \(used / 1_048_576) MiB in use")
          }
        }
        batchStart = batchEnd
        reportProgressIfDue(queued: frontier.count - batchStart + next.count, generatedSoFar: scratch.reduce(generated) { $0 + $1.generated })
      }
      levelStart += frontier.count
      frontier = next
      if !frontier.isEmpty && !stopped { depth += 1 }
    }
    for worker in scratch {
      generated += worker.generated
      coverage.merge(worker.coverage)
    }
  }

  /// Inserts the candidates of one shard, in batch order, and checks the new states.
  @inlinable
  static func deduplicate<Shard>(
    shard: Int, shards: [Shard], scratch: [WorkerScratch<S>], outputs: [ShardOutput<S>], expander: Expander<S>,
    budget: inout Int
  ) where Visited == ShardedVisitedSet<Shard> {
    let table = shards[shard]
    let output = outputs[shard]
    for (worker, producer) in scratch.enumerated() {
      for candidate in producer.buckets[shard] {
        if budget <= 0 { return }
        guard table.insert(fingerprint: candidate.fingerprint, state: candidate.state) else { continue }
        budget -= 1
        let position = output.fresh.count
        output.fresh.append(candidate)
        output.freshWorker.append(UInt16(truncatingIfNeeded: worker))
        expander.collectFailures(
          of: candidate.state, at: .stored(index: position),
          key: ViolationKey(parent: Int(candidate.parent), ordinal: Int(candidate.ordinal)), into: &output.violations)
      }
    }
  }

  /// Whether some candidate of the batch is still not stored (the state bound cut it off).
  @inlinable
  func hasUnstoredCandidate<Shard>(shards: [Shard], scratch: [WorkerScratch<S>]) -> Bool
  where Visited == ShardedVisitedSet<Shard> {
    for worker in scratch {
      for (shard, bucket) in worker.buckets.enumerated() {
        for candidate in bucket where !shards[shard].contains(fingerprint: candidate.fingerprint, state: candidate.state) {
          return true
        }
      }
    }
    return false
  }
}

/// A read-only buffer handed to worker threads, which only read it while its owner waits.
@usableFromInline
struct SendableBuffer<Element>: @unchecked Sendable {
  @usableFromInline let buffer: UnsafeBufferPointer<Element>
  @inlinable init(_ buffer: UnsafeBufferPointer<Element>) { self.buffer = buffer }
}
