/// A deterministic 64-bit hash function for state fingerprints.
///
/// Unlike Swift's `Hasher`, which is seeded once per process, a `Fingerprinter` gives the same
/// value for the same input in every run, on every machine. The model checker stores only these
/// fingerprints for each visited state, so two runs of the same spec visit the same states in
/// the same order and report the same counts.
///
/// Each word is absorbed with one multiplication (a bijection on the running value), and
/// ``finalize()`` applies a full avalanche, so fingerprints of structured inputs such as small
/// integers are spread over all 64 bits.
@frozen
public struct Fingerprinter: Sendable {
  @usableFromInline
  internal var value: UInt64

  /// Creates a fingerprinter; different seeds give independent hash functions.
  @inlinable
  public init(seed: UInt64 = 0x243F_6A88_85A3_08D3) {
    value = seed
  }

  /// Absorbs one 64-bit word.
  @inlinable
  public mutating func combine(_ word: UInt64) {
    var v = (value ^ word) &* 0x9E37_79B9_7F4A_7C15
    v ^= v &>> 29
    value = v
  }

  /// Absorbs any fingerprintable value.
  @inlinable
  public mutating func combine<T: Fingerprintable>(_ component: T) {
    component.fingerprint(into: &self)
  }

  /// Absorbs raw bytes, eight at a time, followed by their count.
  @inlinable
  public mutating func combine(bytes: UnsafeRawBufferPointer) {
    absorbWords(of: bytes)
  }

  /// Absorbs raw bytes as ``combine(bytes:)`` does, and returns the bitwise or of the words
  /// absorbed: whether any byte has its high bit set (not ASCII) is known in the same pass.
  @inlinable @discardableResult
  mutating func absorbWords(of bytes: UnsafeRawBufferPointer) -> UInt64 {
    var union: UInt64 = 0
    var index = 0
    while index + 8 <= bytes.count {
      let word = bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)
      union |= word
      combine(word)
      index += 8
    }
    if index < bytes.count {
      var tail: UInt64 = 0
      var shift: UInt64 = 0
      while index < bytes.count {
        tail |= UInt64(bytes[index]) &<< shift
        shift += 8
        index += 1
      }
      union |= tail
      combine(tail)
    }
    combine(UInt64(bytes.count))
    return union
  }

  /// The fingerprint of everything absorbed so far.
  @inlinable
  public func finalize() -> UInt64 {
    // The murmur3 / splitmix64 finalizer: every input bit affects every output bit.
    var z = value
    z = (z ^ (z &>> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z &>> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z &>> 31)
  }

  /// The fingerprint of a single value.
  @inlinable
  public static func fingerprint<T: Fingerprintable>(of value: T) -> UInt64 {
    var f = Fingerprinter()
    value.fingerprint(into: &f)
    return f.finalize()
  }
}
