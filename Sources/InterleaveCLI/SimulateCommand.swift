import Interleave

/// `interleave simulate <Spec>`: seeded random walks over a bundled spec.
enum SimulateCommand {
  static let usage = """
    interleave simulate <spec> [--param name=value]... [--runs N] [--depth N] [--seed S]
                               [--workers N] [--no-deadlock] [--no-shrink] [--json]
    """

  static let help = """
    OVERVIEW: Simulate a spec: take seeded random walks through its state space, checking the
    invariants, post-conditions, trace properties and deadlock freedom at every step. Fast and
    incomplete: for state spaces too large to check. The same seed gives the same output.

    USAGE: \(usage)

    ARGUMENTS:
      <spec>                  A bundled spec (see 'interleave list').

    OPTIONS:
      --param name=value      Set a spec parameter (repeatable).
      --runs N                The number of walks (default 100).
      --depth N               The most steps per walk (default 20).
      --seed S                The seed of the first walk (default 0); walk i uses seed S + i, so
                              '--seed <a failing run's seed> --runs 1' replays that run.
      --workers N             Threads taking walks (default: all cores). The output is the same
                              for every N.
      --no-deadlock           Do not report states without successors.
      --no-shrink             Report the failing walks as found, without shrinking them.
      --json                  Print one JSON object on stdout.
      -h, --help              Show this help.

    The first failing walk of each property is shrunk: chunks of its steps are deleted and the
    rest is replayed (skipping actions no longer enabled) while the same property still fails.

    EXIT STATUS: 0 no walk failed, 1 a walk failed, 64 usage error.

    """

  static func run(_ arguments: [String], catalog: SpecCatalog, console: Console) throws(CommandError) -> ExitCode {
    var cursor = ArgumentCursor(arguments, usage: usage)
    var specName: String?
    var assignments: [String] = []
    var options = SimulationOptions()
    var json = false
    while let argument = cursor.next() {
      let (name, inline) = try cursor.parts(of: argument, flags: ["-h", "--help", "--json", "--no-deadlock", "--no-shrink"])
      switch name {
      case "-h", "--help":
        console.out(help)
        return .holds
      case "--param", "-p": assignments.append(try cursor.value(for: name, inline: inline))
      case "--runs": options.runs = try cursor.positiveInteger(for: name, inline: inline)
      case "--depth": options.depth = try cursor.positiveInteger(for: name, inline: inline)
      case "--seed":
        let text = try cursor.value(for: name, inline: inline)
        guard let seed = UInt64(text.filter { $0 != "_" }) else {
          throw .usage("The value '\(text)' is invalid for '--seed': expected an integer from 0 to \(UInt64.max)", usage)
        }
        options.seed = seed
      case "--workers": options.workers = try cursor.positiveInteger(for: name, inline: inline)
      case "--no-deadlock": options.checkDeadlock = false
      case "--no-shrink": options.shrink = false
      case "--json": json = true
      default:
        if argument.hasPrefix("-") { throw .usage("Unknown option '\(argument)'", usage) }
        guard specName == nil else { throw .usage("Unexpected argument '\(argument)'", usage) }
        specName = argument
      }
    }
    let entry = try SpecSelection.entry(specName, in: catalog, usage: usage)
    let values = try SpecSelection.values(for: entry, assignments, usage: usage)
    var report = entry.make(values).simulate(options)
    report.parameters = values.json
    console.out(json ? report.json.jsonText + "\n" : report.text)
    return report.passed ? .holds : .violation
  }
}
