/// The explicit-state model checker: explores every reachable state of a spec.
///
/// ```swift
/// let result = ModelChecker(TwoPhase(resourceManagers: 3)).run()
/// result.verdict          // .holds
/// result.distinctStates   // 288
/// ```
///
/// The same engine serves specs written with the protocol and with the ``Spec`` builder.
public struct ModelChecker<S: Specification> {
  /// The spec to check.
  public let spec: S
  /// How to explore.
  public var options: CheckOptions

  /// Creates a checker for `spec`.
  @inlinable
  public init(_ spec: S, options: CheckOptions = CheckOptions()) {
    self.spec = spec
    self.options = options
  }

  /// Explores the state space and returns the verdict, the counts and any counterexample.
  @inlinable
  public func run() -> CheckResult<S> {
    if options.symmetry {
      var plain = options
      plain.symmetry = false
      return ModelChecker<SymmetryReduced<S>>(SymmetryReduced(spec), options: plain).run().relabeled(as: S.self)
    }
    if options.exact {
      return run(visited: ShardedVisitedSet<ExactShard<S.State>>())
    }
    return run(visited: ShardedVisitedSet<FingerprintShard<S.State>>())
  }

  /// Explores with a given visited set.
  @inlinable
  public func run<Shard: VisitedShard>(visited: ShardedVisitedSet<Shard>) -> CheckResult<S> where Shard.State == S.State {
    var context = SearchContext(spec: spec, options: options, visited: visited)
    switch options.strategy {
    case .breadthFirst: context.runParallelBreadthFirst(workers: options.workers)
    case .depthFirst: context.runDepthFirst()
    }
    return context.result()
  }
}

extension Specification {
  /// Model-checks the spec with `options` and returns the result.
  @inlinable
  public func check(_ options: CheckOptions = CheckOptions()) -> CheckResult<Self> {
    ModelChecker(self, options: options).run()
  }
}
