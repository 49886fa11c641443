import Interleave

/// Chang and Roberts' leader election on a unidirectional ring of N processes with FIFO
/// channels: the message-passing benchmark model.
///
/// Every ordering of the ids around the ring is an initial state. Each process sends its id to
/// its successor; a process forwards an id larger than its own, drops a smaller one, and becomes
/// leader when its own id comes back. The invariant: at most one leader, and it holds the largest
/// id. With the `forwardSmaller` bug a process forwards smaller ids too, so a smaller id can come
/// home and make a second leader. A full channel drops what is sent to it, which keeps the buggy
/// variant finite; the correct one never fills a channel.
public struct LeaderElection: Specification {
  /// The most processes the packed state holds.
  public static let maxProcesses = 8

  /// Ids, roles and channels, packed: channel `p` holds the ids on their way to process `p`.
  public struct State: Hashable, Sendable, Fingerprintable {
    /// Process p's id in bits 3p...3p+2.
    public var ids: UInt32 = 0
    /// Per process, 2 bits: 0 not started, 1 started, 2 relaying (saw a larger id), 3 leader.
    public var roles: UInt32 = 0
    /// Per channel, 4 bits: the number of ids in it.
    public var counts: UInt32 = 0
    /// Per channel, up to 8 ids of 3 bits, oldest in the lowest bits.
    public var channels = SIMD8<UInt32>()

    @inlinable public func id(_ p: Int) -> Int { Int((ids >> UInt32(3 * p)) & 7) }
    @inlinable public func role(_ p: Int) -> Int { Int((roles >> UInt32(2 * p)) & 3) }
    @inlinable public func count(_ p: Int) -> Int { Int((counts >> UInt32(4 * p)) & 15) }

    @inlinable mutating func setRole(_ p: Int, _ role: Int) {
      roles = (roles & ~(3 << UInt32(2 * p))) | (UInt32(role) << UInt32(2 * p))
    }

    @inlinable mutating func push(_ id: Int, to p: Int) {
      channels[p] |= UInt32(id) << UInt32(3 * count(p))
      counts += 1 << UInt32(4 * p)
    }

    @inlinable mutating func pop(_ p: Int) -> Int {
      let id = Int(channels[p] & 7)
      channels[p] >>= 3
      counts -= 1 << UInt32(4 * p)
      return id
    }

    @inlinable
    public func fingerprint(into f: inout Fingerprinter) {
      f.combine(UInt64(ids) | UInt64(roles) << 32)
      f.combine(UInt64(counts) | UInt64(channels[0]) << 32)
      for p in 1..<8 where channels[p] != 0 { f.combine(UInt64(channels[p]) | UInt64(p) << 32) }
    }
  }

  /// A process starts (sends its id) or takes the oldest id from its channel.
  public enum Action: Hashable, Sendable {
    case start(process: Int)
    case receive(process: Int)
  }

  public let processes: Int
  public let forwardSmaller: Bool
  public var name: String { "LeaderElection" }

  /// Creates the spec for `processes` processes (2 to 8); `forwardSmaller` is the bug.
  public init(processes: Int = 4, forwardSmaller: Bool = false) {
    precondition((2...LeaderElection.maxProcesses).contains(processes))
    self.processes = processes
    self.forwardSmaller = forwardSmaller
  }

  /// One initial state per arrangement of the ids around the ring, with process 0 holding id 0
  /// (rotations of a ring are the same election).
  public var initialStates: [State] {
    var states: [State] = []
    func arrange(_ prefix: [Int], _ rest: [Int]) {
      if rest.isEmpty {
        var s = State()
        for (p, id) in prefix.enumerated() { s.ids |= UInt32(id) << UInt32(3 * p) }
        states.append(s)
        return
      }
      for (i, id) in rest.enumerated() {
        var remaining = rest
        remaining.remove(at: i)
        arrange(prefix + [id], remaining)
      }
    }
    arrange([0], Array(1..<processes))
    return states
  }

  @inlinable
  public func forEachEnabledAction(in s: State, _ body: (Action) -> Void) {
    for p in 0..<processes {
      if s.role(p) == 0 { body(.start(process: p)) }
      if s.count(p) > 0 { body(.receive(process: p)) }
    }
  }

  @inlinable
  public func apply(_ action: Action, to s: inout State) {
    switch action {
    case .start(let p):
      s.setRole(p, 1)
      s.push(s.id(p), to: (p + 1) % processes)
    case .receive(let p):
      let id = s.pop(p)
      let own = s.id(p)
      if id == own {
        s.setRole(p, 3)
      } else if id > own || forwardSmaller {
        if id > own && s.role(p) != 3 { s.setRole(p, 2) }
        if s.count((p + 1) % processes) < processes { s.push(id, to: (p + 1) % processes) }
      }
    }
  }

  public var invariants: [Invariant<State>] {
    let n = processes
    return [
      Invariant("one leader, the largest id") { s in
        let leaders = (0..<n).filter { s.role($0) == 3 }
        return leaders.isEmpty || (leaders.count == 1 && s.id(leaders[0]) == n - 1)
      }
    ]
  }

  /// Every process started and every channel is empty.
  public func isTerminal(_ s: State) -> Bool { s.counts == 0 && (0..<processes).allSatisfy { s.role($0) != 0 } }

  public func render(_ s: State) -> JSONValue {
    let roles = ["idle", "started", "relaying", "leader"]
    return [
      "id": .array((0..<processes).map { .int(s.id($0)) }),
      "role": .array((0..<processes).map { .string(roles[s.role($0)]) }),
      "channel": .array((0..<processes).map { p in .array((0..<s.count(p)).map { .int(Int((s.channels[p] >> UInt32(3 * $0)) & 7)) }) }),
    ]
  }

  public let actionKinds = ["start", "receive"]

  @inlinable
  public func actionKind(of action: Action) -> Int {
    if case .start = action { return 0 }
    return 1
  }
}
