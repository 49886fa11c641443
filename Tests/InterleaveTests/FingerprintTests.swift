import Dispatch
@testable import Interleave
import InterleaveSpecs
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite("Fingerprints")
struct FingerprintTests {
  @Test("are the same in every run: fixed values, not a per-process seed")
  func deterministic() {
    // These constants were computed once; a change here changes every stored fingerprint, so
    // a run's counts could shift if a collision appears or disappears: change them deliberately.
    #expect(Fingerprinter.fingerprint(of: 42) == 0x08B3_B108_E59D_8129)
    #expect(Fingerprinter.fingerprint(of: "interleave") == 0x289B_27D1_41C8_9101)
    let a = Fingerprinter.fingerprint(of: [1, 2, 3])
    let b = Fingerprinter.fingerprint(of: [1, 2, 3])
    #expect(a == b)
    #expect(Fingerprinter.fingerprint(of: [1, 2, 3]) != Fingerprinter.fingerprint(of: [3, 2, 1]))
    #expect(Fingerprinter.fingerprint(of: [1, 2]) != Fingerprinter.fingerprint(of: [1, 2, 0]))
  }

  @Test("unordered collections fingerprint alike whatever their iteration order")
  func unordered() {
    var grown: Set<Int> = []
    for i in 0..<1000 { grown.insert(i) }
    for i in 3..<1000 { grown.remove(i) }
    let fresh: Set<Int> = [2, 0, 1]
    #expect(grown == fresh)
    #expect(Fingerprinter.fingerprint(of: grown) == Fingerprinter.fingerprint(of: fresh))
    #expect(ReflectiveFingerprint.fingerprint(of: grown) == ReflectiveFingerprint.fingerprint(of: fresh))
    let d1: [String: Int] = ["a": 1, "b": 2]
    var d2: [String: Int] = [:]
    d2["b"] = 2
    d2["a"] = 1
    #expect(Fingerprinter.fingerprint(of: d1) == Fingerprinter.fingerprint(of: d2))
  }

  @Test("canonically equivalent strings are equal, so they fingerprint alike")
  func strings() {
    let composed = "caf\u{E9}"
    let decomposed = "cafe\u{301}"
    #expect(composed == decomposed)
    #expect(Fingerprinter.fingerprint(of: composed) == Fingerprinter.fingerprint(of: decomposed))
    #expect(Fingerprinter.fingerprint(of: "ab") != Fingerprinter.fingerprint(of: "ba"))
  }

  struct Plain: Hashable {
    var name: String
    var tags: Set<String>
    var phase: Phase
    enum Phase: Hashable { case idle, busy(job: Int) }
  }

  @Test("reflection distinguishes fields and enum cases and ignores set order")
  func reflective() {
    let a = Plain(name: "x", tags: ["p", "q"], phase: .busy(job: 1))
    var tags: Set<String> = []
    for t in ["q", "z", "p"] { tags.insert(t) }
    tags.remove("z")
    let b = Plain(name: "x", tags: tags, phase: .busy(job: 1))
    #expect(a == b)
    #expect(ReflectiveFingerprint.fingerprint(of: a) == ReflectiveFingerprint.fingerprint(of: b))
    let c = Plain(name: "x", tags: ["p", "q"], phase: .busy(job: 2))
    let d = Plain(name: "x", tags: ["p", "q"], phase: .idle)
    #expect(ReflectiveFingerprint.fingerprint(of: a) != ReflectiveFingerprint.fingerprint(of: c))
    #expect(ReflectiveFingerprint.fingerprint(of: a) != ReflectiveFingerprint.fingerprint(of: d))
  }

