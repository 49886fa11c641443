import Interleave
import InterleaveSpecs

/// `interleave list`: the bundled specs, their parameters and a one-line description.
enum ListCommand {
  static let usage = "interleave list [--json]"

  static func run(_ arguments: [String], catalog: SpecCatalog, console: Console) throws(CommandError) -> ExitCode {
    var json = false
    for argument in arguments {
      switch argument {
      case "--json": json = true
      case "-h", "--help":
        console.out("OVERVIEW: List the bundled specs with their parameters.\n\nUSAGE: \(usage)\n")
        return .holds
      default: throw .usage("Unexpected argument '\(argument)'", usage)
      }
    }
    if json {
      let entries: [JSONValue] = catalog.entries.map { entry in
        [
          "name": .string(entry.name),
          "summary": .string(entry.summary),
          "parameters": .array(
            entry.parameters.map {
              ["name": .string($0.name), "values": .string($0.domainDescription), "default": .string($0.defaultValue),
               "summary": .string($0.summary)]
            }),
        ]
      }
      console.out(JSONValue.array(entries).jsonText + "\n")
      return .holds
    }
    var out = ""
    let width = catalog.entries.map(\.name.count).max() ?? 0
    for entry in catalog.entries {
      out += entry.name.padding(width) + "  " + entry.summary + "\n"
      for parameter in entry.parameters {
        out += String(repeating: " ", count: width + 2)
        out += "--param \(parameter.name)=<\(parameter.domainDescription)> (default \(parameter.defaultValue)): \(parameter.summary)\n"
      }
    }
    console.out(out)
    return .holds
  }
}

extension String {
  func padding(_ width: Int) -> String {
    count >= width ? self : self + String(repeating: " ", count: width - count)
  }
}
