/// Fingerprints any value by reflection: the zero-effort default for states that do not
/// conform to ``Fingerprintable``.
///
/// It visits the same structure that `Mirror` shows; sets and dictionaries are combined
/// order-independently, so equal values give equal fingerprints. Structs and tuples are read
/// from memory by a plan worked out once per type (`ReflectivePlan`), arrays, sets,
/// dictionaries and optionals element by element, enums by their case name and payload;
/// references, existentials and custom mirrors are walked with `Mirror`, many times slower than
/// a ``Fingerprintable`` conformance, which is the fast path.
public enum ReflectiveFingerprint {
  /// The fingerprint of `value`.
  public static func fingerprint(of value: Any) -> UInt64 {
    var f = Fingerprinter()
    combine(value, into: &f)
    return f.finalize()
  }

  /// Feeds `value` into `f` through its ``Fingerprintable`` conformance if it has one, else by
  /// reflection: the fast path for components of generic states.
  ///
  /// The conformance is looked up on the type, not the value: casting the value to
  /// `any Fingerprintable` would copy it into an existential box and destroy the box after, on
  /// every state (5% of a TwoPhaseMessages run).
  @inlinable
  public static func combine<T>(component value: T, into f: inout Fingerprinter) {
    guard let type = T.self as? any Fingerprintable.Type else {
      // Structs, tuples and containers are read from memory by their type's plan
      // (ReflectivePlan.swift).
      ReflectivePlan.absorb(value, into: &f)
      return
    }
    func feed<F: Fingerprintable>(as _: F.Type) {
      withUnsafePointer(to: value) { pointer in
        UnsafeRawPointer(pointer).assumingMemoryBound(to: F.self).pointee.fingerprint(into: &f)
      }
    }
    feed(as: type)
  }

  /// Feeds the value at `pointer` into `f`, as ``combine(component:into:)`` does, reading it in
  /// place: for a component of a state in memory, which passed by value would be copied (its
  /// references retained and released) to take its address.
  @inlinable
  public static func combine<T>(componentAt pointer: UnsafePointer<T>, into f: inout Fingerprinter) {
    guard let type = T.self as? any Fingerprintable.Type else {
      ReflectivePlan.absorb(pointer.pointee, into: &f)
      return
    }
    func feed<F: Fingerprintable>(as _: F.Type) {
      UnsafeRawPointer(pointer).assumingMemoryBound(to: F.self).pointee.fingerprint(into: &f)
    }
    feed(as: type)
  }

  /// Feeds `value` into `f`.
  public static func combine(_ value: Any, into f: inout Fingerprinter) {
    walk(value, into: &f, planning: true)
  }

  /// Feeds `value` into `f`: through its type's conformance, or its plan, or by walking it with
  /// `Mirror`; without `planning`, always by the conformance or `Mirror`, as the plans must
  /// agree with (the tests compare the two).
  @usableFromInline
  static func walk(_ value: Any, into f: inout Fingerprinter, planning: Bool) {
    if planning {
      let plan = ReflectivePlan.plan(for: type(of: value), value: value)
      if !plan.isMirror {
        ReflectivePlan.absorb(plan, onAny: value, into: &f)
        return
      }
    } else if let fingerprintable = value as? any Fingerprintable {
      fingerprintable.fingerprint(into: &f)
      return
    }
    walkByMirror(value, into: &f, planning: planning)
  }

  /// Feeds `value` into `f` as `Mirror` shows it, and its parts by ``walk(_:into:planning:)``.
  static func walkByMirror(_ value: Any, into f: inout Fingerprinter, planning: Bool) {
    let mirror = Mirror(reflecting: value)
    switch mirror.displayStyle {
    case .set, .dictionary:
      var sum: UInt64 = 0
      var count: UInt64 = 0
      for child in mirror.children {
        var entry = Fingerprinter()
        walk(child.value, into: &entry, planning: planning)
        sum &+= entry.finalize()
        count += 1
      }
      f.combine(count)
      f.combine(sum)
    case .enum:
      // The case name distinguishes payload-free cases; the payload follows.
      if let payload = mirror.children.first {
        (payload.label ?? "").fingerprint(into: &f)
        walk(payload.value, into: &f, planning: planning)
      } else {
        String(describing: value).fingerprint(into: &f)
      }
    case .optional:
      if let wrapped = mirror.children.first {
        f.combine(1)
        walk(wrapped.value, into: &f, planning: planning)
      } else {
        f.combine(0x6E6F_6E65)
      }
    default:
      if mirror.children.isEmpty && mirror.displayStyle == nil {
        String(describing: value).fingerprint(into: &f)
        return
      }
      f.combine(UInt64(mirror.children.count))
      for child in mirror.children { walk(child.value, into: &f, planning: planning) }
    }
  }
}
