import Interleave

/// The Die Hard water-jug puzzle (TLA+ Examples, `DieHard/DieHard.tla`), on the readable path.
///
/// With a 3-gallon and a 5-gallon jug, measure exactly 4 gallons. The "invariant" `NotSolved`
/// (big ≠ 4) is meant to fail: its shortest counterexample, 6 steps, is the puzzle's solution.
public enum DieHard {
  /// The two jugs.
  public struct State: Hashable, Sendable, Fingerprintable {
    /// Gallons in the 3-gallon jug.
    public var small = 0
    /// Gallons in the 5-gallon jug.
    public var big = 0
    /// Creates a state; both jugs are empty by default.
    public init(small: Int = 0, big: Int = 0) {
      self.small = small
      self.big = big
    }
    public func fingerprint(into f: inout Fingerprinter) { f.combine(UInt64(small) << 8 | UInt64(big)) }
  }

  /// The spec, with jug sizes as parameters (3 and 5 by default) and the target (4).
  public static func spec(small smallSize: Int = 3, big bigSize: Int = 5, target: Int = 4) -> Spec<State> {
    Spec("DieHard", initial: State()) {
      Rule("FillSmallJug") { $0.small = smallSize }
      Rule("FillBigJug") { $0.big = bigSize }
      Rule("EmptySmallJug") { $0.small = 0 }
      Rule("EmptyBigJug") { $0.big = 0 }
      Rule("SmallToBig") { s in
        let poured = min(s.small, bigSize - s.big)
        s.big += poured
        s.small -= poured
      }
      .ensures("water is conserved") { old, new in old.small + old.big == new.small + new.big }
      Rule("BigToSmall") { s in
        let poured = min(s.big, smallSize - s.small)
        s.small += poured
        s.big -= poured
      }
      .ensures("water is conserved") { old, new in old.small + old.big == new.small + new.big }
    } invariants: {
      Invariant("TypeOK") { (0...smallSize).contains($0.small) && (0...bigSize).contains($0.big) }
      Invariant("NotSolved") { $0.big != target }
    }
  }
}
