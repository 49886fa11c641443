@_spi(Reflection) import Swift
import Synchronization

/// The case names of an enum whose cases carry no payload, remembered per tag: how reflective
/// fingerprints absorb such an enum without `Mirror`.
///
/// The `Mirror` walk absorbs a payload-free case as its description (`String(describing:)`,
/// the case name unless the enum describes itself otherwise), which takes a `Mirror` and a
/// demangled type name per value. A payload-free enum is one tag in memory, zero bytes for one
/// case and one byte for up to 256, and equal values have equal tags; so the description is
/// worked out the first time a tag is met, from the value itself, and then only looked up. The
/// words absorbed are the same as the `Mirror` walk's.
///
/// Which enums qualify is read from the runtime's type descriptor: an enum (by the field layout's
/// kind) with no custom mirror, no payload case, at most 256 cases and the size that implies.
/// The table's slots are written once (compare-and-exchange from empty), by whichever thread
/// meets the tag first, and then only read.
@usableFromInline
final class EnumCaseNames: @unchecked Sendable {
  /// The enum.
  let type: any Any.Type
  /// Whether the tag is one byte (more than one case) or absent (one case).
  let hasTagByte: Bool
  /// Per tag: an unmanaged ``Name``, or 0 until the tag is met.
  let slots: UnsafeMutablePointer<Atomic<Int>>
  let slotCount: Int

  /// One case's description, boxed for an atomic slot.
  final class Name {
    let text: String
    init(_ text: String) { self.text = text }
  }

  /// The names of `type`'s cases, or nil if `type` is not an enum whose cases all lack a
  /// payload (or has more than 256 of them).
  init?(_ type: any Any.Type) {
    guard ReflectivePlan.kind(of: type) == .enum, ReflectivePlan.isReflectedAsStored(type),
      let counts = Self.caseCounts(of: type), counts.payload == 0, counts.empty <= 256
    else { return nil }
    func size<T>(_: T.Type) -> Int { MemoryLayout<T>.size }
    let bytes = size(type)
    guard bytes == (counts.empty <= 1 ? 0 : 1) else { return nil }
    self.type = type
    hasTagByte = bytes == 1
    slotCount = hasTagByte ? 256 : 1
    slots = .allocate(capacity: slotCount)
    for slot in 0..<slotCount { (slots + slot).initialize(to: Atomic(0)) }
  }

  deinit {
    for slot in 0..<slotCount {
      let address = slots[slot].load(ordering: .acquiring)
      if let name = UnsafeRawPointer(bitPattern: address) { Unmanaged<Name>.fromOpaque(name).release() }
    }
    slots.deallocate()
  }

  /// The numbers of payload and payload-free cases, from the enum's type descriptor (the
  /// metadata's second word points to it; the counts follow its five 32-bit header fields).
  static func caseCounts(of type: any Any.Type) -> (payload: UInt32, empty: UInt32)? {
    let metadata = unsafeBitCast(type, to: UnsafeRawPointer.self)
    guard let descriptor = metadata.load(fromByteOffset: MemoryLayout<Int>.size, as: UnsafeRawPointer?.self)
    else { return nil }
    let payloadCasesAndSizeOffset = descriptor.load(fromByteOffset: 20, as: UInt32.self)
    let emptyCases = descriptor.load(fromByteOffset: 24, as: UInt32.self)
    return (payloadCasesAndSizeOffset & 0x00FF_FFFF, emptyCases)
  }

  /// Absorbs the enum value at `pointer` as the `Mirror` walk does: its description.
  func absorb(at pointer: UnsafeRawPointer, into f: inout Fingerprinter) {
    let tag = hasTagByte ? Int(pointer.load(as: UInt8.self)) : 0
    let address = slots[tag].load(ordering: .acquiring)
    if let known = UnsafeRawPointer(bitPattern: address) {
      Unmanaged<Name>.fromOpaque(known)._withUnsafeGuaranteedRef { $0.text.fingerprint(into: &f) }
      return
    }
    func load<T>(_: T.Type) -> Any { pointer.assumingMemoryBound(to: T.self).pointee }
    let value = _openExistential(type, do: load)
    let text = String(describing: value)
    let name = Unmanaged.passRetained(Name(text))
    let (stored, _) = slots[tag].compareExchange(
      expected: 0, desired: Int(bitPattern: name.toOpaque()), successOrdering: .releasing, failureOrdering: .relaxed)
    // Another thread met the tag first and stored the same description.
    if !stored { name.release() }
    text.fingerprint(into: &f)
  }
}
