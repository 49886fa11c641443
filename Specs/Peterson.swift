import Interleave

/// Peterson's mutual exclusion for two processes, on the readable path.
///
/// Each process raises its flag, gives the turn away, and enters only when the other's flag is
/// down or the turn is its own. Mutual exclusion holds, and every state has a successor.
public enum Peterson {
  /// Where a process is.
  public enum Location: UInt8, Hashable, Sendable, Fingerprintable, JSONRenderable {
    case idle, flagged, waiting, critical
    public var jsonValue: JSONValue { .string(["idle", "flagged", "waiting", "critical"][Int(rawValue)]) }
  }

  /// The two processes' flags and locations, and whose turn it is.
  public struct State: Hashable, Sendable, Fingerprintable {
    public var flag = [false, false]
    public var pc: [Location] = [.idle, .idle]
    public var turn = 0
    public func fingerprint(into f: inout Fingerprinter) {
      f.combine(flag)
      f.combine(pc)
      f.combine(turn)
    }
  }

  /// The spec.
  public static func spec() -> Spec<State> {
    Spec("Peterson", initial: State()) {
      for i in 0..<2 {
        let j = 1 - i
        Rule("raiseFlag", ["process": i], requires: { $0.pc[i] == .idle }) { s in
          s.flag[i] = true
          s.pc[i] = .flagged
        }
        Rule("giveTurn", ["process": i], requires: { $0.pc[i] == .flagged }) { s in
          s.turn = j
          s.pc[i] = .waiting
        }
        Rule("enter", ["process": i]) { s in s.pc[i] = .critical }
          .requires("waiting") { $0.pc[i] == .waiting }
          .requires("other not interested or my turn") { !$0.flag[j] || $0.turn == i }
          .ensures("the other is outside") { _, new in new.pc[j] != .critical }
        Rule("leave", ["process": i], requires: { $0.pc[i] == .critical }) { s in
          s.flag[i] = false
          s.pc[i] = .idle
        }
      }
    } invariants: {
      Invariant("mutual exclusion") { !($0.pc[0] == .critical && $0.pc[1] == .critical) }
    }
  }
}
