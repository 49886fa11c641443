import Interleave

/// `interleave check <Spec>`: model-checks a bundled spec.
enum CheckCommand {
  static let usage = """
    interleave check <spec> [--param name=value]... [--strategy bfs|dfs] [--workers N] [--max-depth N]
                            [--max-states N] [--memory SIZE] [--continue] [--no-deadlock] [--exact]
                            [--symmetry] [--json] [--trace-out FILE.jsonl] [--quiet]
    """

  static let help = """
    OVERVIEW: Model-check a spec: explore every reachable state and report the shortest
    counterexample (under BFS) if an invariant, a post-condition or deadlock freedom fails.

    USAGE: \(usage)

    ARGUMENTS:
      <spec>                  A bundled spec (see 'interleave list').

    OPTIONS:
      --param name=value      Set a spec parameter (repeatable).
      --strategy bfs|dfs      Breadth-first (default; shortest counterexamples) or depth-first.
      --workers N             Threads for breadth-first search (default: all cores). Counts, depth
                              and counterexample are the same for every N.
      --max-depth N           Do not expand states at depth N (initial states are depth 1).
      --max-states N          Stop after storing N distinct states.
      --memory SIZE           Stop, inconclusive, when the search's own data passes SIZE (bytes, or
                              with a K, M or G suffix, e.g. 512M).
      --continue              Explore everything; report each violated property once.
      --no-deadlock           Do not report states without successors.
      --exact                 Store full states instead of 64-bit fingerprints.
      --symmetry              Identify states up to the spec's symmetry (TLC's SYMMETRY).
      --json                  Print one JSON object on stdout.
      --trace-out FILE.jsonl  Write the counterexample as JSONL, one step per line.
      --quiet                 No progress on stderr.
      -h, --help              Show this help.

    EXIT STATUS: 0 holds, 1 violation, 2 inconclusive (a bound was hit), 64 usage error,
    65 bad input data, 70 internal error.

    """

  struct Arguments {
    var spec: String?
    var assignments: [String] = []
    var options = CheckOptions()
    var json = false
    var traceOut: String?
    var quiet = false
    var help = false
  }

  static func parse(_ arguments: [String]) throws(CommandError) -> Arguments {
    var cursor = ArgumentCursor(arguments, usage: usage)
    var parsed = Arguments()
    let flags: Set<String> = ["-h", "--help", "--continue", "--no-deadlock", "--exact", "--symmetry", "--json", "--quiet", "-q"]
    while let argument = cursor.next() {
      let (name, inline) = try cursor.parts(of: argument, flags: flags)
      switch name {
      case "-h", "--help": parsed.help = true
      case "--param", "-p": parsed.assignments.append(try cursor.value(for: name, inline: inline))
      case "--strategy":
        let value = try cursor.value(for: name, inline: inline)
        guard let strategy = CheckOptions.Strategy(rawValue: value) else {
          throw .usage("The value '\(value)' is invalid for '--strategy': expected bfs or dfs", usage)
        }
        parsed.options.strategy = strategy
      case "--max-depth": parsed.options.maxDepth = try cursor.positiveInteger(for: name, inline: inline)
      case "--max-states": parsed.options.maxStates = try cursor.positiveInteger(for: name, inline: inline)
      case "--workers": parsed.options.workers = try cursor.positiveInteger(for: name, inline: inline)
      case "--memory": parsed.options.memoryLimit = try cursor.byteSize(for: name, inline: inline)
      case "--continue": parsed.options.stopAtFirstViolation = false
      case "--no-deadlock": parsed.options.checkDeadlock = false
      case "--exact": parsed.options.exact = true
      case "--symmetry": parsed.options.symmetry = true
      case "--json": parsed.json = true
      case "--trace-out": parsed.traceOut = try cursor.value(for: name, inline: inline)
      case "--quiet", "-q": parsed.quiet = true
      default:
        if argument.hasPrefix("-") { throw .usage("Unknown option '\(argument)'", usage) }
        guard parsed.spec == nil else { throw .usage("Unexpected argument '\(argument)'", usage) }
        parsed.spec = argument
      }
    }
    return parsed
  }

  static func run(_ arguments: [String], catalog: SpecCatalog, console: Console) throws(CommandError) -> ExitCode {
    var parsed = try parse(arguments)
    if parsed.help {
      console.out(help)
      return .holds
    }
    let entry = try SpecSelection.entry(parsed.spec, in: catalog, usage: usage)
    let values = try SpecSelection.values(for: entry, parsed.assignments, usage: usage)
    if !parsed.quiet {
      parsed.options.progress = { progress in
        console.err(
          "progress: \(progress.distinctStates) distinct, \(Int(progress.statesPerSecond)) states/s, "
            + "queue \(progress.queued), depth \(progress.depth), \(Int(progress.seconds)) s\n")
      }
    }
    let spec = entry.make(values)
    var report = spec.check(parsed.options)
    report.parameters = values.json
    console.out(parsed.json ? report.json.jsonText + "\n" : report.text)
    if let internalError = report.internalError {
      throw CommandError(message: internalError, code: .internalError)
    }
    if let path = parsed.traceOut, let violation = report.violation {
      if let reason = writeFileAtomically(violation.jsonLines, to: path) {
        throw CommandError(message: "cannot write the trace to '\(path)': \(reason)", code: .internalError)
      }
    }
    switch report.verdict {
    case .holds: return .holds
    case .violation: return .violation
    case .inconclusive: return .inconclusive
    }
  }
}
