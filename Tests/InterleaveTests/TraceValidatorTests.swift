import Foundation
import Interleave
import InterleaveSpecs
import Testing

func event(_ action: String?, _ args: JSONObject = [:], response: JSONValue? = nil, state: JSONObject? = nil, line: Int = 0)
  -> TraceEvent
{
  TraceEvent(action: action, arguments: args, response: response, state: state, origin: .init(file: "test.jsonl", line: line))
}

func validate<S: Specification>(_ spec: S, _ events: [TraceEvent], options: ValidationOptions = ValidationOptions()) -> ValidationReport {
  var validator = TraceValidator(spec, options: options)
  for (index, var event) in events.enumerated() {
    event.origin = .init(file: "test.jsonl", line: index + 1)
    if !validator.feed(event) { break }
  }
  return validator.finish()
}

/// A queue worker: the log sees `enqueue` and `done`; the hand-over `take` is internal.
struct HiddenWorker: Specification {
  struct State: Hashable, Sendable {
    var queued = 0
    var working = 0
    var done = 0
  }
  enum Action: Hashable, Sendable { case enqueue, take, done }
  var name: String { "HiddenWorker" }
  var initialStates: [State] { [State()] }
  func forEachEnabledAction(in s: State, _ body: (Action) -> Void) {
    if s.queued < 3 { body(.enqueue) }
    if s.queued > 0 { body(.take) }
    if s.working > 0 { body(.done) }
  }
  func apply(_ action: Action, to s: inout State) {
    switch action {
    case .enqueue: s.queued += 1
    case .take:
      s.queued -= 1
      s.working += 1
    case .done:
      s.working -= 1
      s.done += 1
    }
  }
  func isHidden(_ action: Action) -> Bool { action == .take }
}

@Suite("Trace validation")
struct TraceValidatorTests {
  @Test("a counterexample written by check --trace-out is valid input: refuted at its last line, for the invariant")
  func traceOutIsValidInput() throws {
    let report = try #require(CheckReport(DieHard.spec().check(), spec: DieHard.spec()).violation)
    let events = report.steps.map { step in
      event(step.action?.name, step.action?.arguments ?? [:], state: step.state.objectValue)
    }
    let result = validate(DieHard.spec(), events)
    #expect(result.verdict == .refuted)
    #expect(result.failedAt?.line == 7)
    #expect(result.matchedLines == 6)
    #expect(result.reason.contains("violates the invariant NotSolved"))
    let prefix = validate(DieHard.spec(), Array(events.dropLast()))
    #expect(prefix.verdict == .admissible)
    #expect(prefix.matchedLines == 6)
  }

  @Test("refuted at the line that no behaviour explains, with the reason")
  func refuted() {
    let events = [
      event("FillBigJug", state: ["big": 5]),
      event("BigToSmall", state: ["small": 3, "big": 2]),
      event("BigToSmall", state: ["small": 3, "big": 2]),
      event("FillBigJug", state: ["big": 4]),
    ]
    let result = validate(DieHard.spec(), events)
    #expect(result.verdict == .refuted)
    #expect(result.failedAt?.line == 4)
    #expect(result.lastMatched?.line == 3)
    #expect(result.matchedLines == 3)
    #expect(result.candidateFailures.contains { $0.contains("big: logged 4, spec has 5") })
  }

  @Test("an unknown or disabled action refutes, naming the false requirement and the enabled actions")
  func disabled() {
    let result = validate(Increment.spec(threads: 2), [event("write", ["thread": 1])])
    #expect(result.verdict == .refuted)
    #expect(result.candidateFailures.contains { $0.contains("write(thread: 1) is not enabled: write requires requires") })
    #expect(result.enabledActions.contains("read(thread: 1)"))
  }

  @Test("a missing argument is a nondeterministic choice; responses must agree")
  func missingArguments() {
    let keyed = Put(keyed: true)
    let open = validate(keyed, [event("put", response: "ok"), event("put", response: "ok", state: ["x": 6])])
    #expect(open.verdict == .admissible)
    #expect(open.maxCandidates == 2)
    let wrongAnswer = validate(keyed, [event("put", ["client": "A"], response: "created")])
    #expect(wrongAnswer.verdict == .refuted)
    #expect(wrongAnswer.candidateFailures.first?.contains("answers \"ok\", the log says \"created\"") == true)
  }

