/// When two responses to the same request count as the same answer (Def I-3 in
/// docs/properties.md): a replay must answer like the first application under this rule.
public struct ResponseEquivalence<Response>: Sendable {
  /// The rule's name, for messages.
  public let name: String
  /// A normal form: two responses are equivalent when their normal forms are equal; nil means
  /// responses are not compared.
  @usableFromInline let normalForm: (@Sendable (Response) -> JSONValue)?

  /// Creates a rule from a normal form.
  public init(name: String, normalForm: (@Sendable (Response) -> JSONValue)?) {
    self.name = name
    self.normalForm = normalForm
  }

  /// Byte-equal answers (Stripe API v1 replays the saved status and body, 500s included).
  public static var exact: Self {
    Self(name: "exact") { JSONRendering.render($0) }
  }

  /// Equal once a marker is erased (Resonate: `OK` then `OK, Deduplicated`), at any depth of the
  /// rendered JSON: object members named `marker` and array elements equal to the string
  /// `marker` are removed, and any other string value equal to `marker` becomes null. Substrings
  /// are not erased: `"OK, Deduplicated"` does not match the marker `"Deduplicated"`.
  public static func ignoringMarker(_ marker: String) -> Self {
    Self(name: "equal except \"\(marker)\"") { erase(marker, from: JSONRendering.render($0)) }
  }

  /// The same outcome class (TigerBeetle: `ok` then `exists` are both success).
  public static func sameOutcomeClass(_ classify: @escaping @Sendable (Response) -> String) -> Self {
    Self(name: "same outcome class") { .string(classify($0)) }
  }

  /// Any answer (Stripe API v2 may finish failed work and answer anew): only the state condition
  /// is checked.
  public static var none: Self { Self(name: "none", normalForm: nil) }

  static func erase(_ marker: String, from value: JSONValue) -> JSONValue {
    switch value {
    case .string(let s) where s == marker: return .null
    case .array(let elements):
      return .array(elements.filter { $0 != .string(marker) }.map { erase(marker, from: $0) })
    case .object(let object):
      return .object(JSONObject(object.members.filter { $0.key != marker }.map { (key: $0.key, value: erase(marker, from: $0.value)) }))
    default: return value
    }
  }
}
