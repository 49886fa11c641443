import Interleave

/// What the subcommands share: finding the named spec and resolving its parameters.
enum SpecSelection {
  /// The catalog entry named `name`, or a usage error listing the bundled specs.
  static func entry(_ name: String?, in catalog: SpecCatalog, usage: String) throws(CommandError) -> CatalogEntry {
    guard let name else { throw .usage("Missing expected argument '<spec>'", usage) }
    guard let entry = catalog.entry(named: name) else {
      throw .usage("Unknown spec '\(name)'; the bundled specs are: \(catalog.entries.map(\.name).joined(separator: ", "))", usage)
    }
    return entry
  }

  /// The parameter values from `name=value` assignments, or a usage error listing the spec's
  /// parameters.
  static func values(for entry: CatalogEntry, _ assignments: [String], usage: String) throws(CommandError) -> ParameterValues {
    do {
      return try ParameterValues(parameters: entry.parameters, assignments: assignments)
    } catch {
      throw .usage("\(entry.name): \(error.description)", usage)
    }
  }
}

extension ArgumentCursor {
  /// Splits the next argument into option name and inline value, rejecting an inline value on a
  /// flag (`--json=false`).
  func parts(of argument: String, flags: Set<String>) throws(CommandError) -> (name: String, inline: String?) {
    let parts = argument.optionParts
    if flags.contains(parts.name) && parts.inline != nil {
      throw .usage("The flag '\(parts.name)' takes no value", usage)
    }
    return parts
  }
}