  @Test("trace properties run along the way: Put unkeyed refuted at the retry")
  func properties() {
    let events = [
      event("put", ["client": "A", "key": "kA", "value": 5]),
      event("put", ["client": "B", "key": "kB", "value": 6]),
      event("put", ["client": "A", "key": "kA", "value": 5]),
    ]
    let unkeyed = validate(Put(keyed: false).monitored { Put.idempotence }, events)
    #expect(unkeyed.verdict == .refuted)
    #expect(unkeyed.failedAt?.line == 3)
    #expect(unkeyed.candidateFailures.first?.contains("violates the trace property trace idempotence") == true)
    #expect(validate(Put(keyed: true).monitored { Put.idempotence }, events).verdict == .admissible)
  }

  @Test("a log's time reaches trace properties with time windows")
  func timeWindows() {
    let windowed = TraceIdempotence("idempotent within 5", for: Put.self, key: { $0.key }, observe: { $0.x }).window(.time(5))
    let spec = Put(keyed: false).monitored { windowed }
    func log(retryAt time: Double) -> [TraceEvent] {
      var events = [
        event("put", ["client": "A", "key": "kA", "value": 5]), event("put", ["client": "B", "key": "kB", "value": 6]),
        event("put", ["client": "A", "key": "kA", "value": 5]),
      ]
      for (index, t) in [0.0, 1.0, time].enumerated() { events[index].time = t }
      return events
    }
    #expect(validate(spec, log(retryAt: 2)).verdict == .refuted)
    #expect(validate(spec, log(retryAt: 10)).verdict == .admissible)
  }

  @Test("numbers in arguments match by value")
  func numericArguments() {
    #expect(validate(Increment.spec(threads: 2), [event("read", ["thread": 1.0])]).verdict == .admissible)
  }

  @Test("hidden actions fire between lines, within a bound")
  func hidden() {
    let log = [event("enqueue"), event("enqueue"), event("done"), event("done")]
    #expect(validate(HiddenWorker(), log).verdict == .admissible)
    // Two hidden takes are needed before the second done... one at a time is enough here;
    // with no hidden steps allowed, done is never enabled, and the bound makes it inconclusive.
    let none = validate(HiddenWorker(), log, options: ValidationOptions(maxHiddenSteps: 0))
    #expect(none.verdict == .inconclusive)
    #expect(none.failedAt?.line == 3)
  }

  @Test("the candidate bound makes the verdict inconclusive")
  func candidateBound() {
    let result = validate(Put(keyed: true), [event("put"), event("put")], options: ValidationOptions(maxCandidates: 1))
    #expect(result.verdict == .inconclusive)
    #expect(result.reason.contains("candidate bound"))
  }

  @Test("an obligation open at the end: inconclusive, or refuted with complete")
  func obligations() {
    let reachesThree = Existence<Int, Counter.Action, Int>("reaches three") { $0.after == 3 }
    let spec = Counter(limit: 3).monitored { reachesThree }
    let cut = [event("add", ["amount": 1])]
    #expect(validate(spec, cut).verdict == .inconclusive)
    #expect(validate(spec, cut, options: ValidationOptions(complete: true)).verdict == .refuted)
    #expect(validate(spec, cut + [event("add", ["amount": 2])]).verdict == .admissible)
  }

  @Test("an initial-state line filters the initial states")
  func initialState() {
    #expect(validate(DieHard.spec(), [event(nil, state: ["small": 0, "big": 0])]).verdict == .admissible)
    let wrong = validate(DieHard.spec(), [event(nil, state: ["small": 1])])
    #expect(wrong.verdict == .refuted)
    #expect(wrong.failedAt?.line == 1)
  }
}