  @Test("a generic component goes through its own conformance when it has one, else reflection, in place or by value")
  func components() {
    func viaComponent<T>(_ value: T) -> UInt64 {
      var f = Fingerprinter()
      ReflectiveFingerprint.combine(component: value, into: &f)
      return f.finalize()
    }
    func direct(_ value: some Fingerprintable) -> UInt64 {
      var f = Fingerprinter()
      value.fingerprint(into: &f)
      return f.finalize()
    }
    // Conforming values of several layouts: a small integer, a string, an array, a set.
    #expect(viaComponent(42) == direct(42))
    #expect(viaComponent("a longer string than fits inline") == direct("a longer string than fits inline"))
    #expect(viaComponent([1, 2, 3]) == direct([1, 2, 3]))
    #expect(viaComponent(Set(["p", "q"])) == direct(Set(["p", "q"])))
    // A value without a conformance is fingerprinted by reflection, as `fingerprint(of:)` does.
    let plain = Plain(name: "x", tags: ["p"], phase: .idle)
    #expect(viaComponent(plain) == ReflectiveFingerprint.fingerprint(of: plain))
    // Seen through `Any`, a conforming value still uses its conformance.
    let boxed: Any = 42
    #expect(viaComponent(boxed) == direct(42))
    // Read in place, a component fingerprints as passed by value, either way.
    func inPlace<T>(_ value: T) -> UInt64 {
      var f = Fingerprinter()
      withUnsafePointer(to: value) { ReflectiveFingerprint.combine(componentAt: $0, into: &f) }
      return f.finalize()
    }
    #expect(inPlace("a longer string than fits inline") == direct("a longer string than fits inline"))
    #expect(inPlace(Set(["p", "q"])) == direct(Set(["p", "q"])))
    #expect(inPlace(plain) == viaComponent(plain))
    #expect(inPlace(plain) != inPlace(Plain(name: "y", tags: ["p"], phase: .idle)))
  }

  @Test("the table stores each fingerprint once and grows without losing any")
  func table() {
    var table = ShardedVisitedSet<FingerprintShard<Int>>()
    var fresh = 0
    for i in 0..<100_000 where table.insert(fingerprint: Fingerprinter.fingerprint(of: i), state: i) { fresh += 1 }
    #expect(fresh == 100_000)
    var duplicates = 0
    for i in 0..<100_000 where table.insert(fingerprint: Fingerprinter.fingerprint(of: i), state: i) { duplicates += 1 }
    #expect(duplicates == 0)
    #expect(table.count == 100_000)
    let first = table.insert(fingerprint: 0, state: 0)
    let second = table.insert(fingerprint: 0, state: 0)
    #expect(first && !second)
    var unseen = 0
    for i in 100_000..<200_000 where !table.contains(fingerprint: Fingerprinter.fingerprint(of: i), state: i) {
      unseen += 1
    }
    #expect(unseen == 100_000)
    // Shards keep 56 bits: fingerprints that differ only in the top 8 (the shard) stay apart.
    var shards = ShardedVisitedSet<FingerprintShard<Int>>()
    var apart = 0
    for shard in 0..<256 where shards.insert(fingerprint: UInt64(shard) << 56 | 0xBEEF, state: shard) { apart += 1 }
    #expect(apart == 256)
    #expect(shards.contains(fingerprint: 7 << 56 | 0xBEEF, state: 7))
    #expect(!shards.contains(fingerprint: 7 << 56 | 0xBEEE, state: 7))
  }

  @Test("a large shard table is whole pages and grows by at most a quarter, at least a page")
  func pagedTable() {
    let shard = FingerprintShard<Int>()
    let page = Int(sysconf(Int32(_SC_PAGESIZE)))
    var sizes = [shard.bytes]
    for i in 0..<40_000 {
      _ = shard.insert(fingerprint: Fingerprinter.fingerprint(of: i) & 0x00FF_FFFF_FFFF_FFFF, state: { i })
      if shard.bytes != sizes.last { sizes.append(shard.bytes) }
    }
    #expect(shard.count == 40_000)
    let paged = sizes.filter { $0 >= 8 * page }
    #expect(paged.count >= 5)
    #expect(paged.allSatisfy { $0 % page == 0 })
    for (smaller, larger) in zip(paged, paged.dropFirst()) {
      #expect(larger - smaller >= page)
      #expect(larger <= max(smaller + page, smaller + smaller / 4))
    }
    // 40,000 keys of 7 bytes, at most 92% full once grown, at least about 73%.
    #expect(shard.bytes <= 40_000 * 64 / 9 * 100 / 73 + page)
  }

