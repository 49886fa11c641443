@_spi(Reflection) import Swift
import Synchronization

/// How ``ReflectiveFingerprint`` fingerprints the values of one type, worked out once per type.
///
/// A struct or tuple without a custom mirror is read straight from memory: the runtime's field
/// layout (`_forEachField`) gives each stored property's offset and type, once. The steps absorb
/// exactly what the `Mirror` walk absorbs (the number of fields, then each field), so a value's
/// fingerprint does not depend on the path. Arrays, sets, dictionaries and optionals
/// (``ReflectedContainer``) are absorbed element by element as `Mirror` shows them, and enums
/// by their case's name and payload read in place, or by the description of a case without
/// payload (``EnumCases``). Classes, existentials, enums and structs with custom mirrors, and
/// the other types that `Mirror` shows differently from their memory stay with the `Mirror` walk.
///
/// `Mirror` finds a field's type by demangling its name on every access; that was most of the
/// time of a spec fingerprinted by reflection (PaymentAPI: 86% of a check).
@usableFromInline
enum ReflectivePlan {
  /// The type conforms to ``Fingerprintable``: its conformance is used.
  case conformance(any Fingerprintable.Type)
  /// A struct or tuple read field by field from memory.
  case fields(UnsafeBufferPointer<Step>)
  /// An array, set, dictionary or optional, absorbed element by element.
  case container(any ReflectedContainer.Type)
  /// An enum, absorbed by its case's name and payload, or its description. Unmanaged, as in
  /// the steps: plans live as long as the process, and a reference count that every thread
  /// wrote for every enum it absorbs would move between the cores' caches.
  case enumCases(Unmanaged<EnumCases>)
  /// Anything else: walked with `Mirror`.
  case mirror

  /// One step of a ``fields(_:)`` plan, at an offset from the value's start.
  @usableFromInline
  enum Step {
    /// A struct's or tuple's number of stored fields.
    case count(UInt64)
    /// A field whose type conforms to ``Fingerprintable``.
    case conformance(offset: Int, type: any Fingerprintable.Type)
    /// An array, set, dictionary or optional field.
    case container(offset: Int, type: any ReflectedContainer.Type)
    /// An enum field.
    case enumCases(offset: Int, cases: Unmanaged<EnumCases>)
    /// A field that `Mirror` walks (a struct or enum with a custom mirror, an enum whose layout
    /// is not read).
    case mirror(offset: Int, type: any Any.Type)
  }

  /// The plan for `type`, from the shared cache; `value`, a value of that type, tells whether
  /// `Mirror` sees it as a struct or a tuple (asked for the first time only).
  @usableFromInline
  static func plan(for type: any Any.Type, value: @autoclosure () -> Any) -> ReflectivePlan {
    ReflectivePlanCache.shared.plan(for: type) { make(for: type, value: value()) }
  }

  /// Absorbs `value` by its type's plan, from the cache (no dynamic cast).
  @usableFromInline
  static func absorb<T>(_ value: T, into f: inout Fingerprinter) {
    let plan = plan(for: T.self, value: value)
    if plan.isMirror {
      ReflectiveFingerprint.walk(value, into: &f, planning: true)
    } else {
      withUnsafePointer(to: value) { plan.absorb(at: UnsafeRawPointer($0), into: &f) }
    }
  }

  /// Whether values are walked with `Mirror` (the plan reads no memory).
  var isMirror: Bool {
    if case .mirror = self { return true }
    return false
  }

  /// Absorbs `value`, boxed, by `plan`, its type's plan (not ``mirror``), after opening the box.
  static func absorb(_ plan: ReflectivePlan, onAny value: Any, into f: inout Fingerprinter) {
    func opened<T>(_ contained: T) -> Fingerprinter {
      var copy = f
      withUnsafePointer(to: contained) { plan.absorb(at: UnsafeRawPointer($0), into: &copy) }
      return copy
    }
    f = _openExistential(value, do: opened)
  }

