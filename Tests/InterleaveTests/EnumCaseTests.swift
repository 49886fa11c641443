import CInterleaveSupport
import Dispatch
@testable import Interleave
import InterleaveSpecs
import Synchronization
import Testing

@Suite("Enums with payloads")
struct EnumCaseTests {
  @Test("enums with payloads are read in place by case and payload, and fingerprint as the Mirror walk does")
  func inPlace() throws {
    func readInPlace(_ type: any Any.Type, _ value: Any) -> Bool {
      if case .enumCases = ReflectivePlan.plan(for: type, value: value) { return true }
      return false
    }
    #expect(readInPlace(Cargo.Count.self, Cargo.Count.some(1)))
    #expect(readInPlace(Cargo.Text.self, Cargo.Text.word("w")))
    #expect(readInPlace(Cargo.Message.self, Cargo.Message.ping))
    #expect(readInPlace(Cargo.Mixed.self, Cargo.Mixed.c))
    #expect(readInPlace(Cargo.Sides.self, Cargo.Sides.none))
    #expect(readInPlace(Cargo.Labeled.self, Cargo.Labeled.done(charge: 1)))
    #expect(readInPlace(Cargo.Nested.self, Cargo.Nested.inner(.ping)))
    #expect(readInPlace(Cargo.Generic<String>.self, Cargo.Generic<String>.nothing))
    #expect(readInPlace(Cargo.Tree.self, Cargo.Tree.leaf(1)))
    #expect(readInPlace(Cargo.Held.self, Cargo.Held.nothing))
    // Custom mirrors stay with the Mirror walk; optionals are containers.
    #expect(EnumCases(Cargo.Mirrored.self) == nil)
    #expect(EnumCases(Cargo.Message?.self) == nil)
    #expect(EnumCases(Int.self) == nil)

    let box = Cargo.Box(3)
    var values: [Any] = [
      Cargo.Count.some(1), Cargo.Count.some(-1), Cargo.Count.none,
      Cargo.Text.word("w"), Cargo.Text.word("a longer word than fits in a small string"), Cargo.Text.empty,
      Cargo.Message.charge(key: "k1", amount: 10), Cargo.Message.response(key: "k1", charge: 4),
      Cargo.Message.response(key: "k1", charge: nil), Cargo.Message.ping,
      Cargo.Sides.left(.green), Cargo.Sides.right(.red, true), Cargo.Sides.right(.amber, false), Cargo.Sides.none,
      Cargo.Mixed.a(-3), Cargo.Mixed.b(1 << 40), Cargo.Mixed.c, Cargo.Mixed.d,
      Cargo.Labeled.done(charge: 7),
      Cargo.Nested.inner(.charge(key: "k2", amount: 1)), Cargo.Nested.pair(.green, .word("x")), Cargo.Nested.list([.c, .a(1)]),
      Cargo.Generic<String>.value("v"), Cargo.Generic<[Int]>.value([1, 2]), Cargo.Generic<Cargo.Text>.value(.empty),
      Cargo.Generic<Int>.nothing,
      Cargo.Outer<String>.Inner.value("v"), Cargo.Outer<[Int]>.Inner.pair([1], 2), Cargo.Outer<Int>.Inner.nothing,
      Cargo.Tree.node(.leaf(1), .node(.leaf(2), .leaf(3))), Cargo.Tree.leaf(4),
      Cargo.Chain.link(Cargo.Holder(box: box), .link(Cargo.Holder(box: box), .end)), Cargo.Chain.end,
      Cargo.Lopsided.pair(Cargo.Holder(box: box), Cargo.Holder(box: box)), Cargo.Lopsided.boxed(Cargo.Holder(box: box)),
      Cargo.Held.object(box), Cargo.Held.any(5), Cargo.Held.action({ $0 }), Cargo.Held.holder(Cargo.Holder(box: box)),
      Cargo.Held.nothing, Cargo.Holders.first(Cargo.Holder(box: box)), Cargo.Holders.second(Cargo.Holder(box: box)),
      Cargo.Described.a(1), Cargo.Described.b, Cargo.Mirrored.a(1),
      [Cargo.Message.ping, .charge(key: "k", amount: 1)], Optional(Cargo.Message.ping) as Any, Optional<Cargo.Message>.none as Any,
      Set([Cargo.Count.some(1), .none]), ["k": Cargo.Message.ping],
    ]
    let base = Cargo()
    values.append(base)
    // Every payload and case changed once: each must change the fingerprint.
    for change in 0..<12 {
      var changed = base
      switch change {
      case 0: changed.count = .some(3)
      case 1: changed.count = .none
      case 2: changed.text = .word("z")
      case 3: changed.message = .charge(key: "k1", amount: 11)
      case 4: changed.message = .charge(key: "k2", amount: 10)
      case 5: changed.message = .response(key: "k1", charge: 10)
      case 6: changed.mixed = .a(1)
      case 7: changed.nested = .inner(.charge(key: "k1", amount: 10))
      case 8: changed.generic = .value(2)
      case 9: changed.sides = .right(.amber, false)
      case 10: changed.sides = .left(.amber)
      default: changed.byKey["k"] = .done(charge: 2)
      }
      #expect(planned(changed) != planned(base), "change \(change)")
      values.append(changed)
    }
    #expect(ReflectivePlan.plan(for: Cargo.self, value: base).isMirror == false)
    for (position, value) in values.enumerated() {
      #expect(planned(value) == mirrored(value), "value \(position): \(value)")
      #expect(planned(value) == mirrored(value), "value \(position), cached")
    }
    // Distinct cases with equal payloads, distinct fingerprints.
    #expect(planned(Cargo.Mixed.a(1)) != planned(Cargo.Mixed.b(1)))
    #expect(planned(Cargo.Message.charge(key: "k", amount: 1)) != planned(Cargo.Message.response(key: "k", charge: 1)))

    // What each case was found to need: payloads read in place where they are values (in their
    // box for indirect cases), Mirror for references, existentials and functions.
    func form(_ type: any Any.Type, _ value: Any) throws -> EnumCases.Case.Form {
      let payloads = try #require(EnumCases(type))
      func formOf<T>(_ value: T) -> EnumCases.Case.Form {
        withUnsafePointer(to: value) { pointer in
          let tag = interleave_enum_tag(pointer, unsafeBitCast(T.self, to: UnsafeRawPointer.self))
          return payloads.knownCase(Int(tag), at: UnsafeRawPointer(pointer)).takeUnretainedValue().form
        }
      }
      return _openExistential(value, do: formOf)
    }
    func isInPlace(_ form: EnumCases.Case.Form) -> Bool {
      if case .payload = form { return true }
      return false
    }
    func isMirror(_ form: EnumCases.Case.Form) -> Bool {
      if case .mirror = form { return true }
      return false
    }
    #expect(try isInPlace(form(Cargo.Message.self, Cargo.Message.charge(key: "k", amount: 1))))
    #expect(try isInPlace(form(Cargo.Mixed.self, Cargo.Mixed.b(2))))
    #expect(try isInPlace(form(Cargo.Sides.self, Cargo.Sides.right(.green, true))))
    #expect(try isInPlace(form(Cargo.Labeled.self, Cargo.Labeled.done(charge: 1))))
    #expect(try isInPlace(form(Cargo.Generic<[Int]>.self, Cargo.Generic<[Int]>.value([1]))))
    #expect(try isInPlace(form(Cargo.Outer<String>.Inner.self, Cargo.Outer<String>.Inner.pair("p", 1))))
    #expect(try isInPlace(form(Cargo.Held.self, Cargo.Held.holder(Cargo.Holder(box: box)))))
    #expect(try isInPlace(form(Cargo.Holders.self, Cargo.Holders.second(Cargo.Holder(box: box)))))
    #expect(try isInPlace(form(Cargo.Tree.self, Cargo.Tree.leaf(1))))
    #expect(try isInPlace(form(Cargo.Tree.self, Cargo.Tree.node(.leaf(1), .leaf(2)))))
    #expect(try isInPlace(form(Cargo.Chain.self, Cargo.Chain.link(Cargo.Holder(box: box), .end))))
    #expect(try isMirror(form(Cargo.Held.self, Cargo.Held.object(box))))
    #expect(try isMirror(form(Cargo.Held.self, Cargo.Held.any(1))))
    #expect(try isMirror(form(Cargo.Held.self, Cargo.Held.action({ $0 }))))
    if case .description(let text) = try form(Cargo.Described.self, Cargo.Described.b) {
      #expect(text == "second")
    } else {
      Issue.record("a case without payload is absorbed by its description")
    }
  }

