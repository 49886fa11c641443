/// A spec that a front end (the CLI) can find by name and build from parameter values.
public struct CatalogEntry: Sendable {
  /// The name the CLI uses.
  public let name: String
  /// One line on what the spec models.
  public let summary: String
  /// Its parameters with their defaults.
  public let parameters: [SpecParameter]
  /// Builds the spec for the given values.
  public let make: @Sendable (ParameterValues) -> AnySpecification

  /// Declares an entry.
  public init(
    _ name: String, summary: String, parameters: [SpecParameter] = [],
    make: @escaping @Sendable (ParameterValues) -> AnySpecification
  ) {
    self.name = name
    self.summary = summary
    self.parameters = parameters
    self.make = make
  }
}

/// A list of named specs.
public struct SpecCatalog: Sendable {
  /// The entries in listing order.
  public let entries: [CatalogEntry]

  /// Creates a catalog.
  public init(_ entries: [CatalogEntry]) { self.entries = entries }

  /// The entry named `name` (exact match first, then case-insensitive).
  public func entry(named name: String) -> CatalogEntry? {
    entries.first { $0.name == name } ?? entries.first { $0.name.lowercased() == name.lowercased() }
  }
}

/// A spec with its type erased, for front ends that pick a spec at run time.
///
/// Its closures are created where the concrete spec type is known, so the model checker they
/// call is specialized for that type: erasing the type costs nothing per state.
public struct AnySpecification: Sendable {
  /// The spec's name.
  public let name: String
  /// Model-checks the spec and renders the result.
  public let check: @Sendable (CheckOptions) -> CheckReport
  /// Validates a stream of logged events against the spec.
  public let validate: @Sendable (TraceEventStream, ValidationOptions) throws(TraceInputError) -> ValidationReport
  /// Walks the spec at random (``Simulation``) and renders the result.
  public let simulate: @Sendable (SimulationOptions) -> SimulationReport

  /// Erases `spec`'s type.
  @inlinable
  public init<S: Specification>(_ spec: S) {
    name = spec.name
    check = { options in CheckReport(ModelChecker(spec, options: options).run(), spec: spec) }
    validate = { stream, options throws(TraceInputError) in
      var validator = TraceValidator(spec, options: options)
      stream.startReadingAhead()
      while let event = try stream.next() {
        if !validator.feed(event) { break }
      }
      for warning in stream.warnings { validator.warn(warning) }
      return validator.finish()
    }
    simulate = { options in SimulationReport(Simulation(spec, options: options).run(), spec: spec) }
  }
}
