/// How a model-checking run explores the state space.
public struct CheckOptions: Sendable {
  /// The order in which states are expanded.
  public enum Strategy: String, Sendable, CaseIterable {
    /// Breadth-first: level by level; counterexamples are shortest.
    case breadthFirst = "bfs"
    /// Depth-first: follows one path to its end before backtracking.
    case depthFirst = "dfs"
  }

  /// The order of exploration; breadth-first by default.
  public var strategy: Strategy = .breadthFirst
  /// States at this depth (the initial states are depth 1) are stored but not expanded.
  public var maxDepth: Int? = nil
  /// The search stops, inconclusive, once this many distinct states are stored.
  public var maxStates: Int? = nil
  /// Stop at the first violation (default), or explore everything and report each violated
  /// property once.
  public var stopAtFirstViolation = true
  /// Report a reachable state with no enabled action that the spec does not declare terminal.
  public var checkDeadlock = true
  /// Store full states instead of fingerprints: no collisions, more memory.
  public var exact = false
  /// Identify states up to the spec's symmetry (``Specification/canonicalForm(of:)``), as TLC's
  /// `SYMMETRY` does: one state per symmetry class is stored and expanded.
  public var symmetry = false
  /// Threads for breadth-first search; all cores by default. The counts, the depth and the
  /// counterexample do not depend on it.
  public var workers: Int = CheckOptions.defaultWorkers
  /// Stop, inconclusive, once the search holds more bytes: the larger of its own figure
  /// (visited set, parent log, queued states, buckets) and what the process has allocated since
  /// the search began, which counts what states hold on the heap too. Checked after each
  /// breadth-first batch, and every 256 states a depth-first search expands.
  public var memoryLimit: Int? = nil
  /// Seconds between progress reports.
  public var progressInterval: Double = 5
  /// Called about every ``progressInterval`` seconds during long runs.
  public var progress: (@Sendable (Progress) -> Void)? = nil

  /// The number of active processor cores (lowered by a Linux control group's CPU quota or CPU
  /// set, where one is set).
  public static var defaultWorkers: Int { processorCount }

  /// Options with the defaults: BFS, no bounds, stop at the first violation, deadlocks checked.
  public init(
    strategy: Strategy = .breadthFirst,
    maxDepth: Int? = nil,
    maxStates: Int? = nil,
    stopAtFirstViolation: Bool = true,
    checkDeadlock: Bool = true,
    exact: Bool = false,
    workers: Int = CheckOptions.defaultWorkers,
    memoryLimit: Int? = nil
  ) {
    self.workers = workers
    self.memoryLimit = memoryLimit
    self.strategy = strategy
    self.maxDepth = maxDepth
    self.maxStates = maxStates
    self.stopAtFirstViolation = stopAtFirstViolation
    self.checkDeadlock = checkDeadlock
    self.exact = exact
  }

  /// A snapshot of a running search.
  public struct Progress: Sendable {
    /// Distinct states stored so far.
    public var distinctStates: Int
    /// Successors generated so far.
    public var generatedStates: Int
    /// States waiting to be expanded.
    public var queued: Int
    /// The current depth.
    public var depth: Int
    /// Seconds since the search started.
    public var seconds: Double

    /// Creates a snapshot.
    @inlinable
    public init(distinctStates: Int, generatedStates: Int, queued: Int, depth: Int, seconds: Double) {
      self.distinctStates = distinctStates
      self.generatedStates = generatedStates
      self.queued = queued
      self.depth = depth
      self.seconds = seconds
    }
    /// Distinct states per second so far.
    public var statesPerSecond: Double { seconds > 0 ? Double(distinctStates) / seconds : 0 }
  }
}