  @Test("every enum of every reachable state of the reflective specs fingerprints as the Mirror walk does")
  func realStates() {
    func expectMirrorWords<S: DistributedSystem>(_ system: S) -> Int {
      var enums = 0
      for state in reachableStates(system.spec) {
        for entry in state.network.entries {
          #expect(planned(entry.envelope.message) == mirrored(entry.envelope.message), "\(entry.envelope.message)")
          enums += 1
        }
        for process in state.processes {
          for timer in process.timers {
            #expect(planned(timer.timer) == mirrored(timer.timer))
            enums += 1
          }
          #expect(planned(process.durable) == mirrored(process.durable))
          #expect(planned(process.volatile) == mirrored(process.volatile))
        }
      }
      return enums
    }
    var enums = 0
    for variant in PaymentAPI.Variant.allCases {
      enums += expectMirrorWords(PaymentAPI(variant: variant, retries: 2, crashes: 1))
    }
    enums += expectMirrorWords(IdempotentProducer(maxInFlight: 2))
    #expect(enums > 1_000)
    // The messages and stages are read in place, not walked with Mirror.
    func isInPlace(_ value: Any) -> Bool {
      if case .enumCases = ReflectivePlan.plan(for: type(of: value), value: value) { return true }
      return false
    }
    #expect(isInPlace(PaymentAPI.Message.charge(key: "k", amount: 1)))
    #expect(isInPlace(PaymentAPI.Stage.charged(charge: 1)))
    #expect(isInPlace(PaymentAPI.KeyEntry.done(charge: 1)))
  }

