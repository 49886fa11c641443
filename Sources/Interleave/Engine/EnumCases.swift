@_spi(Reflection) import Swift
import CInterleaveSupport
import Synchronization

/// How reflective fingerprints absorb an enum without `Mirror`: the case from the runtime's
/// `getEnumTag`, then the case's name and its payload read in place, or, for a case without
/// payload, its description.
///
/// The `Mirror` walk absorbs a payload case as the case's name and then the payload, and a case
/// without payload as its description (`String(describing:)`, the case name unless the enum
/// describes itself otherwise). Each `Mirror` of an enum demangles the payload's type name and
/// boxes a copy of the payload, and each description takes a `Mirror` too: most of the time of a
/// spec whose states hold enums (PaymentAPI: 58% of a check). Here the runtime's value witnesses
/// give the case of a value, and, on a copy, the payload in place (`destructiveProjectEnumData`
/// clears the case bits that multi-payload enums keep in their payloads' spare bits); the
/// payload's static type comes from the enum's field records, once per case. The words absorbed
/// are the `Mirror` walk's.
///
/// What each case needs is worked out the first time a value of that case is met, and checked
/// against `Mirror` then: the case name and the payload's type must be the ones `Mirror` shows.
/// An indirect case's payload is read in its box. A case whose payload is a reference, an
/// existential or a function, or that fails a check, stays with `Mirror`. The per-case slots are written once (compare-and-exchange from
/// empty) by whichever thread meets the case first, and then only read.
@usableFromInline
final class EnumCases: @unchecked Sendable {
  /// The enum.
  let type: any Any.Type
  /// Its metadata, for the value witnesses.
  let metadata: UnsafeRawPointer
  /// Its nominal type descriptor.
  let descriptor: UnsafeRawPointer
  /// The generic arguments in its metadata, for its payloads' types; nil if it is not generic.
  let genericArguments: UnsafeRawPointer?
  /// The first of its field records, one per case, in tag order.
  let fieldRecords: UnsafeRawPointer
  let payloadCaseCount: Int
  let caseCount: Int
  /// The size (at least 1) and alignment of its values, for a copy on the stack.
  let size: Int
  let alignment: Int
  /// Per case: an unmanaged ``Case``, or 0 until the case is met.
  let slots: UnsafeMutablePointer<Atomic<Int>>

  /// What one case absorbs.
  final class Case {
    enum Form {
      /// The case's name, then the payload of `type` by `plan` (the payload's type's plan), in
      /// a box of its own if the case is indirect.
      case payload(name: String, type: any Any.Type, plan: ReflectivePlan, isIndirect: Bool)
      /// The case's description: a case without payload.
      case description(String)
      /// Whatever `Mirror` shows of the value.
      case mirror
    }
    let form: Form
    init(_ form: Form) { self.form = form }
  }

  /// The most cases an enum may have here: the per-case table is allocated whole.
  static let maximumCases = 4096

  /// The cases of `type`, or nil if `type` is not an enum whose runtime description this type
  /// can read (or it has a custom mirror, or no case, or too many).
  init?(_ type: any Any.Type) {
    guard ReflectivePlan.kind(of: type) == .enum, ReflectivePlan.isReflectedAsStored(type) else { return nil }
    let metadata = unsafeBitCast(type, to: UnsafeRawPointer.self)
    guard interleave_has_enum_witnesses(metadata) != 0,
      let descriptor = metadata.load(fromByteOffset: MemoryLayout<Int>.size, as: UnsafeRawPointer?.self),
      let layout = Self.readLayout(descriptor)
    else { return nil }
    self.type = type
    self.metadata = metadata
    self.descriptor = descriptor
    genericArguments = layout.isGeneric ? metadata + 2 * MemoryLayout<Int>.size : nil
    fieldRecords = layout.fieldRecords
    payloadCaseCount = layout.payloadCases
    caseCount = layout.cases
    func sizeAndAlignment<T>(_: T.Type) -> (Int, Int) { (max(MemoryLayout<T>.size, 1), MemoryLayout<T>.alignment) }
    (size, alignment) = sizeAndAlignment(type)
    slots = .allocate(capacity: caseCount)
    for slot in 0..<caseCount { (slots + slot).initialize(to: Atomic(0)) }
  }

  deinit {
    for slot in 0..<caseCount {
      let address = slots[slot].load(ordering: .acquiring)
      if let known = UnsafeRawPointer(bitPattern: address) { Unmanaged<Case>.fromOpaque(known).release() }
    }
    slots.deallocate()
  }

  /// The enum descriptor's facts that the cases need, or nil where the descriptor is not an
  /// enum's, or its field records are not one 12-byte record per case.
  ///
  /// The descriptor: flags (the kind in the low five bits, 18 for an enum; 0x80 if generic),
  /// parent, name, access function, fields (relative pointers, 32 bits each), the number of
  /// payload cases (low 24 bits) and the number of cases without payload. The field descriptor
  /// the fields pointer points to: type name, superclass, kind (2 or 3 for enums) and record
  /// size (16 bits each), the number of records, then the records.
  static func readLayout(_ descriptor: UnsafeRawPointer)
    -> (fieldRecords: UnsafeRawPointer, payloadCases: Int, cases: Int, isGeneric: Bool)?
  {
    let flags = descriptor.load(as: UInt32.self)
    guard flags & 0x1F == 18, let fields = relative(descriptor + 16) else { return nil }
    let payloadCases = Int(descriptor.load(fromByteOffset: 20, as: UInt32.self) & 0x00FF_FFFF)
    let cases = payloadCases + Int(descriptor.load(fromByteOffset: 24, as: UInt32.self))
    let kind = fields.load(fromByteOffset: 8, as: UInt16.self)
    let recordSize = fields.load(fromByteOffset: 10, as: UInt16.self)
    let records = fields.load(fromByteOffset: 12, as: UInt32.self)
    guard cases > 0, cases <= maximumCases, kind == 2 || kind == 3, recordSize == 12, records == cases
    else { return nil }
    return (fields + 16, payloadCases, cases, flags & 0x80 != 0)
  }

