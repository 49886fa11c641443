import Interleave
import InterleaveSpecs

/// The `interleave` command: dispatches to its subcommands and maps errors to exit statuses.
public enum InterleaveCommand {
  /// The tool's version.
  public static let version = "0.1.0"

  static let overview = """
    OVERVIEW: Interleave checks a system specified in Swift: every interleaving, exhaustively.

    USAGE: interleave <subcommand>

    SUBCOMMANDS:
      list                    List the bundled specs with their parameters.
      check                   Model-check a spec: explore every reachable state.
      validate                Validate JSONL logs from real runs against a spec.
      simulate                Take seeded random walks through a spec, shrinking failures.

      See 'interleave <subcommand> --help' for detailed help.

    """

  /// Runs the command with `arguments` (without the program name) and returns the exit status.
  public static func run(
    _ arguments: [String], catalog: SpecCatalog = BundledSpecs.catalog, console: Console = .standard
  ) -> Int32 {
    guard let subcommand = arguments.first else {
      console.err(overview)
      return ExitCode.usage.rawValue
    }
    let rest = Array(arguments.dropFirst())
    do throws(CommandError) {
      let code: ExitCode
      switch subcommand {
      case "list": code = try ListCommand.run(rest, catalog: catalog, console: console)
      case "check": code = try CheckCommand.run(rest, catalog: catalog, console: console)
      case "validate": code = try ValidateCommand.run(rest, catalog: catalog, console: console)
      case "simulate": code = try SimulateCommand.run(rest, catalog: catalog, console: console)
      case "help", "-h", "--help":
        if let topic = rest.first { return run([topic, "--help"], catalog: catalog, console: console) }
        console.out(overview)
        code = .holds
      case "--version":
        console.out(version + "\n")
        code = .holds
      default:
        throw CommandError.usage("Unknown subcommand '\(subcommand)'", "interleave <subcommand>; see 'interleave --help'")
      }
      return code.rawValue
    } catch {
      console.err("Error: \(error.message)\n")
      if let usage = error.usage { console.err("Usage: \(usage)\n") }
      return error.code.rawValue
    }
  }
}