  @Test("prepared for more than four workers, a shard grows its tables in the heap; each table goes back where it came from")
  func heapTablesForManyWorkers() {
    let shard = FingerprintShard<Int>()
    let page = Int(sysconf(Int32(_SC_PAGESIZE)))
    func key(_ i: Int) -> UInt64 { Fingerprinter.fingerprint(of: i) & 0x00FF_FFFF_FFFF_FFFF }
    for i in 0..<10_000 { _ = shard.insert(fingerprint: key(i), state: { i }) }
    #expect(shard.bytes >= 8 * page)
    #expect(shard.tableMemory == .ownPages)
    shard.prepare(forWorkers: 16)
    // The table in use stays where it is until the shard grows.
    #expect(shard.tableMemory == .ownPages)
    for i in 10_000..<40_000 { _ = shard.insert(fingerprint: key(i), state: { i }) }
    #expect(shard.tableMemory == .heap)
    shard.prepare(forWorkers: 4)
    for i in 40_000..<60_000 { _ = shard.insert(fingerprint: key(i), state: { i }) }
    #expect(shard.tableMemory == .ownPages)
    #expect(shard.bytes % page == 0)
    #expect(shard.count == 60_000)
    #expect((0..<60_000).allSatisfy { i in shard.contains(fingerprint: key(i), state: { i }) })
    #expect(!(60_000..<61_000).contains { i in shard.contains(fingerprint: key(i), state: { i }) })
  }

  @Test("plans read structs and tuples from memory and give the fingerprints the Mirror walk gives")
  func plans() {
    let inner = Layered.Inner(flag: true, count: 7, phase: .busy(job: 3))
    var values: [Any] = [
      Layered.Empty(),
      inner,
      Layered(inner: inner, pair: (1, "one"), optional: inner, list: [inner, inner], byName: ["a": .idle, "b": .busy(job: 1)],
        wrapped: Layered.Wrapper(value: inner), plain: Plain(name: "p", tags: ["t"], phase: .idle)),
      (inner, 2, "tuple"),
      Layered.Wrapper(value: (1, 2)),
      // Containers of values without a conformance, absorbed element by element.
      [inner, inner],
      ContiguousArray([inner]),
      Set([inner, Layered.Inner(flag: false, count: 0, phase: .idle)]),
      ["k": inner, "l": Layered.Inner(flag: false, count: 1, phase: .idle)],
      Optional(inner) as Any,
      Optional<Layered.Inner>.none as Any,
      [[inner], []],
      [FingerprintTests.Plain.Phase.idle, .busy(job: 2)],
      Optional(Optional(inner)) as Any,
    ]
    // Every field changed once: the plan must see each one.
    let base = values[2] as! Layered
    for change in 0..<8 {
      var changed = base
      switch change {
      case 0: changed.inner.count = 8
      case 1: changed.pair.1 = "two"
      case 2: changed.optional = nil
      case 3: changed.list.removeLast()
      case 4: changed.byName["b"] = .idle
      case 5: changed.pair.0 = 2
      case 6: changed.wrapped.value.flag = false
      default: changed.plain.tags = []
      }
      #expect(planned(changed) != planned(base), "change \(change)")
      values.append(changed)
    }
    // The structs and tuples are read by plans, not by the Mirror walk.
    func isPlanned(_ value: Any) -> Bool {
      if case .fields = ReflectivePlan.plan(for: type(of: value), value: value) { return true }
      return false
    }
    func isContainer(_ value: Any) -> Bool {
      if case .container = ReflectivePlan.plan(for: type(of: value), value: value) { return true }
      return false
    }
    #expect(values.prefix(5).allSatisfy(isPlanned))
    #expect(values[5..<14].allSatisfy(isContainer))
    #expect(!isPlanned(FingerprintTests.Plain.Phase.idle) && !isContainer(FingerprintTests.Plain.Phase.idle))
    #expect(!isPlanned(Layered.Box(1)) && !isContainer(Layered.Box(1)))
    // References, which may be weak or unowned, leave the whole type to the Mirror walk.
    let box = Layered.Box(5)
    let references = Layered.References(strong: box, weak: box, unowned: box, optional: 1)
    #expect(!isPlanned(references) && planned(references) == mirrored(references))
    #expect(isPlanned(Layered.Wrapper(value: Optional(inner))))
    for (position, value) in values.enumerated() {
      #expect(planned(value) == mirrored(value), "value \(position): \(value)")
      // A second time, from the cache.
      #expect(planned(value) == mirrored(value), "value \(position), cached")
    }
    // Real states: every component of every reachable state of a spec fingerprinted by reflection.
    let spec = PaymentAPI(variant: .correct, retries: 1, crashes: 1).spec
    var components = 0
    let initial = spec.initialStates[0]
    #expect(isPlanned(initial.processes[0].durable) && isPlanned(initial.shared))
    for state in reachableStates(spec) {
      for process in state.processes {
        #expect(planned(process.durable) == mirrored(process.durable))
        #expect(planned(process.volatile) == mirrored(process.volatile))
        components += 2
      }
      #expect(planned(state.shared) == mirrored(state.shared))
    }
    #expect(components > 100)
  }

