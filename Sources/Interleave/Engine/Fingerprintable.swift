/// A type whose values feed a deterministic ``Fingerprinter``.
///
/// Conform your state type to get the fast path: the model checker then fingerprints a state
/// with a few multiplications instead of walking it by reflection.
///
/// ```swift
/// struct Counter: Hashable, Sendable, Fingerprintable {
///   var value: Int
///   var done: Bool
///   func fingerprint(into f: inout Fingerprinter) {
///     f.combine(value)
///     f.combine(done)
///   }
/// }
/// ```
///
/// The rule is the same as for `Hashable`: values that are equal must absorb the same words.
/// Unordered collections (`Set`, `Dictionary`) combine their elements order-independently.
public protocol Fingerprintable {
  /// Feeds the value's essential components into `fingerprinter`.
  func fingerprint(into fingerprinter: inout Fingerprinter)
}

extension Fingerprintable where Self: RawRepresentable, RawValue: Fingerprintable {
  /// Fingerprints the raw value.
  @inlinable
  public func fingerprint(into f: inout Fingerprinter) {
    rawValue.fingerprint(into: &f)
  }
}

extension Int: Fingerprintable {
  @inlinable public func fingerprint(into f: inout Fingerprinter) { f.combine(UInt64(bitPattern: Int64(self))) }
}
extension Int8: Fingerprintable {
  @inlinable public func fingerprint(into f: inout Fingerprinter) { f.combine(UInt64(bitPattern: Int64(self))) }
}
extension Int16: Fingerprintable {
  @inlinable public func fingerprint(into f: inout Fingerprinter) { f.combine(UInt64(bitPattern: Int64(self))) }
}
extension Int32: Fingerprintable {
  @inlinable public func fingerprint(into f: inout Fingerprinter) { f.combine(UInt64(bitPattern: Int64(self))) }
}
extension Int64: Fingerprintable {
  @inlinable public func fingerprint(into f: inout Fingerprinter) { f.combine(UInt64(bitPattern: self)) }
}
extension UInt: Fingerprintable {
  @inlinable public func fingerprint(into f: inout Fingerprinter) { f.combine(UInt64(self)) }
}
extension UInt8: Fingerprintable {
  @inlinable public func fingerprint(into f: inout Fingerprinter) { f.combine(UInt64(self)) }
}
extension UInt16: Fingerprintable {
  @inlinable public func fingerprint(into f: inout Fingerprinter) { f.combine(UInt64(self)) }
}
extension UInt32: Fingerprintable {
  @inlinable public func fingerprint(into f: inout Fingerprinter) { f.combine(UInt64(self)) }
}
extension UInt64: Fingerprintable {
  @inlinable public func fingerprint(into f: inout Fingerprinter) { f.combine(self) }
}
extension Bool: Fingerprintable {
  @inlinable public func fingerprint(into f: inout Fingerprinter) { f.combine(self ? 1 : 0) }
}
extension Double: Fingerprintable {
  @inlinable public func fingerprint(into f: inout Fingerprinter) {
    // +0.0 and -0.0 are equal, so they must fingerprint alike.
    f.combine(self == 0 ? 0 : bitPattern)
  }
}

extension String: Fingerprintable {
  /// Fingerprints the UTF-8 bytes; non-ASCII text is first put in Unicode normal form C,
  /// because Swift compares canonically equivalent strings as equal.
  ///
  /// The bytes are absorbed and checked for ASCII in one pass, a word at a time; only text that
  /// turns out not to be ASCII is absorbed again, in normal form.
  @inlinable public func fingerprint(into f: inout Fingerprinter) {
    var copy = self
    let absorbed = copy.withUTF8 { bytes -> Fingerprinter? in
      var ascii = f
      let union = ascii.absorbWords(of: UnsafeRawBufferPointer(bytes))
      return union & 0x8080_8080_8080_8080 == 0 ? ascii : nil
    }
    if let absorbed {
      f = absorbed
    } else {
      // The standard library's NFC (UTF-8 code units), the same bytes as Foundation's
      // `precomposedStringWithCanonicalMapping`.
      copy._nfcCodeUnits.withUnsafeBytes { f.combine(bytes: $0) }
    }
  }
}

extension Optional: Fingerprintable where Wrapped: Fingerprintable {
  @inlinable public func fingerprint(into f: inout Fingerprinter) {
    switch self {
    case .none: f.combine(0x6E6F_6E65)
    case .some(let wrapped):
      f.combine(1)
      wrapped.fingerprint(into: &f)
    }
  }
}

extension Array: Fingerprintable where Element: Fingerprintable {
  @inlinable public func fingerprint(into f: inout Fingerprinter) {
    f.combine(UInt64(count))
    for element in self { element.fingerprint(into: &f) }
  }
}

extension ContiguousArray: Fingerprintable where Element: Fingerprintable {
  @inlinable public func fingerprint(into f: inout Fingerprinter) {
    f.combine(UInt64(count))
    for element in self { element.fingerprint(into: &f) }
  }
}

extension Set: Fingerprintable where Element: Fingerprintable {
  /// Combines the elements order-independently: equal sets can iterate in different orders.
  @inlinable public func fingerprint(into f: inout Fingerprinter) {
    var sum: UInt64 = 0
    for element in self { sum &+= Fingerprinter.fingerprint(of: element) }
    f.combine(UInt64(count))
    f.combine(sum)
  }
}

extension Dictionary: Fingerprintable where Key: Fingerprintable, Value: Fingerprintable {
  /// Combines the entries order-independently: equal dictionaries can iterate in different orders.
  @inlinable public func fingerprint(into f: inout Fingerprinter) {
    var sum: UInt64 = 0
    for (key, value) in self {
      var entry = Fingerprinter()
      key.fingerprint(into: &entry)
      value.fingerprint(into: &entry)
      sum &+= entry.finalize()
    }
    f.combine(UInt64(count))
    f.combine(sum)
  }
}