  /// Absorbs the value at `pointer`, of a type whose plan this is (not ``mirror``, which needs
  /// the value's type).
  func absorb(at pointer: UnsafeRawPointer, into f: inout Fingerprinter) {
    switch self {
    case .conformance(let type): Self.feed(type, at: pointer, into: &f)
    case .fields(let steps): Self.run(steps, at: pointer, into: &f)
    case .container(let type): type.absorb(at: pointer, into: &f)
    case .enumCases(let cases): cases._withUnsafeGuaranteedRef { $0.absorb(at: pointer, into: &f) }
    case .mirror: preconditionFailure("a Mirror plan reads no memory")
    }
  }

  /// Works out the plan for `type`.
  static func make(for type: any Any.Type, value: Any) -> ReflectivePlan {
    if let fingerprintable = type as? any Fingerprintable.Type { return .conformance(fingerprintable) }
    // An existential type (`Any`, `any P`) holds values of other types: Mirror opens each.
    guard Swift.type(of: value) == type else { return .mirror }
    if let container = type as? any ReflectedContainer.Type { return .container(container) }
    if let cases = EnumCases(type) { return .enumCases(Unmanaged.passRetained(cases)) }
    let style = Mirror(reflecting: value).displayStyle
    guard style == .struct || style == .tuple, isReflectedAsStored(type) else { return .mirror }
    var steps: [Step] = []
    guard appendSteps(for: type, at: 0, to: &steps) else { return .mirror }
    let buffer = UnsafeMutableBufferPointer<Step>.allocate(capacity: steps.count)
    _ = buffer.initialize(from: steps)
    return .fields(UnsafeBufferPointer(buffer))
  }

  /// Whether `Mirror` shows a value of `type` as its stored fields (no custom mirror).
  static func isReflectedAsStored(_ type: any Any.Type) -> Bool {
    !(type is any CustomReflectable.Type) && !(type is any CustomLeafReflectable.Type)
  }

  /// Appends the steps for a struct or tuple at `offset`; false if a field is of a kind that
  /// the plan does not read (an existential, a function, a metatype...).
  static func appendSteps(for type: any Any.Type, at offset: Int, to steps: inout [Step]) -> Bool {
    var fields: [(offset: Int, type: any Any.Type, kind: _MetadataKind)] = []
    let known = _forEachField(of: type) { _, fieldOffset, fieldType, kind in
      fields.append((fieldOffset, fieldType, kind))
      return true
    }
    guard known else { return false }
    steps.append(.count(UInt64(fields.count)))
    for field in fields {
      let at = offset + field.offset
      if let fingerprintable = field.type as? any Fingerprintable.Type {
        steps.append(.conformance(offset: at, type: fingerprintable))
        continue
      }
      if field.kind == .struct, let container = field.type as? any ReflectedContainer.Type {
        steps.append(.container(offset: at, type: container))
        continue
      }
      switch field.kind {
      case .struct, .tuple:
        if isReflectedAsStored(field.type) {
          guard appendSteps(for: field.type, at: at, to: &steps) else { return false }
        } else {
          steps.append(.mirror(offset: at, type: field.type))
        }
      case .enum:
        if let cases = EnumCases(field.type) {
          steps.append(.enumCases(offset: at, cases: Unmanaged.passRetained(cases)))
        } else {
          steps.append(.mirror(offset: at, type: field.type))
        }
      case .optional:
        // The field layout does not tell a `weak` reference from a strong one, and a weak
        // one's storage is not an optional reference: optional references stay with Mirror.
        guard let wrapped = (field.type as? any OptionalType.Type)?.wrappedType, let kind = kind(of: wrapped),
          kind == .struct || kind == .tuple || kind == .enum || kind == .optional,
          let container = field.type as? any ReflectedContainer.Type
        else { return false }
        steps.append(.container(offset: at, type: container))
      default:
        // References (`unowned` ones look like strong ones), existentials, functions, ...
        return false
      }
    }
    return true
  }