  @Test("enums without payloads are absorbed by their case names, as the Mirror walk does")
  func caseNames() throws {
    func byCases(_ type: any Any.Type, _ value: Any) -> Bool {
      if case .enumCases = ReflectivePlan.plan(for: type, value: value) { return true }
      return false
    }
    #expect(byCases(Signals.Light.self, Signals.Light.red))
    #expect(byCases(Signals.Single.self, Signals.Single.only))
    #expect(byCases(Signals.Described.self, Signals.Described.a))
    #expect(byCases(Signals.Tagged<String>.self, Signals.Tagged<String>.y))
    #expect(byCases(Signals.Wide.self, Signals.Wide.c256))
    // Custom mirrors stay with the Mirror walk.
    #expect(!byCases(Signals.Mirrored.self, Signals.Mirrored.a))
    #expect(!byCases(Int.self, 1))
    var values: [Any] = [
      Signals.Light.red, Signals.Light.amber, Signals.Light.green, Signals.Single.only, Signals.Described.a,
      Signals.Described.b, Signals.Tagged<String>.x, Signals.Tagged<Int>.y, Signals.Wide.c0, Signals.Wide.c256,
      Signals.Mirrored.b, [Signals.Light.green, .red], Optional(Signals.Light.amber) as Any,
      Optional<Signals.Light>.none as Any, Set([Signals.Light.red, .green]),
    ]
    let base = Signals()
    values.append(base)
    // Every field changed once: each must change the fingerprint.
    for change in 0..<8 {
      var changed = base
      switch change {
      case 0: changed.light = .green
      case 1: changed.described = .b
      case 2: changed.lights.append(.amber)
      case 3: changed.maybe = nil
      case 4: changed.tagged = .y
      case 5: changed.wide = .c200
      case 6: changed.mirrored = .b
      default: changed.count = 2
      }
      #expect(planned(changed) != planned(base), "change \(change)")
      values.append(changed)
    }
    #expect(ReflectivePlan.plan(for: Signals.self, value: base).isMirror == false)
    for (position, value) in values.enumerated() {
      #expect(planned(value) == mirrored(value), "value \(position): \(value)")
      #expect(planned(value) == mirrored(value), "value \(position), cached")
    }
    // Distinct cases, distinct fingerprints; the custom description is what is absorbed.
    let lights = [Signals.Light.red, .amber, .green].map { planned($0) }
    #expect(Set(lights).count == 3)
    #expect(planned(Signals.Described.a) == ReflectiveFingerprint.fingerprint(of: "first"))
    // Threads meeting the tags at once fill a fresh table with the same names.
    let names = try #require(EnumCases(Signals.Light.self))
    let seen = Mutex<[[UInt64]]>([])
    DispatchQueue.concurrentPerform(iterations: 8) { _ in
      var mine: [UInt64] = []
      for light in [Signals.Light.green, .red, .amber] {
        var f = Fingerprinter()
        withUnsafePointer(to: light) { names.absorb(at: UnsafeRawPointer($0), into: &f) }
        mine.append(f.finalize())
      }
      seen.withLock { $0.append(mine) }
    }
    let expected = [Signals.Light.green, .red, .amber].map { mirrored($0) }
    #expect(seen.withLock { $0 }.allSatisfy { $0 == expected })
  }

  @Test("the plan cache gives one plan per type to threads that ask at once")
  func planCache() {
    let cache = ReflectivePlanCache()
    let types: [any Any.Type] = [Int.self, String.self, Layered.self, Layered.Inner.self, (Int, Int).self, Plain.self]
    let made = Mutex(0)
    DispatchQueue.concurrentPerform(iterations: 8) { _ in
      for type in types {
        _ = cache.plan(for: type) {
          made.withLock { $0 += 1 }
          return .mirror
        }
      }
    }
    let firstRound = made.withLock { $0 }
    #expect(firstRound >= types.count)
    // Every type is found now: no plan is made again.
    for type in types { _ = cache.plan(for: type) { made.withLock { $0 += 1 }; return .mirror } }
    #expect(made.withLock { $0 } == firstRound)
  }
}

