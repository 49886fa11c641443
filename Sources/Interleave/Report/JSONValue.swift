/// A JSON value: what states, actions, responses and reports are rendered to.
///
/// Objects keep the order of their members (a state renders its fields in declaration order),
/// but two objects compare equal when they hold the same members in any order.
public enum JSONValue: Hashable, Sendable {
  case null
  case bool(Bool)
  case int(Int)
  case double(Double)
  case string(String)
  case array([JSONValue])
  case object(JSONObject)
}

/// An ordered JSON object.
public struct JSONObject: Hashable, Sendable, Sequence, ExpressibleByDictionaryLiteral {
  /// The members in insertion order.
  public private(set) var members: [(key: String, value: JSONValue)]

  /// Creates an object from members in order; a later duplicate key replaces the earlier value.
  public init(_ members: [(key: String, value: JSONValue)] = []) {
    self.members = []
    self.members.reserveCapacity(members.count)
    for member in members { self[member.key] = member.value }
  }

  public init(dictionaryLiteral elements: (String, JSONValue)...) {
    self.init(elements.map { (key: $0.0, value: $0.1) })
  }

  /// Creates an object from members whose keys are known to be distinct (a parser that has
  /// already resolved duplicates); no check is made.
  public init(uniqueMembers: [(key: String, value: JSONValue)]) {
    self.members = uniqueMembers
  }

  /// The value of `key`, or nil; setting nil removes the member.
  public subscript(key: String) -> JSONValue? {
    get { members.first(where: { $0.key == key })?.value }
    set {
      if let index = members.firstIndex(where: { $0.key == key }) {
        if let newValue { members[index].value = newValue } else { members.remove(at: index) }
      } else if let newValue {
        members.append((key: key, value: newValue))
      }
    }
  }

  /// The member names in order.
  public var keys: [String] { members.map(\.key) }
  /// The number of members.
  public var count: Int { members.count }
  public var isEmpty: Bool { members.isEmpty }

  public func makeIterator() -> IndexingIterator<[(key: String, value: JSONValue)]> {
    members.makeIterator()
  }

  public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
    guard lhs.members.count == rhs.members.count else { return false }
    for member in lhs.members where rhs[member.key] != member.value { return false }
    return true
  }

  public func hash(into hasher: inout Hasher) {
    // Order-independent, to agree with ==.
    var sum = 0
    for member in members {
      var h = Hasher()
      h.combine(member.key)
      h.combine(member.value)
      sum = sum &+ h.finalize()
    }
    hasher.combine(members.count)
    hasher.combine(sum)
  }
}

extension JSONValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
  ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral,
  ExpressibleByDictionaryLiteral
{
  public init(nilLiteral: ()) { self = .null }
  public init(booleanLiteral value: Bool) { self = .bool(value) }
  public init(integerLiteral value: Int) { self = .int(value) }
  public init(floatLiteral value: Double) { self = .double(value) }
  public init(stringLiteral value: String) { self = .string(value) }
  public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
  public init(dictionaryLiteral elements: (String, JSONValue)...) {
    self = .object(JSONObject(elements.map { (key: $0.0, value: $0.1) }))
  }
}

extension JSONValue {
  /// The member `key` of an object, or nil for other values.
  public subscript(key: String) -> JSONValue? {
    if case .object(let object) = self { return object[key] }
    return nil
  }

  /// The object's members, or nil for other values.
  public var objectValue: JSONObject? {
    if case .object(let object) = self { return object }
    return nil
  }

  /// The array's elements, or nil for other values.
  public var arrayValue: [JSONValue]? {
    if case .array(let array) = self { return array }
    return nil
  }

  /// The string, or nil for other values.
  public var stringValue: String? {
    if case .string(let string) = self { return string }
    return nil
  }

  /// The integer, or nil for other values (a double with an integral value counts).
  public var intValue: Int? {
    switch self {
    case .int(let value): return value
    case .double(let value) where value.rounded() == value && abs(value) < 9e15: return Int(value)
    default: return nil
    }
  }

  /// The Boolean, or nil for other values.
  public var boolValue: Bool? {
    if case .bool(let value) = self { return value }
    return nil
  }
}