@Suite("Validating logs from the CLI", .serialized)
struct ValidateCLITests {
  func write(_ lines: [String], name: String = "log", terminated: Bool = true) -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID()).jsonl").path
    let text = lines.joined(separator: "\n") + (terminated ? "\n" : "")
    precondition(FileManager.default.createFile(atPath: path, contents: Data(text.utf8)), "could not write \(path)")
    return path
  }

  @Test("a malformed line exits 65 with file:line:column and what was expected")
  func malformed() {
    let path = write([#"{"action":"deposit","args":{"amount":5}}"#, #"{"action":"deposit" "args":{}}"#])
    defer { try? FileManager.default.removeItem(atPath: path) }
    let (status, _, err) = runCLI(["validate", "Account", path])
    #expect(status == 65)
    #expect(err.contains("\(path):2:21: expected ',' or '}'"))
  }

  @Test("a truncated last line is a warning and is ignored")
  func truncated() {
    let path = write([#"{"action":"deposit","args":{"amount":5},"state":{"balance":5}}"#, #"{"action":"withd"#], terminated: false)
    defer { try? FileManager.default.removeItem(atPath: path) }
    let (status, out, err) = runCLI(["validate", "Account", path])
    #expect(status == 0)
    #expect(out.contains("admissible"))
    #expect(err.contains("warning: \(path):2: the last line is cut short"))
  }

  @Test("invalid UTF-8 and wrongly typed members are data errors")
  func badData() throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("utf8-\(UUID()).jsonl").path
    try #require(FileManager.default.createFile(atPath: path, contents: Data([0x7B, 0x22, 0x61, 0xC3, 0x28, 0x22, 0x3A, 0x31, 0x7D, 0x0A])))
    defer { try? FileManager.default.removeItem(atPath: path) }
    let utf8 = runCLI(["validate", "Account", path])
    #expect(utf8.status == 65)
    #expect(utf8.stderr.contains("valid UTF-8"))
    let typed = write([#"{"action":"deposit","args":[5]}"#])
    defer { try? FileManager.default.removeItem(atPath: typed) }
    let wrong = runCLI(["validate", "Account", typed])
    #expect(wrong.status == 65)
    #expect(wrong.stderr.contains(":1: \"args\" must be an object"))
  }

  @Test("unknown actions and wrongly typed arguments are named in the refutation")
  func unknownAndMistyped() throws {
    let unknown = write([#"{"action":"transfer","args":{"amount":5}}"#])
    let mistyped = write([#"{"action":"read","args":{"thread":"one"}}"#])
    defer {
      try? FileManager.default.removeItem(atPath: unknown)
      try? FileManager.default.removeItem(atPath: mistyped)
    }
    let first = runCLI(["validate", "Account", unknown, "--json"])
    #expect(first.status == 1)
    #expect(try parseJSON(first.stdout)["reason"] as? String == "unknown action 'transfer': the spec's actions are deposit, withdraw")
    let second = runCLI(["validate", "Increment", mistyped])
    #expect(second.status == 1)
    #expect(second.stdout.contains("argument 'thread' is a string in the log but a number in the spec"))
  }

  @Test("per-process logs merge by time, by Lamport clock, or by vector clock")
  func merge() throws {
    // Two tellers' logs of one account; only the merged order keeps the balance non-negative.
    let a = write([
      #"{"action":"deposit","args":{"amount":10},"time":1,"lamport":1,"vector":{"a":1}}"#,
      #"{"action":"withdraw","args":{"amount":8},"time":4,"lamport":4,"vector":{"a":2,"b":2}}"#,
    ], name: "a")
    let b = write([
      #"{"action":"withdraw","args":{"amount":2},"time":2,"lamport":2,"vector":{"a":1,"b":1}}"#,
      #"{"action":"deposit","args":{"amount":1},"time":3,"lamport":3,"vector":{"a":1,"b":2}}"#,
    ], name: "b")
    defer {
      try? FileManager.default.removeItem(atPath: a)
      try? FileManager.default.removeItem(atPath: b)
    }
    let merged = runCLI(["validate", "Account", a, b, "--json"])
    #expect(merged.status == 0)
    #expect(try parseJSON(merged.stdout)["lines"] as? Int == 4)
    // Without clocks, several logs cannot be ordered.
    let c = write([#"{"action":"deposit","args":{"amount":1}}"#], name: "c")
    defer { try? FileManager.default.removeItem(atPath: c) }
    let unordered = runCLI(["validate", "Account", a, c])
    #expect(unordered.status == 65)
    #expect(unordered.stderr.contains("need a \"time\", a \"lamport\" or a \"vector\" field"))
    // Lamport and vector orders agree here with time.
    let lamportOnly = write([#"{"action":"deposit","args":{"amount":10},"lamport":1}"#, #"{"action":"withdraw","args":{"amount":8},"lamport":4}"#], name: "la")
    let lamportOther = write([#"{"action":"withdraw","args":{"amount":2},"lamport":2}"#], name: "lb")
    defer {
      try? FileManager.default.removeItem(atPath: lamportOnly)
      try? FileManager.default.removeItem(atPath: lamportOther)
    }
    #expect(runCLI(["validate", "Account", lamportOnly, lamportOther]).status == 0)
  }
}
