import Dispatch

/// Where a violation happened, in terms the parent log can turn back into a trace.
@usableFromInline
enum TraceLocation: Sendable {
  /// `initialStates[position]`, which was not stored (outside the constraint).
  case initial(position: Int)
  /// The stored state with this index.
  case stored(index: Int)
  /// The successor reached from stored state `parent` by its `ordinal`-th enabled action.
  case successor(parent: Int, ordinal: Int)
}

/// A violation as the search records it, before its trace is rebuilt.
@usableFromInline
struct FoundViolation: Sendable {
  @usableFromInline var kind: ViolationKind
  @usableFromInline var name: String
  @usableFromInline var message: String?
  @usableFromInline var location: TraceLocation

  @inlinable
  init(kind: ViolationKind, name: String, message: String? = nil, location: TraceLocation) {
    self.kind = kind
    self.name = name
    self.message = message
    self.location = location
  }
}

/// The state of one search shared by every strategy: the visited set, the parent log, the
/// counters and the violations found so far.
@usableFromInline
struct SearchContext<S: Specification, Visited: VisitedSet> where Visited.State == S.State {
  @usableFromInline let spec: S
  @usableFromInline let options: CheckOptions
  /// The coordinating thread's expander (initial states, serial phases); workers have their own.
  @usableFromInline let expander: Expander<S>
  @usableFromInline var visited: Visited
  @usableFromInline var parents = ParentLog()
  @usableFromInline var coverage: CoverageCounter<S>
  @usableFromInline var generated = 0
  @usableFromInline var depth = 0
  @usableFromInline var found: [FoundViolation] = []
  @usableFromInline var reported: Set<String> = []
  @usableFromInline var stopped = false
  @usableFromInline var inconclusiveReason: String?
  /// An error inside the search (a spec that is not deterministic), reported with exit 70.
  @usableFromInline var internalError: String?
  @usableFromInline let started = DispatchTime.now().uptimeNanoseconds
  @usableFromInline var nextProgress: UInt64
  @usableFromInline let maxStates: Int
  /// With `--memory`: what the search holds, measured from where it began.
  @usableFromInline var memoryGauge: MemoryGauge?

  @inlinable
  init(spec: S, options: CheckOptions, visited: Visited) {
    self.spec = spec
    self.options = options
    self.expander = Expander(spec: spec, checkDeadlock: options.checkDeadlock)
    self.visited = visited
    self.coverage = CoverageCounter(spec: spec)
    self.maxStates = options.maxStates ?? Int.max
    self.memoryGauge = options.memoryLimit == nil ? nil : MemoryGauge()
    self.nextProgress = started &+ UInt64(options.progressInterval * 1e9)
  }

  @inlinable var elapsed: Double { Double(DispatchTime.now().uptimeNanoseconds &- started) / 1e9 }

  /// Records a violation; stops the search unless it continues, and reports each property once.
  @inlinable
  mutating func report(_ violation: FoundViolation) {
    if options.stopAtFirstViolation {
      found.append(violation)
      stopped = true
    } else if reported.insert("\(violation.kind.rawValue) \(violation.name)").inserted {
      found.append(violation)
    }
  }

  /// Checks every invariant and trace property on `state`, reporting those that fail.
  @inlinable @inline(__always)
  mutating func checkInvariants(_ state: S.State, at location: TraceLocation) {
    var failures: [KeyedViolation] = []
    expander.collectFailures(of: state, at: location, key: ViolationKey(parent: 0, ordinal: 0), into: &failures)
    for failure in failures {
      report(failure.violation)
      if stopped { return }
    }
  }

  /// The number of states stored so far, in O(1): every stored state has its parent-log entry
  /// as soon as it is stored (a breadth-first batch's, before anything asks again), while
  /// `visited.count` adds up 256 shards (asked three times per batch, that was a third of the
  /// parallel search's serial time on TwoPhase rm=9).
  @inlinable
  var storedCount: Int { parents.count }

