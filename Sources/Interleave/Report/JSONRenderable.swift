/// A type that chooses its own JSON rendering in reports and traces.
///
/// Any state, action argument or response renders to JSON without this conformance, by
/// reflection. Conform when the reflected form is not what a reader should see, for example a
/// state packed into bit fields for speed.
public protocol JSONRenderable {
  /// The value as JSON.
  var jsonValue: JSONValue { get }
}

extension JSONValue: JSONRenderable {
  public var jsonValue: JSONValue { self }
}
extension Int: JSONRenderable { public var jsonValue: JSONValue { .int(self) } }
extension Bool: JSONRenderable { public var jsonValue: JSONValue { .bool(self) } }
extension String: JSONRenderable { public var jsonValue: JSONValue { .string(self) } }
extension Double: JSONRenderable { public var jsonValue: JSONValue { .double(self) } }

/// Renders any Swift value to JSON by reflection.
///
/// Structs and classes become objects (fields in declaration order), arrays and tuples without
/// labels become arrays, sets become arrays sorted by their JSON text, dictionaries become
/// objects (string-like keys) or arrays of `[key, value]` pairs, optionals become `null` or the
/// value, enum cases without payload become their name, and enum cases with a payload become
/// `{"caseName": payload}` (a labeled payload tuple as an object, an unlabeled one as an array). A value that conforms to ``JSONRenderable`` renders itself.
public enum JSONRendering {
  /// The JSON rendering of `value`.
  public static func render(_ value: Any) -> JSONValue {
    // The common leaves first: a cast to a concrete type is cheaper than to an existential.
    if let text = value as? String { return .string(text) }
    if let number = value as? Int { return .int(number) }
    if let flag = value as? Bool { return .bool(flag) }
    if let renderable = value as? any JSONRenderable { return renderable.jsonValue }
    switch value {
    case let v as Int8: return .int(Int(v))
    case let v as Int16: return .int(Int(v))
    case let v as Int32: return .int(Int(v))
    case let v as Int64: return .int(Int(v))
    case let v as UInt8: return .int(Int(v))
    case let v as UInt16: return .int(Int(v))
    case let v as UInt32: return .int(Int(v))
    case let v as UInt64: return v <= UInt64(Int.max) ? .int(Int(v)) : .double(Double(v))
    case let v as UInt: return v <= UInt(Int.max) ? .int(Int(v)) : .double(Double(v))
    case let v as Float: return .double(Double(v))
    case let v as Substring: return .string(String(v))
    case let v as Character: return .string(String(v))
    default: break
    }
    let mirror = Mirror(reflecting: value)
    switch mirror.displayStyle {
    case .optional:
      guard let wrapped = mirror.children.first else { return .null }
      return render(wrapped.value)
    case .collection:
      return .array(mirror.children.map { render($0.value) })
    case .set:
      return .array(mirror.children.map { render($0.value) }.sorted { $0.jsonText < $1.jsonText })
    case .dictionary:
      var pairs: [(key: JSONValue, value: JSONValue)] = []
      for child in mirror.children {
        let pair = Mirror(reflecting: child.value).children.map(\.value)
        guard pair.count == 2 else { continue }
        pairs.append((render(pair[0]), render(pair[1])))
      }
      pairs.sort { $0.key.jsonText < $1.key.jsonText }
      if pairs.allSatisfy({ $0.key.stringValue != nil }) {
        return .object(JSONObject(pairs.map { (key: $0.key.stringValue!, value: $0.value) }))
      }
      if pairs.allSatisfy({ $0.key.intValue != nil }) {
        return .object(JSONObject(pairs.map { (key: String($0.key.intValue!), value: $0.value) }))
      }
      return .array(pairs.map { .array([$0.key, $0.value]) })
    case .enum:
      guard let payload = mirror.children.first else { return .string(String(describing: value)) }
      return .object(JSONObject([(key: payload.label ?? "case", value: render(payload.value))]))
    case .tuple:
      let children = Array(mirror.children)
      if children.allSatisfy({ $0.label.map { !$0.hasPrefix(".") } ?? false }) {
        return .object(JSONObject(children.map { (key: $0.label!, value: render($0.value)) }))
      }
      return .array(children.map { render($0.value) })
    case .struct, .class:
      let children = Array(mirror.children)
      if children.isEmpty { return .object(JSONObject()) }
      return .object(
        JSONObject(children.enumerated().map { (key: $0.element.label ?? "_\($0.offset)", value: render($0.element.value)) })
      )
    default:
      if mirror.children.isEmpty { return .string(String(describing: value)) }
      return .array(mirror.children.map { render($0.value) })
    }
  }
}