  /// The kind of `type`'s metadata: the kind of the one field of a struct that holds a `type`.
  static func kind(of type: any Any.Type) -> _MetadataKind? {
    func probe<T>(_: T.Type) -> _MetadataKind? {
      var kind: _MetadataKind?
      _forEachField(of: KindProbe<T>.self) { _, _, _, fieldKind in
        kind = fieldKind
        return false
      }
      return kind
    }
    return probe(type)
  }

  /// Absorbs the value at `base` by the steps.
  static func run(_ steps: UnsafeBufferPointer<Step>, at base: UnsafeRawPointer, into f: inout Fingerprinter) {
    for step in steps {
      switch step {
      case .count(let count):
        f.combine(count)
      case .conformance(let offset, let type):
        feed(type, at: base + offset, into: &f)
      case .container(let offset, let type):
        type.absorb(at: base + offset, into: &f)
      case .enumCases(let offset, let cases):
        cases._withUnsafeGuaranteedRef { $0.absorb(at: base + offset, into: &f) }
      case .mirror(let offset, let type):
        ReflectiveFingerprint.walk(load(type, at: base + offset), into: &f, planning: true)
      }
    }
  }

  static func feed<F: Fingerprintable>(_: F.Type, at pointer: UnsafeRawPointer, into f: inout Fingerprinter) {
    pointer.assumingMemoryBound(to: F.self).pointee.fingerprint(into: &f)
  }

  static func load<T>(_: T.Type, at pointer: UnsafeRawPointer) -> Any {
    pointer.assumingMemoryBound(to: T.self).pointee
  }
}

/// The plans worked out so far, shared by all threads: a fixed table whose slots are written
/// once (compare-and-exchange from empty) and then only read, so that looking a plan up takes
/// no lock and writes no shared memory. Plans are never freed: there is one per type.
@usableFromInline
final class ReflectivePlanCache: @unchecked Sendable {
  static let shared = ReflectivePlanCache()

  /// One cached plan.
  struct Entry {
    let type: any Any.Type
    let plan: ReflectivePlan
  }

  /// The number of slots (a power of two); past a quarter full, new types are not cached.
  static let capacity = 4096
  let slots: UnsafeMutablePointer<Atomic<Int>>
  let stored = Atomic<Int>(0)

  init() {
    slots = .allocate(capacity: Self.capacity)
    for slot in 0..<Self.capacity { (slots + slot).initialize(to: Atomic(0)) }
  }

  /// The plan for `type`, made by `make` and cached the first time; `Mirror` for types met once
  /// the table is a quarter full.
  func plan(for type: any Any.Type, make: () -> ReflectivePlan) -> ReflectivePlan {
    let key = unsafeBitCast(type, to: Int.self)
    var slot = Int(truncatingIfNeeded: (UInt64(UInt(bitPattern: key)) &* 0x9E37_79B9_7F4A_7C15) &>> 52) & (Self.capacity - 1)
    while true {
      let found = slots[slot].load(ordering: .acquiring)
      if found == 0 { break }
      let entry = UnsafePointer<Entry>(bitPattern: found)!
      if unsafeBitCast(entry.pointee.type, to: Int.self) == key { return entry.pointee.plan }
      slot = (slot + 1) & (Self.capacity - 1)
    }
    guard stored.wrappingAdd(1, ordering: .relaxed).oldValue < Self.capacity / 4 else { return .mirror }
    let plan = make()
    let entry = UnsafeMutablePointer<Entry>.allocate(capacity: 1)
    entry.initialize(to: Entry(type: type, plan: plan))
    let address = Int(bitPattern: entry)
    while true {
      let (exchanged, found) = slots[slot].compareExchange(
        expected: 0, desired: address, successOrdering: .releasing, failureOrdering: .acquiring)
      if exchanged { return plan }
      // Another thread filled the slot: with this type (its plan is as good), or another.
      if unsafeBitCast(UnsafePointer<Entry>(bitPattern: found)!.pointee.type, to: Int.self) == key { return plan }
      slot = (slot + 1) & (Self.capacity - 1)
    }
  }
}