  /// Adds the initial states; returns those to expand, in order.
  @inlinable
  mutating func addInitialStates() -> [S.State] {
    var roots: [S.State] = []
    for (position, state) in spec.initialStates.enumerated() {
      generated += 1
      guard spec.isWithinConstraint(state) else {
        checkInvariants(state, at: .initial(position: position))
        if stopped { break }
        continue
      }
      let fingerprint = spec.fingerprint(of: state)
      if storedCount >= maxStates {
        if !visited.contains(fingerprint: fingerprint, state: spec.storedForm(of: state)) {
          stopForBound("the state bound (--max-states \(maxStates)) was reached")
          break
        }
        continue
      }
      guard visited.insert(fingerprint: fingerprint, state: spec.storedForm(of: state)) else { continue }
      let index = parents.count
      parents.append(parent: nil, ordinal: position)
      roots.append(state)
      checkInvariants(state, at: .stored(index: index))
      if stopped { break }
    }
    return roots
  }

  @inlinable
  mutating func stopForBound(_ reason: String) {
    if inconclusiveReason == nil { inconclusiveReason = reason }
    stopped = true
  }

  /// Stops the search, inconclusive, if it holds more memory than `--memory` allows, given its
  /// own figure for its data (see ``MemoryGauge``); nothing without `--memory`.
  @inlinable
  mutating func stopIfOverMemoryLimit(own: Int) {
    guard let limit = options.memoryLimit, var gauge = memoryGauge else { return }
    let used = gauge.bytesInUse(own: own)
    memoryGauge = gauge
    if used > limit {
      stopForBound("the memory limit (--memory \(limit / 1_048_576) MiB) was reached with \(used / 1_048_576) MiB in use")
    }
  }

  /// Calls the progress handler if its interval has passed.
  @inlinable
  mutating func reportProgressIfDue(queued: Int, generatedSoFar: Int? = nil) {
    guard let progress = options.progress else { return }
    let now = DispatchTime.now().uptimeNanoseconds
    guard now >= nextProgress else { return }
    nextProgress = now &+ UInt64(options.progressInterval * 1e9)
    progress(
      CheckOptions.Progress(
        distinctStates: visited.count, generatedStates: generatedSoFar ?? generated, queued: queued, depth: depth,
        seconds: elapsed))
  }

  /// Rebuilds the trace of a violation by replaying actions from its initial state.
  @inlinable
  func trace(to location: TraceLocation) -> Counterexample<S>? {
    switch location {
    case .initial(let position):
      return spec.replay(initialPosition: position, actionPositions: [])
    case .stored(let index):
      let path = parents.path(to: index)
      return spec.replay(initialPosition: path.initial, actionPositions: path.actions)
    case .successor(let parent, let ordinal):
      let path = parents.path(to: parent)
      return spec.replay(initialPosition: path.initial, actionPositions: path.actions + [ordinal])
    }
  }

  /// The result of the search so far.
  @inlinable
  func result() -> CheckResult<S> {
    var internalError = self.internalError
    let violations = found.compactMap { found -> Violation<S>? in
      guard let trace = trace(to: found.location) else {
        internalError =
          "\(spec.name): replaying the counterexample for '\(found.name)' failed; "
          + "forEachEnabledAction must enumerate the same actions in the same order every time"
        return nil
      }
      return Violation(kind: found.kind, name: found.name, message: found.message, trace: trace)
    }
    let verdict: Verdict =
      !found.isEmpty ? .violation : (inconclusiveReason != nil ? .inconclusive : .holds)
    let distinct = visited.count
    let collision =
      options.exact ? 0 : Double(distinct) * Double(max(0, generated - distinct)) / 18_446_744_073_709_551_616.0
    return CheckResult(
      verdict: verdict,
      inconclusiveReason: violations.isEmpty ? inconclusiveReason : nil,
      distinctStates: distinct,
      generatedStates: generated,
      depth: depth,
      seconds: elapsed,
      coverage: coverage.report,
      violations: violations,
      collisionProbability: collision,
      visitedBytes: visited.bytes + parents.bytes,
      options: options,
      internalError: internalError)
  }
}
