import Interleave

/// Peterson's filter lock for N processes (Herlihy and Shavit, *The Art of Multiprocessor
/// Programming*, 2.4): the mutual-exclusion benchmark model.
///
/// To enter, a process climbs levels 1 to N-1; at each level it announces itself
/// (`level[i] = l`), makes itself the victim (`victim[l] = i`), and waits until no other process
/// is at its level or above, or it is no longer the victim. At most one process is in the
/// critical section. Each step of a process is one action, so the interleavings are those of the
/// algorithm's reads and writes at that granularity.
public struct FilterLock: Specification {
  /// The most processes the packed state holds.
  public static let maxProcesses = 8

  /// Where each process is, its level, and each level's victim, packed.
  public struct State: Hashable, Sendable, Fingerprintable {
    /// Per process, 8 bits: 0 idle; 1 + 3(l-1) + k for step k (0 announce, 1 victim, 2 wait) of
    /// level l; 255 critical.
    public var pcs: UInt64 = 0
    /// Per process, 4 bits: its level.
    public var levels: UInt32 = 0
    /// Per level, 4 bits: the victim.
    public var victims: UInt32 = 0

    @inlinable func nibble(_ word: UInt32, _ index: Int) -> Int { Int((word >> UInt32(4 * index)) & 15) }
    @inlinable static func setting(_ word: UInt32, _ index: Int, _ value: Int) -> UInt32 {
      let shift = UInt32(4 * index)
      return (word & ~(15 << shift)) | (UInt32(value) << shift)
    }

    @inlinable public func pc(_ process: Int) -> Int { Int((pcs >> UInt64(8 * process)) & 255) }
    @inlinable static func settingPC(_ word: UInt64, _ index: Int, _ value: Int) -> UInt64 {
      let shift = UInt64(8 * index)
      return (word & ~(255 << shift)) | (UInt64(value) << shift)
    }
    @inlinable public func level(_ process: Int) -> Int { nibble(levels, process) }
    @inlinable public func victim(_ level: Int) -> Int { nibble(victims, level) }

    @inlinable
    public func fingerprint(into f: inout Fingerprinter) {
      f.combine(pcs)
      f.combine(UInt64(levels) | UInt64(victims) << 32)
    }
  }

  /// Process `process` takes its next step.
  public enum Action: Hashable, Sendable {
    case step(process: Int)
  }

  public static let critical = 255
  public let processes: Int
  public var name: String { "FilterLock" }

  /// Creates the spec for `processes` processes (2 to 8).
  public init(processes: Int = 3) {
    precondition((2...FilterLock.maxProcesses).contains(processes))
    self.processes = processes
  }

  public var initialStates: [State] { [State()] }

  @inlinable
  public func forEachEnabledAction(in s: State, _ body: (Action) -> Void) {
    for i in 0..<processes {
      let pc = s.pc(i)
      if pc != 0 && pc != FilterLock.critical && (pc - 1) % 3 == 2 {
        // Waiting at level l: others all below l, or i is no longer the victim.
        let l = (pc - 1) / 3 + 1
        var blocked = s.victim(l) == i
        if blocked {
          blocked = false
          for k in 0..<processes where k != i && s.level(k) >= l {
            blocked = true
            break
          }
        }
        if blocked { continue }
      }
      body(.step(process: i))
    }
  }

  @inlinable
  public func apply(_ action: Action, to s: inout State) {
    guard case .step(let i) = action else { return }
    let pc = s.pc(i)
    if pc == 0 {
      s.pcs = State.settingPC(s.pcs, i, 1)
    } else if pc == FilterLock.critical {
      s.levels = State.setting(s.levels, i, 0)
      s.pcs = State.settingPC(s.pcs, i, 0)
    } else {
      let l = (pc - 1) / 3 + 1
      switch (pc - 1) % 3 {
      case 0: s.levels = State.setting(s.levels, i, l)
      case 1: s.victims = State.setting(s.victims, l, i)
      default: break
      }
      let next = pc == 3 * (processes - 1) ? FilterLock.critical : pc + 1
      s.pcs = State.settingPC(s.pcs, i, next)
    }
  }

  public var invariants: [Invariant<State>] {
    let n = processes
    return [
      Invariant("mutual exclusion") { s in
        (0..<n).filter { s.pc($0) == FilterLock.critical }.count <= 1
      }
    ]
  }

  public func render(_ s: State) -> JSONValue {
    let phases = ["announce", "victim", "wait"]
    return [
      "pc": .array((0..<processes).map { i in
        let pc = s.pc(i)
        if pc == 0 { return "idle" }
        if pc == FilterLock.critical { return "critical" }
        return .string("level \((pc - 1) / 3 + 1) \(phases[(pc - 1) % 3])")
      }),
      "level": .array((0..<processes).map { .int(s.level($0)) }),
      "victim": .array((1..<processes).map { .int(s.victim($0)) }),
    ]
  }

  public let actionKinds = ["step"]
  @inlinable public func actionKind(of action: Action) -> Int { 0 }
}
