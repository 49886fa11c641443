import CInterleaveSupport
import Dispatch
import Synchronization

extension SearchContext {
  /// Breadth-first search, level by level, on `workers` threads; the counts, the depth and the
  /// counterexample are the same for every number of workers.
  ///
  /// Each level is cut into batches of a fixed number of states. For each batch:
  /// 1. *expand*: the batch is cut into contiguous pieces, one per worker (four per worker above
  ///    four workers), which the workers take as they come; each piece's successors are
  ///    generated, checked and put in the worker's bucket for the visited-set shard their
  ///    fingerprint falls in, and ``BatchPieces`` records where each piece's candidates lie;
  /// 2. *deduplicate*: the workers take shards as they come and insert each shard's candidates
  ///    in batch order (piece 0's first, then piece 1's, ...), so the first candidate of a state,
  ///    the one a sequential BFS would meet first, is the one stored; a shard has one thread at
  ///    a time, so no locks are needed; what is kept of a new state is its candidate's position;
  /// 3. *number*: the new states get their indices shard by shard, are rebuilt from their
  ///    parents (or, in batches that kept their successors, taken from where expansion kept
  ///    them) straight into their slots of the next level, get their parent-log entries and
  ///    are checked.
  /// Handing out work as it comes lets a thread that starts late (woken after the others) or
  /// runs slower take less; which thread does what never changes the result.
  /// Violations carry their breadth-first position, and the first one is the smallest position,
  /// whatever the number of workers.
  @inlinable
  mutating func runParallelBreadthFirst<Shard>(workers requested: Int) where Visited == ShardedVisitedSet<Shard> {
    let workerCount = max(1, requested)
    let shardCount = ShardedVisitedSet<Shard>.shardCount
    // One scratch (buckets, counters) per worker, for the pieces it expands and the new states
    // it numbers. Any number of pieces would give the same insertion order.
    // Above four workers, four pieces per worker, so that a slow or late thread holds up the
    // end of the expansion less; on two workers (2-core machine) they were 1-3% slower.
    let piecesPerWorker = workerCount > 4 ? 4 : 1
    let pieces = BatchPieces(capacity: workerCount * piecesPerWorker, shardCount: shardCount)
    let scratch = (0..<workerCount).map { _ in
      WorkerScratch(
        spec: spec, checkDeadlock: options.checkDeadlock, shards: shardCount, keepingStates: Shard.needsStates)
    }
    let tickets = WorkTickets()
    let outputs = (0..<shardCount).map { _ in ShardOutput<S>() }
    let shards = visited.shards
    visited.prepare(forWorkers: workerCount)
    // Up to four workers, batches of visited / 48 states keep memory low; with more, batches of
    // visited / 16 synchronize less (TwoPhase rm=9 on 16 cores: 6-7% faster, 15% more memory).
    let batchDivisor = workerCount > 4 ? 16 : 48

    var trimmedAt = visited.bytes
    let pool = ChunkPool<S.State>()
    var frontier = ChunkedStorage<S.State>(reusing: pool)
    // INTERLEAVE_PROFILE=1: phase times (PhaseProfile.swift); nil, and untouched per state, when off.
    let profile = PhaseProfile.makeIfEnabled(workers: workerCount)
    for state in addInitialStates() { frontier.append(state) }
    var mark = profile == nil ? 0 : PhaseProfile.now()
    var levelStart = 0
    var batchNumber = 0
    // With several workers, the chunks that the next batch's new states will need are mapped
    // during its expansion, by the worker that takes the first ticket, and freed chunks are
    // unmapped there too: mapping and unmapping were three quarters of the search's serial time
    // (TwoPhase rm=9: 35 of 45 ms), which is what limits many workers. One worker maps them
    // where they are needed, as before. A batch is expected to make new states at the rate (per
    // state expanded) of the last batch, and a level's first batch at the rate of the previous
    // level's first batch, half as many again in both cases. A level's first batch makes many
    // more new states per state than its last ones: reserved for as many as the previous batch
    // made, it mapped most of its chunks on the serial path (TwoPhase rm=9, 16 workers on 2
    // cores: 83 of the serial path's 103 samples; 15 samples in all since).
    let preparesChunks = workerCount > 1
    var lastRate = 0.0
    var firstBatchRate = 0.0
    // With `--exact` on states that hold references, whose copies cost allocations and
    // reference counts, expansion drops the successors already visited
    // (`Expander.expand(_:index:into:skippingStatesIn:)`) while the last batch made at least one
    // duplicate per state expanded: each one dropped saves a copy of its parent, and making
    // successors in the spec's buffer costs one copy per state expanded (TwoPhaseMessages rm=7,
    // about seven duplicates per state: 30% faster; DurableExecution crashes=3 sleep=3, 0.4 per
    // state: 12% more instructions when it always skipped). A plain-data state is copied as it
    // is, and its lookup is cheaper in deduplication, which prefetches it.
    let maySkipVisited = Shard.needsStates && !_isPOD(S.State.self)
    var skipsVisited = false
    // Numbering rebuilds each new state from its parent: it applies the action again, and a
    // monitored spec's properties observe it again. Where nine candidates in ten or more turned
    // out new in the last batch, expansion keeps every candidate's successor instead, and
    // numbering takes the new ones (DurableExecution crashes=3 sleep=3, 99% of its candidates
    // new: 24% fewer instructions). Keeping costs a copy per candidate, and the spec's buffer
    // then copies what the next action writes: where most candidates are duplicates, that costs
    // more than rebuilding the few new ones (TwoPhaseMessages rm=6, 23% new: 24% more
    // instructions, 85% more time). With `--exact` every candidate's stored form is kept
    // anyway, so its successor's storage is already its own: keeping the successor too costs
    // reference counts, and it is always kept (TwoPhaseMessages rm=7 `--exact`: 8-11% faster,
    // 10% less memory, the level's states sharing their storage with the visited set's).
    // Plain-data states, such as TwoPhase's, rebuild cheaply and take no memory for their
    // candidates but fingerprints.
    let mayKeepSuccessors = !_isPOD(S.State.self)
    var keepsSuccessors = Shard.needsStates && mayKeepSuccessors
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
        // ones hold less memory: with visited / 48 states, a batch's candidates (10 bytes each,
        // about six per state on TwoPhase) take about 1.2 bytes per stored state, against about
        // 9 for the visited set; visited / 32 was 2.5% faster and 1.5 MB more at rm=8 (one
        // worker). Batch boundaries do not change the counts of a full run or the
        // counterexample: a batch's violations all come after the previous batch's in BFS order.
        // A piece holds at most 65,536 states, so that candidates fit their parent's offset in
        // 16 bits (`Candidate`); a batch, at most 2^20, its new states' in the parent log's.
        let batchSize = min(
          (1 << 16) * max(1, workerCount / 4), max(1 << 12, storedCount / batchDivisor),
          pieces.capacity * (Candidate.largestParentOffset + 1),
          1 << ParentLog.largestWindowBits)
        let batchEnd = min(batchStart + batchSize, frontier.count)
        let currentLevelStart = levelStart
        let first = batchStart
        let batch = batchNumber
        batchNumber += 1
        let visitedShards = skipsVisited ? shards : nil
        let keeps = keepsSuccessors
        let generatedBefore = scratch.reduce(0) { $0 + $1.generated }
        // 1. Expand.
        do {
          let states = frontier
          let total = batchEnd - first
          let pieceCount = min(pieces.capacity, total)
          pieces.count = pieceCount
          let preparation = preparesChunks ? 1 : 0
          let log = parents
          let expectedNew = Int((first == 0 ? firstBatchRate : lastRate) * 1.5 * Double(total))
          tickets.hand(preparation + pieceCount, to: workerCount, phase: .expand, profile: profile) { worker, item in
            if item < preparation {
              next.reserve(upTo: next.count + expectedNew)
              log.reserve(upTo: log.count + expectedNew)
              pool.trim()
              return 0
            }
            let piece = item - preparation
            let mine = scratch[worker]
            mine.startBatch(batch)
            let from = first + total * piece / pieceCount
            let to = first + total * (piece + 1) / pieceCount
            pieces.begin(piece, firstState: currentLevelStart + from, worker: worker, scratch: mine)
            let expander = mine.expander
            for position in from..<to {
              expander.expand(
                states[position], index: currentLevelStart + position, into: mine, skippingStatesIn: visitedShards,
                keepingSuccessors: keeps)
            }
            pieces.end(piece, scratch: mine)
            return to - from
          }
        }
        if let profile {
          profile.batches += 1
          mark = profile.endParallel(.expand, since: mark, workers: workerCount)
        }
        // 2. Deduplicate, in parallel unless the state bound could be crossed.
        let candidates = pieces.candidateCount
        let sequential = storedCount + candidates > maxStates
        var remaining = maxStates - storedCount
        if sequential {
          for shard in 0..<shardCount {
            Self.deduplicate(
              shard: shard, shards: shards, scratch: scratch, pieces: pieces, outputs: outputs, budget: &remaining)
          }
          if let profile {
            profile.sequentialDedups += 1
            mark = profile.endSerial(.dedup, since: mark)
          }
        } else {
          tickets.hand(shardCount, to: workerCount, phase: .dedup, profile: profile) { _, shard in
            var unlimited = Int.max
            Self.deduplicate(
              shard: shard, shards: shards, scratch: scratch, pieces: pieces, outputs: outputs, budget: &unlimited)
            return profile == nil ? 0 : pieces.candidateCount(shard: shard)
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
          total += output.newCandidates.count
        }
        let firstIndex = parents.extend(by: total, parents: (currentLevelStart + first)..<(currentLevelStart + batchEnd))
        let firstSlot = next.extend(by: total)
        let log = parents
        let offsets = bases
        if let profile { mark = profile.endSerial(.numberPrep, since: mark) }
        do {
          let states = frontier
          tickets.hand(shardCount, to: workerCount, phase: .number, profile: profile) { worker, shard in
            Self.number(
              shard: shard, owner: scratch[worker], scratch: keeps ? scratch : nil, pieces: pieces, outputs: outputs,
              frontier: states, levelStart: currentLevelStart, log: log, firstIndex: firstIndex + offsets[shard],
              next: next, firstSlot: firstSlot + offsets[shard])
            return outputs[shard].newCandidates.count
          }
        }
        if let profile { mark = profile.endParallel(.number, since: mark, workers: workerCount) }
        if mayKeepSuccessors { keepsSuccessors = Shard.needsStates || (candidates > 0 && 10 * total >= 9 * candidates) }
        lastRate = Double(total) / Double(batchEnd - first)
        if first == 0 { firstBatchRate = lastRate }
        if maySkipVisited {
          let duplicates = scratch.reduce(0) { $0 + $1.generated } - generatedBefore - total
          skipsVisited = duplicates >= batchEnd - first
        }
        for output in outputs {
          if let inconsistency = output.inconsistency, internalError == nil {
            internalError = inconsistency
            stopped = true
          }
          for (index, ordinal) in output.wideOrdinals { parents.setWideOrdinal(ordinal, at: index) }
          for slot in output.keptDistinct.indices where output.keptDistinct[slot] > 0 {
            scratch[slot / output.keptKindCount].distinctCounts.add(output.keptDistinct[slot], toKind: slot % output.keptKindCount)
            output.keptDistinct[slot] = 0
          }
          batchViolations += output.violations
          output.clear()
        }
        if !batchViolations.isEmpty {
          batchViolations.sort { $0.key < $1.key }
          for found in batchViolations {
            report(found.violation)
            if stopped { break }
          }
        }
        if sequential && remaining <= 0 && candidates > 0 && storedCount >= maxStates {
          if hasUnstoredCandidate(shards: shards, scratch: scratch, pieces: pieces) {
            stopForBound("the state bound (--max-states \(maxStates)) was reached")
          }
        }
        if memoryGauge != nil {
          let own = visited.bytes + parents.bytes + frontier.bytes + next.bytes + scratch.reduce(0) { $0 + $1.bytes }
          stopIfOverMemoryLimit(own: own)
        }
        batchStart = batchEnd
        // The batch's states are no longer needed (its candidates are deduplicated): their
        // chunks go back to the pool, where the next level takes them.
        frontier.releaseChunks(before: batchEnd)
        if !preparesChunks { pool.trim() }
        reportProgressIfDue(queued: frontier.count - batchStart + next.count, generatedSoFar: scratch.reduce(generated) { $0 + $1.generated })
        if let profile { mark = profile.endSerial(.settle, since: mark) }
      }
      levelStart += frontier.count
      frontier = next
      if !preparesChunks { pool.trim() }
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
      coverage.merge(worker.countedCoverage)
    }
    if let profile {
      PhaseProfile.printToStandardError(profile.report(spec: spec.name, distinct: visited.count))
    }
  }

  /// Inserts the candidates of one shard, in batch order, and records which ones were new (their
  /// positions, in `outputs[shard]`).
  @inlinable
  static func deduplicate<Shard>(
    shard: Int, shards: [Shard], scratch: [WorkerScratch<S>], pieces: BatchPieces, outputs: [ShardOutput<S>],
    budget: inout Int
  ) where Visited == ShardedVisitedSet<Shard> {
    let table = shards[shard]
    let output = outputs[shard]
    let shardBits = ShardedVisitedSet<Shard>.shardBits(shard)
    let keepsStates = scratch[0].keepsStates
    let lookahead = 8
    // Candidates count through the pieces' segments for this shard, one after the other.
    var segmentStart = 0
    for piece in 0..<pieces.count {
      let segment = pieces.segment(piece, shard: shard)
      let candidates = pieces.bucket(piece, shard: shard).base + segment.lowerBound
      let count = segment.count
      // Read once per segment (a buffer: no reference count written for every candidate).
      let storedForms = keepsStates ? scratch[pieces.owner(of: piece)].storedForms?.buffers[shard] : nil
      let firstForm = segment.lowerBound
      for position in 0..<min(lookahead, count) {
        table.prefetch(fingerprint: candidates[position].fingerprint(shardBits: shardBits))
      }
      for position in 0..<count {
        if position + lookahead < count {
          table.prefetch(fingerprint: candidates[position + lookahead].fingerprint(shardBits: shardBits))
        }
        let fingerprint = candidates[position].fingerprint(shardBits: shardBits)
        if budget <= 0 { return }
        let isNew = table.insert(fingerprint: fingerprint) { storedForms.unsafelyUnwrapped[firstForm + position] }
        guard isNew else { continue }
        budget -= 1
        output.newCandidates.append(UInt32(segmentStart + position))
      }
      segmentStart += count
    }
  }

  /// Puts the new states of one shard, which deduplication recorded as candidate positions,
  /// straight into their slots of the next level, writes their parent-log entries and checks
  /// them with `owner`'s expander, counting their coverage in `owner`. The shard's new states
  /// take the indices from `firstIndex` and the slots from `firstSlot` on, in order.
  ///
  /// With `scratch` (the batch kept its successors), each new state is the successor its
  /// candidate's worker kept; without, it is rebuilt from its parent.
  @inlinable
  static func number<Shard>(
    shard: Int, owner: WorkerScratch<S>, scratch: [WorkerScratch<S>]?, pieces: BatchPieces,
    outputs: [ShardOutput<S>], frontier: ChunkedStorage<S.State>, levelStart: Int, log: ParentLog,
    firstIndex: Int, next: ChunkedStorage<S.State>, firstSlot: Int
  ) where Visited == ShardedVisitedSet<Shard> {
    let expander = owner.expander
    let output = outputs[shard]
    let shardBits = ShardedVisitedSet<Shard>.shardBits(shard)
    var cursor = CandidateCursor(pieces: pieces, shard: shard)
    var ahead = CandidateCursor(pieces: pieces, shard: shard)
    let lookahead = 4
    let count = output.newCandidates.count
    if !_isPOD(S.State.self), let scratch, count > 0 {
      let kinds = scratch.reduce(0) { max($0, $1.coverage.names.count) }
      if output.keptKindCount != kinds {
        output.keptKindCount = kinds
        output.keptDistinct = Array(repeating: 0, count: scratch.count * kinds)
      }
    }
    for rank in 0..<count {
      let position = Int(output.newCandidates[rank])
      let index = firstIndex + rank
      let parentIndex: Int, ordinal: Int, state: S.State
      if !_isPOD(S.State.self), let scratch {
        parentIndex = cursor.seek(position).parent
        let keeper = pieces.owner(of: cursor.piece)
        let bucketPosition = cursor.bucketPosition(of: position)
        let kept = scratch[keeper].keptActions.unsafelyUnwrapped.buffers[shard][bucketPosition]
        state = scratch[keeper].keptSuccessors.unsafelyUnwrapped.buffers[shard][bucketPosition]
        ordinal = kept.ordinal
        // The kind is the keeper's: kinds found as actions come differ between workers.
        output.keptDistinct[keeper * output.keptKindCount + kept.kind] &+= 1
      } else {
        // Parents lie anywhere in the batch: start loading the one needed a few states on.
        if rank + lookahead < count {
          let (_, later) = ahead.seek(Int(output.newCandidates[rank + lookahead]))
          frontier.prefetch(later - levelStart)
        }
        let candidate: Candidate
        (candidate, parentIndex) = cursor.seek(position)
        let parent = frontier[parentIndex - levelStart]
        guard let (rebuiltOrdinal, action, rebuiltState) = expander.rebuild(candidate, from: parent, fingerprint: candidate.fingerprint(shardBits: shardBits))
        else {
          if output.inconsistency == nil {
            output.inconsistency =
              "\(expander.spec.name): a successor rebuilt from its parent differs from the one generated; "
              + "forEachEnabledAction and apply must give the same result every time"
          }
          // Every reserved slot is written; the search stops at the end of the batch.
          _ = log.set(index, parent: parentIndex, ordinal: 0)
          next.initialize(at: firstSlot + rank, to: parent)
          continue
        }
        ordinal = rebuiltOrdinal
        state = rebuiltState
        owner.distinctCounts.increment(owner.coverage.kind(of: action, in: expander.spec))
      }
      if !log.set(index, parent: parentIndex, ordinal: ordinal) { output.wideOrdinals.append((index, ordinal)) }
      next.initialize(at: firstSlot + rank, to: state)
      expander.collectFailures(
        of: state, at: .stored(index: index), key: ViolationKey(parent: parentIndex, ordinal: ordinal),
        into: &output.violations)
    }
  }

  /// Whether some candidate of the batch is still not stored (the state bound cut it off).
  @inlinable
  func hasUnstoredCandidate<Shard>(shards: [Shard], scratch: [WorkerScratch<S>], pieces: BatchPieces) -> Bool
  where Visited == ShardedVisitedSet<Shard> {
    for piece in 0..<pieces.count {
      let worker = scratch[pieces.owner(of: piece)]
      for shard in 0..<pieces.shardCount {
        let shardBits = ShardedVisitedSet<Shard>.shardBits(shard)
        for position in pieces.segment(piece, shard: shard) {
          let candidate = worker.buckets.buffers[shard][position]
          let fingerprint = candidate.fingerprint(shardBits: shardBits)
          let known = shards[shard].contains(fingerprint: fingerprint) { worker.storedForms.unsafelyUnwrapped.buffers[shard][position] }
          if !known { return true }
        }
      }
    }
    return false
  }
}

