import Interleave
import Testing

/// Checks `spec` to the end (no stop at a violation) breadth-first, depth-first and with exact
/// `Set<State>` storage, expects the same verdict and the same distinct and generated counts from
/// all three, and returns the breadth-first result.
@discardableResult
func expectSearchesAgree<S: Specification>(
  _ spec: S, _ comment: Comment? = nil, sourceLocation: SourceLocation = #_sourceLocation
) -> CheckResult<S> {
  let all = CheckOptions(stopAtFirstViolation: false)
  var depthFirst = all
  depthFirst.strategy = .depthFirst
  var exact = all
  exact.exact = true
  let bfs = spec.check(all), dfs = spec.check(depthFirst), exactResult = spec.check(exact)
  for other in [dfs, exactResult] {
    #expect(other.distinctStates == bfs.distinctStates, comment, sourceLocation: sourceLocation)
    #expect(other.generatedStates == bfs.generatedStates, comment, sourceLocation: sourceLocation)
    #expect(other.verdict == bfs.verdict, comment, sourceLocation: sourceLocation)
  }
  return bfs
}
