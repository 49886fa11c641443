/// A constant of a catalogued spec that `--param name=value` sets.
public struct SpecParameter: Sendable, Hashable {
  /// The values a parameter accepts.
  public enum Domain: Sendable, Hashable {
    /// An integer in a range.
    case integer(ClosedRange<Int>)
    /// `true` or `false`.
    case boolean
    /// One of a list of names.
    case choice([String])
  }

  /// The name `--param` uses.
  public let name: String
  /// The accepted values.
  public let domain: Domain
  /// The value used when none is given.
  public let defaultValue: String
  /// One line on what it means.
  public let summary: String

  /// Declares a parameter.
  public init(_ name: String, _ domain: Domain, default defaultValue: String, _ summary: String) {
    self.name = name
    self.domain = domain
    self.defaultValue = defaultValue
    self.summary = summary
  }

  /// The accepted values in words, e.g. `integer 1...16` or `one of correct, eagerCommit`.
  public var domainDescription: String {
    switch domain {
    case .integer(let range): "integer \(range.lowerBound)...\(range.upperBound)"
    case .boolean: "true or false"
    case .choice(let names): "one of " + names.joined(separator: ", ")
    }
  }

  /// Whether `text` is an accepted value.
  public func accepts(_ text: String) -> Bool {
    switch domain {
    case .integer(let range): Int(text).map(range.contains) ?? false
    case .boolean: text == "true" || text == "false"
    case .choice(let names): names.contains(text)
    }
  }
}

/// The parameter values of one run: defaults overridden by `--param`.
public struct ParameterValues: Sendable, Hashable {
  /// The values in declaration order.
  public let values: [(name: String, value: String)]

  public static func == (lhs: ParameterValues, rhs: ParameterValues) -> Bool {
    lhs.values.map(\.name) == rhs.values.map(\.name) && lhs.values.map(\.value) == rhs.values.map(\.value)
  }

  public func hash(into hasher: inout Hasher) {
    for (name, value) in values {
      hasher.combine(name)
      hasher.combine(value)
    }
  }

  /// Resolves `assignments` (`name=value`) against `parameters`.
  /// - Throws: ``ParameterError`` for an unknown name, a malformed assignment or a bad value.
  public init(parameters: [SpecParameter], assignments: [String]) throws(ParameterError) {
    var chosen: [String: String] = [:]
    for assignment in assignments {
      guard let equals = assignment.firstIndex(of: "=") else {
        throw .malformed(assignment, parameters: parameters)
      }
      let name = String(assignment[..<equals])
      let value = String(assignment[assignment.index(after: equals)...])
      guard let parameter = parameters.first(where: { $0.name == name }) else {
        throw .unknown(name, parameters: parameters)
      }
      guard parameter.accepts(value) else {
        throw .invalidValue(value, parameter: parameter, parameters: parameters)
      }
      chosen[name] = value
    }
    values = parameters.map { (name: $0.name, value: chosen[$0.name] ?? $0.defaultValue) }
  }

  /// The value of `name` as text.
  public subscript(name: String) -> String {
    guard let value = values.first(where: { $0.name == name })?.value else {
      preconditionFailure("no parameter named \(name)")
    }
    return value
  }

  /// The value of `name` as an integer.
  public func integer(_ name: String) -> Int { Int(self[name])! }
  /// The value of `name` as a Boolean.
  public func boolean(_ name: String) -> Bool { self[name] == "true" }

  /// `name=value` pairs joined by spaces, for headers.
  public var summary: String { values.map { "\($0.name)=\($0.value)" }.joined(separator: " ") }
  /// The values as a JSON object (integers and Booleans typed).
  public var json: JSONValue {
    .object(
      JSONObject(
        values.map { pair in
          let value: JSONValue =
            Int(pair.value).map { .int($0) } ?? (pair.value == "true" ? .bool(true) : pair.value == "false" ? .bool(false) : .string(pair.value))
          return (key: pair.name, value: value)
        }))
  }
}

/// Why `--param` values were rejected; the message lists the spec's parameters.
public enum ParameterError: Error, CustomStringConvertible, Equatable {
  case malformed(String, parameters: [SpecParameter])
  case unknown(String, parameters: [SpecParameter])
  case invalidValue(String, parameter: SpecParameter, parameters: [SpecParameter])

  public var description: String {
    switch self {
    case .malformed(let text, let parameters):
      return "expected --param name=value, got '\(text)'\n" + ParameterError.listing(parameters)
    case .unknown(let name, let parameters):
      return "unknown parameter '\(name)'\n" + ParameterError.listing(parameters)
    case .invalidValue(let value, let parameter, let parameters):
      return "invalid value '\(value)' for parameter '\(parameter.name)': expected \(parameter.domainDescription)\n"
        + ParameterError.listing(parameters)
    }
  }

  static func listing(_ parameters: [SpecParameter]) -> String {
    if parameters.isEmpty { return "this spec takes no parameters" }
    return "parameters:\n"
      + parameters.map { "  \($0.name): \($0.domainDescription) (default \($0.defaultValue)) - \($0.summary)" }
      .joined(separator: "\n")
  }
}
