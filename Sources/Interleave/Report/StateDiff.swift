/// The fields that changed between two rendered states, as `path = value` lines.
public enum StateDiff {
  /// One changed leaf: its path (`rmState.2`, `msgs`) and its new value (nil if removed).
  public struct Change: Hashable, Sendable {
    public var path: String
    public var old: JSONValue?
    public var new: JSONValue?
  }

  /// The leaves that differ between `old` and `new`. Objects are compared member by member;
  /// arrays of the same length element by element; anything else as a whole.
  public static func changes(from old: JSONValue, to new: JSONValue, path: String = "") -> [Change] {
    if old == new { return [] }
    switch (old, new) {
    case (.object(let a), .object(let b)):
      var result: [Change] = []
      for member in b {
        let childPath = path.isEmpty ? member.key : "\(path).\(member.key)"
        if let before = a[member.key] {
          result += changes(from: before, to: member.value, path: childPath)
        } else {
          result.append(Change(path: childPath, old: nil, new: member.value))
        }
      }
      for member in a where b[member.key] == nil {
        result.append(Change(path: path.isEmpty ? member.key : "\(path).\(member.key)", old: member.value, new: nil))
      }
      return result
    case (.array(let a), .array(let b)) where a.count == b.count:
      return zip(a, b).enumerated().flatMap { changes(from: $0.element.0, to: $0.element.1, path: "\(path)[\($0.offset)]") }
    default:
      return [Change(path: path.isEmpty ? "state" : path, old: old, new: new)]
    }
  }

  /// The top-level fields of a state as `path = value` changes from nothing.
  public static func fields(of state: JSONValue) -> [Change] {
    guard case .object(let object) = state else { return [Change(path: "state", old: nil, new: state)] }
    return object.map { Change(path: $0.key, old: nil, new: $0.value) }
  }
}
