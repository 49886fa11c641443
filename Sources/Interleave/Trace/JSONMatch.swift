/// Compares what a log observed with what a spec state renders to.
public enum JSONMatch {
  /// Where an observed value differs from the actual one.
  public struct Mismatch: Sendable, Hashable, CustomStringConvertible {
    /// The path of the field (`rmState.2`, `msgs[0]`).
    public var path: String
    /// What the log says.
    public var observed: JSONValue
    /// What the state has (nil if the field does not exist).
    public var actual: JSONValue?
    public var description: String {
      "\(path): logged \(observed.jsonText), spec has \(actual?.jsonText ?? "no such field")"
    }
  }

  /// The first difference between `observed` and `actual`, or nil if they match. Objects match
  /// when every observed member matches (the log may observe any subset of fields); arrays match
  /// element by element; numbers match by value (1 and 1.0 are equal).
  public static func mismatch(observed: JSONValue, actual: JSONValue?, path: String = "") -> Mismatch? {
    guard let actual else { return Mismatch(path: path, observed: observed, actual: nil) }
    switch (observed, actual) {
    case (.object(let logged), .object(let real)):
      for member in logged {
        let childPath = path.isEmpty ? member.key : "\(path).\(member.key)"
        if let found = mismatch(observed: member.value, actual: real[member.key], path: childPath) { return found }
      }
      return nil
    case (.array(let logged), .array(let real)):
      guard logged.count == real.count else { return Mismatch(path: path, observed: observed, actual: actual) }
      for index in logged.indices {
        if let found = mismatch(observed: logged[index], actual: real[index], path: "\(path)[\(index)]") { return found }
      }
      return nil
    case (.int(let a), .double(let b)): return Double(a) == b ? nil : Mismatch(path: path, observed: observed, actual: actual)
    case (.double(let a), .int(let b)): return a == Double(b) ? nil : Mismatch(path: path, observed: observed, actual: actual)
    default:
      return observed == actual ? nil : Mismatch(path: path.isEmpty ? "value" : path, observed: observed, actual: actual)
    }
  }

  /// The first logged member of `observed` that `actual` lacks or disagrees with.
  public static func mismatch(observed: JSONObject, actual: JSONValue) -> Mismatch? {
    mismatch(observed: .object(observed), actual: actual)
  }
}
