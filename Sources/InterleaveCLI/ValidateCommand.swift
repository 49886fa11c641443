import Dispatch
import Interleave

/// `interleave validate <Spec> <trace.jsonl>...`: decides whether the spec explains a log.
enum ValidateCommand {
  static let usage = """
    interleave validate <spec> <trace.jsonl>... [--param name=value]... [--complete]
                               [--max-candidates N] [--hidden-steps N] [--json] [--scan-only]
    """

  static let help = """
    OVERVIEW: Validate JSONL logs recorded from real runs against a spec: is the log a behaviour
    of the spec? Several per-process logs are merged by time, Lamport or vector clock.

    USAGE: \(usage)

    ARGUMENTS:
      <spec>                  A bundled spec (see 'interleave list').
      <trace.jsonl>           One or more logs (see docs/trace-format.md); '-' reads stdin.

    OPTIONS:
      --param name=value      Set a spec parameter (repeatable); overrides the log's header.
      --complete              The log is whole: obligations open at its end refute it.
      --max-candidates N      Inconclusive past N spec states explaining the log (default 100000).
      --hidden-steps N        Unlogged actions allowed between two lines (default 3).
      --json                  Print one JSON object on stdout.
      --scan-only             Only read and parse the logs, and time it (a benchmark baseline).
      -h, --help              Show this help.

    EXIT STATUS: 0 admissible, 1 refuted, 2 inconclusive, 64 usage error, 65 malformed log,
    70 internal error.

    """

  static func run(_ arguments: [String], catalog: SpecCatalog, console: Console) throws(CommandError) -> ExitCode {
    var cursor = ArgumentCursor(arguments, usage: usage)
    var specName: String?
    var paths: [String] = []
    var assignments: [String] = []
    var options = ValidationOptions()
    var json = false
    var scanOnly = false
    while let argument = cursor.next() {
      let (name, inline) = try cursor.parts(of: argument, flags: ["-h", "--help", "--complete", "--json", "--scan-only"])
      switch name {
      case "-h", "--help":
        console.out(help)
        return .holds
      case "--param", "-p": assignments.append(try cursor.value(for: name, inline: inline))
      case "--complete": options.complete = true
      case "--json": json = true
      case "--scan-only": scanOnly = true
      case "--max-candidates": options.maxCandidates = try cursor.positiveInteger(for: name, inline: inline)
      case "--hidden-steps":
        let text = try cursor.value(for: name, inline: inline)
        guard let steps = Int(text), steps >= 0 else {
          throw .usage("The value '\(text)' is invalid for '--hidden-steps': expected a number of steps", usage)
        }
        options.maxHiddenSteps = steps
      default:
        if argument.hasPrefix("-") && argument != "-" { throw .usage("Unknown option '\(argument)'", usage) }
        if specName == nil { specName = argument } else { paths.append(argument) }
      }
    }
    let entry = try SpecSelection.entry(specName, in: catalog, usage: usage)
    guard !paths.isEmpty else { throw .usage("Missing expected argument '<trace.jsonl>'", usage) }
    guard paths.filter({ $0 == "-" }).count <= 1 else { throw .usage("The standard input ('-') can be read only once", usage) }
    if scanOnly { return try scan(paths, json: json, console: console) }
    let stream: TraceEventStream
    do {
      stream = try TraceEventStream(paths: paths)
    } catch {
      throw CommandError(message: error.description, code: .dataError)
    }
    var warnings: [String] = []
    var headerAssignments: [String] = []
    if let header = stream.header {
      if header.spec.lowercased() != entry.name.lowercased() {
        warnings.append("the log's header names the spec '\(header.spec)', not '\(entry.name)'")
      } else {
        let given = Set(assignments.compactMap { $0.split(separator: "=", maxSplits: 1).first.map(String.init) })
        headerAssignments = header.parameters.filter { !given.contains(String($0.split(separator: "=").first ?? "")) }
      }
    }
    do {
      _ = try ParameterValues(parameters: entry.parameters, assignments: headerAssignments)
    } catch {
      throw CommandError(message: "the log's header: \(entry.name): \(error.description)", code: .dataError)
    }
    let values = try SpecSelection.values(for: entry, headerAssignments + assignments, usage: usage)
    var report: ValidationReport
    do {
      report = try entry.make(values).validate(stream, options)
    } catch {
      throw CommandError(message: error.description, code: .dataError)
    }
    report.warnings = warnings + report.warnings
    for warning in report.warnings { console.err("warning: \(warning)\n") }
    console.out(json ? ValidateCommand.json(report, parameters: values).jsonText + "\n" : ValidateCommand.text(report, parameters: values))
    switch report.verdict {
    case .admissible: return .holds
    case .refuted: return .violation
    case .inconclusive: return .inconclusive
    }
  }

