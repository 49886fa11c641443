/// Symmetry reduction derived from ``DistributedSystem/system.interchangeableProcesses``.
extension SystemSpec {
  /// The representative of `state`'s symmetry class: of all the states obtained by permuting
  /// the processes within each interchangeable group (and renaming them in messages and data),
  /// the one with the smallest fingerprint.
  ///
  /// Every member of a class has the same set of permuted states, so every member gets the same
  /// representative: the reduction is exact (TLC's `SYMMETRY`), not a heuristic that only sorts
  /// process states. The cost is one renamed state per permutation (n! for a group of n).
  public func canonicalForm(of state: State) -> State {
    let groups = system.interchangeableProcesses.filter { $0.count > 1 }
    if groups.isEmpty { return state }
    var best = state
    var bestFingerprint = fingerprint(of: state)
    forEachPermutation(of: groups, processCount: system.processes.count) { renaming in
      let candidate = renamed(state, by: renaming)
      let candidateFingerprint = fingerprint(of: candidate)
      if candidateFingerprint < bestFingerprint {
        best = candidate
        bestFingerprint = candidateFingerprint
      }
    }
    return best
  }

  /// `state` with every process moved to its new id, and ids in messages and data renamed.
  public func renamed(_ state: State, by renaming: ProcessRenaming) -> State {
    var result = state
    for process in system.processIDs {
      var local = state[process]
      local.durable = system.renamedDurable(local.durable, by: renaming)
      local.volatile = system.renamedVolatile(local.volatile, by: renaming)
      result[renaming(process)] = local
    }
    result.network = state.network.renamed(renaming) { system.renamedMessage($0, by: renaming) }
    result.shared = system.renamedShared(state.shared, by: renaming)
    return result
  }

  /// Calls `body` with every renaming that permutes processes within their groups (the
  /// identity included).
  func forEachPermutation(of groups: [[ProcessID]], processCount: Int, _ body: (ProcessRenaming) -> Void) {
    var target = Array(0..<processCount)
    func permute(group: Int) {
      if group == groups.count {
        body(ProcessRenaming(target: target))
        return
      }
      let members = groups[group].map(\.index)
      var order = members
      // Heap's algorithm over the group's members.
      func heap(_ k: Int) {
        if k <= 1 {
          for (slot, member) in members.enumerated() { target[member] = order[slot] }
          permute(group: group + 1)
          return
        }
        heap(k - 1)
        for i in 0..<(k - 1) {
          if k % 2 == 0 { order.swapAt(i, k - 1) } else { order.swapAt(0, k - 1) }
          heap(k - 1)
        }
      }
      heap(members.count)
      for member in members { target[member] = member }
    }
    permute(group: 0)
  }
}