/// Hands out work items 0, 1, 2, ... to the threads that ask, each item once.
@usableFromInline
final class WorkTickets: Sendable {
  @usableFromInline let next = Atomic<Int>(0)

  @inlinable init() {}

  /// Starts again from item 0; call it before the threads start.
  @inlinable func reset() { next.store(0, ordering: .relaxed) }

  /// The next item not yet taken (past the last one when all are taken).
  @inlinable func take() -> Int { next.wrappingAdd(1, ordering: .relaxed).oldValue }

  /// Runs `body(worker, item)` for the items `0..<count` on `workers` threads, each item once,
  /// handed to whichever thread is free; with a profile and a phase, records each worker's time
  /// in `phase` and the sum of what `body` returned (the states or candidates it went through).
  @inlinable
  func hand(
    _ count: Int, to workers: Int, phase: PhaseProfile.Phase? = nil, profile: PhaseProfile? = nil,
    _ body: @Sendable (_ worker: Int, _ item: Int) -> Int
  ) {
    reset()
    DispatchQueue.concurrentPerform(iterations: workers) { worker in
      let begin = profile == nil ? 0 : PhaseProfile.now()
      var items = 0
      while true {
        let item = take()
        guard item < count else { break }
        items += body(worker, item)
      }
      if let profile, let phase { profile.record(phase, worker: worker, from: begin, items: items) }
    }
  }
}