  /// Reads and parses every line of `paths`, and reports how long that took.
  static func scan(_ paths: [String], json: Bool, console: Console) throws(CommandError) -> ExitCode {
    let start = DispatchTime.now().uptimeNanoseconds
    var lines = 0
    for path in paths {
      do {
        lines += try JSONLReader.scanOnly(path: path)
      } catch {
        throw CommandError(message: error.description, code: .dataError)
      }
    }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    let rate = seconds > 0 ? Double(lines) / seconds : 0
    if json {
      let object: JSONValue = [
        "lines": .int(lines), "seconds": .double((seconds * 1000).rounded() / 1000), "linesPerSecond": .double(rate.rounded()),
      ]
      console.out(object.jsonText + "\n")
    } else {
      console.out("scanned \(lines) lines in \(format2(seconds)) s (\(Int(rate.rounded())) lines/s)\n")
    }
    return .holds
  }

  static func json(_ report: ValidationReport, parameters: ParameterValues) -> JSONValue {
    var object: JSONObject = [
      "spec": .string(report.spec),
      "params": parameters.json,
      "verdict": .string(report.verdict.rawValue),
      "lines": .int(report.lines),
      "matchedLines": .int(report.matchedLines),
      "failedLine": report.failedAt.map { .int($0.line) } ?? .null,
      "failedFile": report.failedAt.map { .string($0.file) } ?? .null,
      "event": report.failedEvent.map { .string($0) } ?? .null,
      "lastMatchedLine": report.lastMatched.map { .int($0.line) } ?? .null,
      "reason": .string(report.reason),
    ]
    object["candidates"] = .array(report.candidateFailures.map { .string($0) })
    object["enabled"] = .array(report.enabledActions.map { .string($0) })
    object["maxCandidates"] = .int(report.maxCandidates)
    object["warnings"] = .array(report.warnings.map { .string($0) })
    object["seconds"] = .double((report.seconds * 1000).rounded() / 1000)
    object["eventsPerSecond"] = .double(report.eventsPerSecond.rounded())
    return .object(object)
  }

  static func text(_ report: ValidationReport, parameters: ParameterValues) -> String {
    let title = parameters.values.isEmpty ? report.spec : "\(report.spec) (\(parameters.summary))"
    var out = "\(title): \(report.verdict.rawValue)\n"
    switch report.verdict {
    case .admissible:
      out += "  \(report.reason)\n"
    case .refuted, .inconclusive:
      if let at = report.failedAt {
        out += "  at \(at)"
        if let event = report.failedEvent { out += ": \(event)" }
        out += "\n"
      }
      out += "  \(report.reason)\n"
      if let last = report.lastMatched { out += "  last matched line: \(last)\n" }
      if !report.candidateFailures.isEmpty {
        out += "  candidates (spec states that explained the log so far) and why each fails:\n"
        for failure in report.candidateFailures { out += "    - \(failure)\n" }
      }
      if !report.enabledActions.isEmpty {
        out += "  enabled there: \(report.enabledActions.joined(separator: ", "))\n"
      }
    }
    out += "  events read \(report.lines), explained \(report.matchedLines), "
    out += "at most \(report.maxCandidates) candidate state\(report.maxCandidates == 1 ? "" : "s")\n"
    out += "  time \(report.seconds < 10 ? String(format2(report.seconds)) : String(Int(report.seconds))) s"
    out += " (\(Int(report.eventsPerSecond.rounded())) events/s)\n"
    return out
  }

  static func format2(_ value: Double) -> String {
    let hundredths = Int((value * 100).rounded())
    return "\(hundredths / 100).\(hundredths % 100 < 10 ? "0" : "")\(hundredths % 100)"
  }
}