/// The fingerprint of `value` by its type's plan, where it has one.
func planned(_ value: Any) -> UInt64 {
  var f = Fingerprinter()
  ReflectiveFingerprint.walk(value, into: &f, planning: true)
  return f.finalize()
}

/// The fingerprint of `value` by the `Mirror` walk alone, which plans must agree with.
func mirrored(_ value: Any) -> UInt64 {
  var f = Fingerprinter()
  ReflectiveFingerprint.walk(value, into: &f, planning: false)
  return f.finalize()
}

/// Enums without payloads, in a struct and in containers: what ``EnumCases`` absorbs, and
/// enums it leaves to the Mirror walk.
struct Signals {
  enum Light { case red, amber, green }
  enum Single { case only }
  enum Described: CustomStringConvertible {
    case a, b
    var description: String { self == .a ? "first" : "second" }
  }
  enum Tagged<Value> { case x, y }
  /// More cases than one byte holds: the case takes two.
  enum Wide { case c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15, c16, c17, c18, c19, c20, c21, c22, c23, c24, c25, c26, c27, c28, c29, c30, c31, c32, c33, c34, c35, c36, c37, c38, c39, c40, c41, c42, c43, c44, c45, c46, c47, c48, c49, c50, c51, c52, c53, c54, c55, c56, c57, c58, c59, c60, c61, c62, c63, c64, c65, c66, c67, c68, c69, c70, c71, c72, c73, c74, c75, c76, c77, c78, c79, c80, c81, c82, c83, c84, c85, c86, c87, c88, c89, c90, c91, c92, c93, c94, c95, c96, c97, c98, c99, c100, c101, c102, c103, c104, c105, c106, c107, c108, c109, c110, c111, c112, c113, c114, c115, c116, c117, c118, c119, c120, c121, c122, c123, c124, c125, c126, c127, c128, c129, c130, c131, c132, c133, c134, c135, c136, c137, c138, c139, c140, c141, c142, c143, c144, c145, c146, c147, c148, c149, c150, c151, c152, c153, c154, c155, c156, c157, c158, c159, c160, c161, c162, c163, c164, c165, c166, c167, c168, c169, c170, c171, c172, c173, c174, c175, c176, c177, c178, c179, c180, c181, c182, c183, c184, c185, c186, c187, c188, c189, c190, c191, c192, c193, c194, c195, c196, c197, c198, c199, c200, c201, c202, c203, c204, c205, c206, c207, c208, c209, c210, c211, c212, c213, c214, c215, c216, c217, c218, c219, c220, c221, c222, c223, c224, c225, c226, c227, c228, c229, c230, c231, c232, c233, c234, c235, c236, c237, c238, c239, c240, c241, c242, c243, c244, c245, c246, c247, c248, c249, c250, c251, c252, c253, c254, c255, c256 }
  enum Mirrored: CustomReflectable {
    case a, b
    var customMirror: Mirror { Mirror(self, children: ["case": self == .a ? 1 : 2]) }
  }
  var light = Light.amber
  var single = Single.only
  var described = Described.a
  var lights: [Light] = [.red, .green]
  var maybe: Light? = .red
  var tagged = Tagged<Int>.x
  var wide = Wide.c100
  var mirrored = Mirrored.a
  var count = 1
}

/// Layers of structs, tuples, enums, optionals and collections, none fingerprintable: what plans
/// read from memory and what they leave to the Mirror walk; and references, which they leave.
struct Layered {
  struct Empty {}
  struct Inner: Hashable { var flag: Bool; var count: Int; var phase: FingerprintTests.Plain.Phase }
  final class Box {
    let value: Int
    init(_ value: Int) { self.value = value }
  }
  struct Wrapper<Value> { var value: Value }
  struct References {
    var strong: Box
    weak var weak: Box?
    unowned var unowned: Box
    var optional: Int?
  }
  var inner: Inner
  var pair: (Int, String)
  var optional: Inner?
  var list: [Inner]
  var byName: [String: FingerprintTests.Plain.Phase]
  var wrapped: Wrapper<Inner>
  var plain: FingerprintTests.Plain
}
