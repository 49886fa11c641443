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
    while let top = stack.popLast(), !stopped {
      if let maxDepth = options.maxDepth, top.depth >= maxDepth {
        // Other branches may still finish: keep exploring, but remember the bound.
        if inconclusiveReason == nil {
          inconclusiveReason = "the depth bound (--max-depth \(maxDepth)) was reached"
        }
        continue
      }
      children.removeAll(keepingCapacity: true)
      expand(top.state, index: top.index) { state, index in children.append((state, index)) }
      if !children.isEmpty { depth = max(depth, top.depth + 1) }
      for child in children.reversed() { stack.append((child.0, child.1, top.depth + 1)) }
      expansions &+= 1
      if expansions & 1023 == 0 { reportProgressIfDue(queued: stack.count) }
    }
  }
}
