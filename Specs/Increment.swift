import Interleave

/// The lost-update race: each thread reads a shared `x`, then writes back what it read plus one.
/// The invariant says that once every thread is done, `x` equals the number of threads; two
/// interleaved read-then-write sequences lose an update, so it fails after 4 steps with 2 threads.
public enum Increment {
  /// Where a thread is.
  public enum Phase: UInt8, Hashable, Sendable, Fingerprintable, JSONRenderable {
    case ready, hasRead, done
    public var jsonValue: JSONValue { .string(["ready", "hasRead", "done"][Int(rawValue)]) }
  }

  /// The shared variable and each thread's phase and local copy.
  public struct State: Hashable, Sendable, Fingerprintable {
    public var x = 0
    public var phase: [Phase]
    public var local: [Int]
    public func fingerprint(into f: inout Fingerprinter) {
      f.combine(x)
      f.combine(phase)
      f.combine(local)
    }
  }

  /// The spec for `threads` threads.
  public static func spec(threads: Int = 2) -> Spec<State> {
    let initial = State(phase: Array(repeating: .ready, count: threads), local: Array(repeating: 0, count: threads))
    return Spec("Increment", initial: initial, terminal: { $0.phase.allSatisfy { $0 == .done } }) {
      for t in 0..<threads {
        Rule("read", ["thread": t + 1], requires: { $0.phase[t] == .ready }) { s in
          s.local[t] = s.x
          s.phase[t] = .hasRead
        }
        Rule("write", ["thread": t + 1], requires: { $0.phase[t] == .hasRead }) { s in
          s.x = s.local[t] + 1
          s.phase[t] = .done
        }
      }
    } invariants: {
      Invariant("all increments counted") { s in !s.phase.allSatisfy { $0 == .done } || s.x == threads }
    }
  }
}