/// A struct of one field, whose layout tells the kind of `T` (``ReflectivePlan/kind(of:)``).
struct KindProbe<T> {
  var value: T
}

/// Optionals, seen from a type: their wrapped type.
protocol OptionalType {
  static var wrappedType: any Any.Type { get }
}

extension Optional: OptionalType {
  static var wrappedType: any Any.Type { Wrapped.self }
}

/// A collection or optional that plans absorb element by element, exactly as the `Mirror` walk
/// absorbs what `Mirror` shows of it: an array's count and elements, a set's count and the sum
/// of its elements' fingerprints, a dictionary's count and the sum of its `(key, value)` pairs'
/// fingerprints, an optional's marker and value. (With `Fingerprintable` elements the type's own
/// conformance is used instead, as before.)
@usableFromInline
protocol ReflectedContainer {
  /// Absorbs the value at `pointer`.
  static func absorb(at pointer: UnsafeRawPointer, into f: inout Fingerprinter)
}

extension Collection {
  /// Absorbs the count, then each element: an array as `Mirror` shows it. Always inlined, so
  /// that it iterates the concrete array, not through `Collection`'s witnesses (7% slower).
  @inline(__always)
  func absorbInOrder(into f: inout Fingerprinter) {
    f.combine(UInt64(count))
    for element in self { ReflectivePlan.absorb(element, into: &f) }
  }
}

extension Array: ReflectedContainer {
  @usableFromInline
  static func absorb(at pointer: UnsafeRawPointer, into f: inout Fingerprinter) {
    pointer.assumingMemoryBound(to: [Element].self).pointee.absorbInOrder(into: &f)
  }
}

extension ContiguousArray: ReflectedContainer {
  @usableFromInline
  static func absorb(at pointer: UnsafeRawPointer, into f: inout Fingerprinter) {
    pointer.assumingMemoryBound(to: ContiguousArray<Element>.self).pointee.absorbInOrder(into: &f)
  }
}

extension Set: ReflectedContainer {
  @usableFromInline
  static func absorb(at pointer: UnsafeRawPointer, into f: inout Fingerprinter) {
    let set = pointer.assumingMemoryBound(to: Set<Element>.self)
    var sum: UInt64 = 0
    for element in set.pointee {
      var single = Fingerprinter()
      ReflectivePlan.absorb(element, into: &single)
      sum &+= single.finalize()
    }
    f.combine(UInt64(set.pointee.count))
    f.combine(sum)
  }
}

extension Dictionary: ReflectedContainer {
  @usableFromInline
  static func absorb(at pointer: UnsafeRawPointer, into f: inout Fingerprinter) {
    let dictionary = pointer.assumingMemoryBound(to: [Key: Value].self)
    var sum: UInt64 = 0
    for (key, value) in dictionary.pointee {
      // `Mirror` shows an entry as a (key, value) tuple: two fields.
      var entry = Fingerprinter()
      entry.combine(2)
      ReflectivePlan.absorb(key, into: &entry)
      ReflectivePlan.absorb(value, into: &entry)
      sum &+= entry.finalize()
    }
    f.combine(UInt64(dictionary.pointee.count))
    f.combine(sum)
  }
}

extension Optional: ReflectedContainer {
  @usableFromInline
  static func absorb(at pointer: UnsafeRawPointer, into f: inout Fingerprinter) {
    switch pointer.assumingMemoryBound(to: Wrapped?.self).pointee {
    case .none:
      f.combine(0x6E6F_6E65)
    case .some(let wrapped):
      f.combine(1)
      ReflectivePlan.absorb(wrapped, into: &f)
    }
  }
}
