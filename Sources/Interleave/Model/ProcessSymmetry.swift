/// Symmetry reduction derived from ``DistributedSystem/interchangeableProcesses``.
extension SystemSpec {
  /// The representative of `state`'s symmetry class: of all the states obtained by permuting
  /// the processes within each interchangeable group (and renaming them in messages and data),
  /// the one with the smallest fingerprint.
  ///
  /// Every member of a class has the same set of permuted states, so every member gets the same
  /// representative: the reduction is exact (TLC's `SYMMETRY`), not a heuristic that only sorts
  /// process states. Only the permutations that order each group by the processes' local
  /// signatures are tried (see docs/architecture.md): the cost is the
  /// factorial of the ties, not of the group.
  public func canonicalForm(of state: State) -> State {
    let groups = system.interchangeableProcesses.filter { $0.count > 1 }
    if groups.isEmpty { return state }
    // The state itself is not necessarily a candidate: start from the first one.
    var best = state
    var bestFingerprint = UInt64.max
    var first = true
    forEachOrderingPermutation(of: groups, in: state) { renaming in
      let candidate = renamed(state, by: renaming)
      let candidateFingerprint = fingerprint(of: candidate)
      if first || candidateFingerprint < bestFingerprint {
        first = false
        best = candidate
        bestFingerprint = candidateFingerprint
      }
    }
    return best
  }

  /// A process's signature: what the state says about it, in terms that do not change when its
  /// group is permuted. Every mention of the process becomes one placeholder and every other
  /// member of its group another; then its own local state, the other members' local states
  /// (as a multiset), the processes outside the group, the messages in flight (as a multiset)
  /// and the shared stores are fingerprinted.
  func signature(of process: ProcessID, in state: State, group: [Int]) -> UInt64 {
    var mark = Array(0..<system.processes.count)
    for member in group { mark[member] = member == process.index ? group[0] : group[1] }
    let marking = ProcessRenaming(target: mark)
    func local(_ id: ProcessID) -> UInt64 {
      var f = Fingerprinter()
      let local = state[id]
      local.status.fingerprint(into: &f)
      ReflectiveFingerprint.combine(component: system.renamedDurable(local.durable, by: marking), into: &f)
      ReflectiveFingerprint.combine(component: system.renamedVolatile(local.volatile, by: marking), into: &f)
      f.combine(UInt64(local.timers.count))
      for timer in local.timers { ReflectiveFingerprint.combine(component: timer.timer, into: &f) }
      return f.finalize()
    }
    var f = Fingerprinter()
    f.combine(local(process))
    var others: UInt64 = 0
    for member in group where member != process.index { others &+= local(ProcessID(member)) }
    f.combine(others)
    for outsider in system.processIDs where !group.contains(outsider.index) { f.combine(local(outsider)) }
    var messages: UInt64 = 0
    for entry in state.network.entries {
      var m = Fingerprinter()
      m.combine(marking(entry.envelope.from))
      m.combine(marking(entry.envelope.to))
      ReflectiveFingerprint.combine(component: system.renamedMessage(entry.envelope.message, by: marking), into: &m)
      m.combine(entry.count)
      messages &+= m.finalize()
    }
    f.combine(messages)
    ReflectiveFingerprint.combine(component: system.renamedShared(state.shared, by: marking), into: &f)
    return f.finalize()
  }

  /// Calls `body` with the renamings that put each group's processes in the order of their
  /// signatures (every order among processes with equal signatures).
  ///
  /// Signatures do not change under permutations of the group, so the permutations of any
  /// member of a symmetry class lead to the same set of states: the smallest fingerprint among
  /// them is still the same for the whole class (exact), at the cost of the ties only instead of
  /// n! per state.
  func forEachOrderingPermutation(of groups: [[ProcessID]], in state: State, _ body: (ProcessRenaming) -> Void) {
    let count = system.processes.count
    // Each group's members sorted by signature, split into runs of equal signatures.
    var runs: [(slots: [Int], members: [Int])] = []
    for group in groups {
      let slots = group.map(\.index).sorted()
      let ordered = slots.map { (member: $0, signature: signature(of: ProcessID($0), in: state, group: slots)) }
        .sorted { ($0.signature, $0.member) < ($1.signature, $1.member) }
      var start = 0
      while start < ordered.count {
        var end = start + 1
        while end < ordered.count, ordered[end].signature == ordered[start].signature { end += 1 }
        runs.append((slots: Array(slots[start..<end]), members: ordered[start..<end].map(\.member)))
        start = end
      }
    }
    var target = Array(0..<count)
    func assign(run index: Int) {
      if index == runs.count {
        body(ProcessRenaming(target: target))
        return
      }
      let run = runs[index]
      var order = run.members
      func heap(_ k: Int) {
        if k <= 1 {
          for (slot, member) in zip(run.slots, order) { target[member] = slot }
          assign(run: index + 1)
          return
        }
        heap(k - 1)
        for i in 0..<(k - 1) {
          if k % 2 == 0 { order.swapAt(i, k - 1) } else { order.swapAt(0, k - 1) }
          heap(k - 1)
        }
      }
      heap(order.count)
    }
    assign(run: 0)
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
}
