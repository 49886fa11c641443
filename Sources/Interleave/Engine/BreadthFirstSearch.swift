extension SearchContext {
  /// Breadth-first search, level by level: the first violation found has a shortest trace.
  @inlinable
  mutating func runBreadthFirst() {
    var frontier = addInitialStates()
    var levelStart = 0
    depth = frontier.isEmpty ? 0 : 1
    while !frontier.isEmpty && !stopped {
      if let maxDepth = options.maxDepth, depth >= maxDepth {
        stopForBound("the depth bound (--max-depth \(maxDepth)) was reached")
        break
      }
      var next: [S.State] = []
      next.reserveCapacity(frontier.count)
      for offset in frontier.indices {
        expand(frontier[offset], index: levelStart + offset) { state, _ in next.append(state) }
        if stopped { break }
        if offset & 1023 == 0 { reportProgressIfDue(queued: frontier.count - offset + next.count) }
      }
      levelStart += frontier.count
      frontier = next
      if !frontier.isEmpty && !stopped { depth += 1 }
    }
  }
}