  /// Where a 32-bit relative pointer at `field` points; nil for 0.
  static func relative(_ field: UnsafeRawPointer) -> UnsafeRawPointer? {
    let offset = field.load(as: Int32.self)
    return offset == 0 ? nil : field + Int(offset)
  }

  /// Absorbs the enum value at `pointer` as the `Mirror` walk does.
  func absorb(at pointer: UnsafeRawPointer, into f: inout Fingerprinter) {
    let tag = Int(interleave_enum_tag(pointer, metadata))
    knownCase(tag, at: pointer)._withUnsafeGuaranteedRef { known in
      switch known.form {
      case .payload(let name, let payloadType, let plan, let isIndirect):
        name.fingerprint(into: &f)
        absorbPayload(of: tag, at: pointer, type: payloadType, plan: plan, isIndirect: isIndirect, into: &f)
      case .description(let text):
        text.fingerprint(into: &f)
      case .mirror:
        ReflectiveFingerprint.walkByMirror(ReflectivePlan.load(self.type, at: pointer), into: &f, planning: true)
      }
    }
  }

  /// Absorbs the payload of the value at `pointer`, of payload case `tag`: projected out of a
  /// copy, which is then destroyed as a payload; an indirect case's payload is read in its box,
  /// and the copy, its case put back, destroyed as the enum.
  func absorbPayload(
    of tag: Int, at pointer: UnsafeRawPointer, type payloadType: any Any.Type, plan: ReflectivePlan,
    isIndirect: Bool, into f: inout Fingerprinter
  ) {
    withUnsafeTemporaryAllocation(byteCount: size, alignment: alignment) { buffer in
      let copy = buffer.baseAddress!
      interleave_value_copy(copy, pointer, metadata)
      interleave_enum_project_payload(copy, metadata)
      let payload = isIndirect ? interleave_project_box(copy.load(as: UnsafeRawPointer.self))! : UnsafeRawPointer(copy)
      if plan.isMirror {
        ReflectiveFingerprint.walkByMirror(ReflectivePlan.load(payloadType, at: payload), into: &f, planning: true)
      } else {
        plan.absorb(at: payload, into: &f)
      }
      if isIndirect {
        interleave_enum_inject_tag(copy, UInt32(tag), metadata)
        interleave_value_destroy(copy, metadata)
      } else {
        interleave_value_destroy(copy, unsafeBitCast(payloadType, to: UnsafeRawPointer.self))
      }
    }
  }

  /// Case `tag`'s form: from its slot, or worked out from the value at `pointer` and stored.
  func knownCase(_ tag: Int, at pointer: UnsafeRawPointer) -> Unmanaged<Case> {
    precondition(tag < caseCount, "\(type): the runtime gave case \(tag) of \(caseCount)")
    let address = slots[tag].load(ordering: .acquiring)
    if let known = UnsafeRawPointer(bitPattern: address) { return Unmanaged<Case>.fromOpaque(known) }
    let made = Unmanaged.passRetained(Case(form(ofCase: tag, value: ReflectivePlan.load(self.type, at: pointer))))
    let (stored, found) = slots[tag].compareExchange(
      expected: 0, desired: Int(bitPattern: made.toOpaque()), successOrdering: .releasing, failureOrdering: .acquiring)
    if stored { return made }
    // Another thread met the case first; its form is the same.
    made.release()
    return Unmanaged<Case>.fromOpaque(UnsafeRawPointer(bitPattern: found)!)
  }

  /// Works out what case `tag` absorbs, from a value of that case, and checks it against what
  /// `Mirror` shows of the value.
  func form(ofCase tag: Int, value: Any) -> Case.Form {
    let mirror = Mirror(reflecting: value)
    guard tag < payloadCaseCount else {
      return mirror.children.isEmpty ? .description(String(describing: value)) : .mirror
    }
    let record = fieldRecords + tag * 12
    let isIndirect = record.load(as: UInt32.self) & 1 != 0
    guard let child = mirror.children.first, let name = child.label,
      let recordName = Self.relative(record + 8), name == String(cString: recordName.assumingMemoryBound(to: CChar.self)),
      let typeName = Self.relative(record + 4),
      let payloadType = _getTypeByMangledNameInContext(
        typeName.assumingMemoryBound(to: UInt8.self), UInt(Self.mangledNameLength(typeName)),
        genericContext: descriptor, genericArguments: genericArguments),
      let kind = ReflectivePlan.kind(of: payloadType), [.struct, .enum, .tuple, .optional].contains(kind),
      Swift.type(of: child.value) == payloadType
    else { return .mirror }
    let plan = ReflectivePlan.plan(for: payloadType, value: child.value)
    return .payload(name: name, type: payloadType, plan: plan, isIndirect: isIndirect)
  }

  /// The length of a mangled type name in a field record: up to its zero byte, stepping over
  /// symbolic references (a byte 1–0x17 and a 32-bit offset, or 0x18–0x1F and a pointer), whose
  /// bytes may be zero.
  static func mangledNameLength(_ name: UnsafeRawPointer) -> Int {
    var length = 0
    while true {
      let byte = name.load(fromByteOffset: length, as: UInt8.self)
      switch byte {
      case 0: return length
      case 0x01...0x17: length += 1 + 4
      case 0x18...0x1F: length += 1 + MemoryLayout<Int>.size
      default: length += 1
      }
    }
  }
}