  @Test("payloads read in place are copied and destroyed exactly once")
  func referenceCounts() {
    var box = Cargo.Box(1)
    do {
      let values: [Any] = [
        Cargo.Held.holder(Cargo.Holder(box: box)), Cargo.Held.object(box),
        Cargo.Generic<Cargo.Held>.value(.holder(Cargo.Holder(box: box))), Cargo.Generic<Cargo.Box>.value(box),
        Cargo.Holders.first(Cargo.Holder(box: box)), Cargo.Holders.second(Cargo.Holder(box: box)),
        Cargo.Chain.link(Cargo.Holder(box: box), .link(Cargo.Holder(box: box), .end)),
        Cargo.Lopsided.boxed(Cargo.Holder(box: box)), Cargo.Lopsided.pair(Cargo.Holder(box: box), Cargo.Holder(box: box)),
      ]
      for _ in 0..<1_000 {
        for value in values { _ = planned(value) }
      }
    }
    // Every copy made to read a payload was destroyed (a copy too many would crash).
    #expect(isKnownUniquelyReferenced(&box))
    weak var watcher: Cargo.Box?
    do {
      let object = Cargo.Box(2)
      watcher = object
      let held = Cargo.Generic<Cargo.Holder>.value(Cargo.Holder(box: object))
      for _ in 0..<100 { _ = planned(held) }
    }
    #expect(watcher == nil)
  }

  @Test("threads meeting the cases at once fill a fresh table with the same forms")
  func concurrentCases() throws {
    let payloads = try #require(EnumCases(Cargo.Message.self))
    let messages: [Cargo.Message] = [.ping, .response(key: "r", charge: nil), .charge(key: "c", amount: 2), .response(key: "r", charge: 1)]
    let seen = Mutex<[[UInt64]]>([])
    DispatchQueue.concurrentPerform(iterations: 8) { _ in
      var mine: [UInt64] = []
      for message in messages {
        var f = Fingerprinter()
        withUnsafePointer(to: message) { payloads.absorb(at: UnsafeRawPointer($0), into: &f) }
        mine.append(f.finalize())
      }
      seen.withLock { $0.append(mine) }
    }
    let expected = messages.map { mirrored($0) }
    #expect(seen.withLock { $0 }.allSatisfy { $0 == expected })
  }
}

/// Enums with payloads of every layout the runtime uses, in a struct and in containers: what
/// ``EnumCases`` reads in place, and what it leaves to the Mirror walk.
struct Cargo {
  /// One payload without spare bits: the case is in an extra tag byte.
  enum Count: Hashable { case some(Int), none }
  /// One payload with spare bits and extra inhabitants.
  enum Text { case word(String), empty }
  /// Several payloads with spare bits: the case is in the payloads' spare bits.
  enum Message: Hashable {
    case charge(key: String, amount: Int)
    case response(key: String, charge: Int?)
    case ping
  }
  /// Several payloads whose spare bits (in a small enum's byte and a Bool's) hold the case.
  enum Sides { case left(Signals.Light), right(Signals.Light, Bool), none }
  /// Several payloads of different sizes, two cases without payload.
  enum Mixed { case a(Int8), b(Int64), c, d }
  /// One case, one labeled value.
  enum Labeled { case done(charge: Int) }
  /// Enums inside payloads.
  enum Nested { case inner(Message), pair(Signals.Light, Text), list([Mixed]) }
  enum Generic<Value> { case value(Value), nothing }
  /// An enum made generic by the type it is declared in.
  struct Outer<Value> {
    enum Inner { case value(Value), pair(Value, Int), nothing }
  }
  /// Indirect cases: each payload in a heap box of its own.
  indirect enum Tree { case leaf(Int), node(Tree, Tree) }
  enum Chain {
    indirect case link(Holder, Chain)
    case end
  }
  /// An indirect case beside a larger direct one.
  enum Lopsided {
    case pair(Holder, Holder)
    indirect case boxed(Holder)
  }
  final class Box {
    let value: Int
    init(_ value: Int) { self.value = value }
  }
  struct Holder { var box: Box }
  /// Several payloads holding a reference, whose spare bits hold the case.
  enum Holders { case first(Holder), second(Holder) }
  /// References, existentials and functions in payloads: left to Mirror, case by case.
  enum Held { case object(Box), any(any Sendable), action((Int) -> Int), holder(Holder), nothing }
  enum Described: CustomStringConvertible {
    case a(Int), b
    var description: String {
      if case .a = self { return "first" }
      return "second"
    }
  }
  enum Mirrored: CustomReflectable {
    case a(Int)
    var customMirror: Mirror { Mirror(self, children: ["case": 1]) }
  }
  var count = Count.some(1)
  var text = Text.word("w")
  var message = Message.charge(key: "k1", amount: 10)
  var mixed = Mixed.b(1)
  var sides = Sides.right(.amber, true)
  var nested = Nested.pair(.red, .empty)
  var generic = Generic<Int>.value(1)
  var byKey: [String: Labeled] = ["k": .done(charge: 1)]
  var messages: [Message] = [.ping, .response(key: "k1", charge: nil)]
}
