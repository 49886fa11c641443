// payments-demo: a small durable payment worker that logs what it does for `interleave validate`.
//
//   payments-demo --requests requests.jsonl --state DIR --log run.jsonl [--run N]
//                 [--variant correct|buggy] [--jitter-us N]
//
// Requests are JSON lines {"key": "k1", "amount": 10}, processed in order. The durable state is
// DIR/ledger.jsonl (the system of record: one line per charge) and DIR/keys.jsonl (idempotency
// keys with their response); every durable write is one whole line, one `write` and an `fsync`.
// The log (TraceRecorder, one line per event, written as it happens) is appended to across runs;
// the first run writes the header {"spec": "PaymentWorker", "params": {}}. Each durable step is
// logged after its write, so a SIGKILL between the two loses the log line, never the effect.
//
// The correct worker does not charge a key that the ledger already has (an earlier run crashed
// after charging and before remembering the key); `--variant buggy` skips that check, so such a
// crash makes the restarted worker charge twice. Traces/regenerate.sh kills it at random.
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import Foundation
import Interleave

struct Options {
  var requests = ""
  var state = ""
  var log = ""
  var run = 1
  var buggy = false
  var jitterMicroseconds: UInt32 = 0
}

func fail(_ message: String) -> Never {
  FileHandle.standardError.write(Data("payments-demo: \(message)\n".utf8))
  exit(64)
}

func parseOptions() -> Options {
  var options = Options()
  var arguments = CommandLine.arguments.dropFirst()
  func value(_ name: String) -> String {
    guard let next = arguments.popFirst() else { fail("\(name) needs a value") }
    return next
  }
  while let argument = arguments.popFirst() {
    switch argument {
    case "--requests": options.requests = value(argument)
    case "--state": options.state = value(argument)
    case "--log": options.log = value(argument)
    case "--run":
      guard let run = Int(value(argument)), run >= 1 else { fail("--run needs a positive integer") }
      options.run = run
    case "--variant":
      switch value(argument) {
      case "correct": options.buggy = false
      case "buggy": options.buggy = true
      case let other: fail("unknown variant '\(other)' (correct or buggy)")
      }
    case "--jitter-us":
      guard let jitter = UInt32(value(argument)) else { fail("--jitter-us needs a number of microseconds") }
      options.jitterMicroseconds = jitter
    case "-h", "--help":
      print("usage: payments-demo --requests FILE --state DIR --log FILE [--run N] [--variant correct|buggy] [--jitter-us N]")
      exit(0)
    default: fail("unknown argument '\(argument)'")
    }
  }
  if options.requests.isEmpty || options.state.isEmpty || options.log.isEmpty {
    fail("--requests, --state and --log are required")
  }
  return options
}

/// The JSON objects of a JSONL file (none if it does not exist). A line that does not parse is
/// skipped with a warning (it cannot happen with whole-line writes, short of a machine crash).
func readLines(_ path: String) -> [[String: Any]] {
  guard let data = FileManager.default.contents(atPath: path) else { return [] }
  var objects: [[String: Any]] = []
  for line in data.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
    if let object = (try? JSONSerialization.jsonObject(with: Data(line))) as? [String: Any] {
      objects.append(object)
    } else {
      FileHandle.standardError.write(Data("payments-demo: skipping a malformed line in \(path)\n".utf8))
    }
  }
  return objects
}

/// An append-only JSONL file whose every line is one `write` followed by `fsync`.
struct DurableFile {
  let path: String
  let descriptor: Int32

  init(path: String) {
    self.path = path
    descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
    if descriptor < 0 { fail("cannot open \(path): \(String(cString: strerror(errno)))") }
  }

  func append(_ object: JSONObject) {
    let line = Array((JSONValue.object(object).jsonText + "\n").utf8)
    let written = line.withUnsafeBytes { write(descriptor, $0.baseAddress!, $0.count) }
    if written != line.count { fail("short write to \(path)") }
    if fsync(descriptor) != 0 { fail("fsync \(path): \(String(cString: strerror(errno)))") }
  }
}

let options = parseOptions()
_ = try? FileManager.default.createDirectory(atPath: options.state, withIntermediateDirectories: true)

let requests: [(key: String, amount: Int)] = readLines(options.requests).map { object in
  guard let key = object["key"] as? String, let amount = object["amount"] as? Int else {
    fail("a request needs \"key\" (a string) and \"amount\" (an integer)")
  }
  return (key, amount)
}

let ledgerPath = options.state + "/ledger.jsonl"
let keysPath = options.state + "/keys.jsonl"
var ledger: [String: Int] = [:]
for entry in readLines(ledgerPath) {
  if let key = entry["key"] as? String, let amount = entry["amount"] as? Int { ledger[key] = amount }
}
var keys: [String: String] = [:]
for entry in readLines(keysPath) {
  if let key = entry["key"] as? String, let response = entry["response"] as? String { keys[key] = response }
}
let ledgerFile = DurableFile(path: ledgerPath)
let keysFile = DurableFile(path: keysPath)

// The header goes only into a new (or empty) log.
let logIsNew = ((try? FileManager.default.attributesOfItem(atPath: options.log))?[.size] as? Int ?? 0) == 0
let recorder: TraceRecorder
do {
  recorder = try TraceRecorder(path: options.log, spec: logIsNew ? "PaymentWorker" : nil, flush: .everyLine)
} catch {
  fail("\(error)")
}

func now() -> Double { (Date().timeIntervalSince1970 * 1_000_000).rounded() / 1_000_000 }

func log(_ action: String, _ args: JSONObject, response: String? = nil) {
  recorder.record(action, args: args, response: response.map { .string($0) }, time: now())
}

/// A short random pause, so that a kill can land between any two steps.
func jitter() {
  guard options.jitterMicroseconds > 0 else { return }
  usleep(UInt32.random(in: 0...options.jitterMicroseconds))
}

log("start", ["run": .int(options.run)])
jitter()
for request in requests {
  let key = JSONValue.string(request.key)
  log("receive", ["key": key, "amount": .int(request.amount)])
  jitter()
  if keys[request.key] != nil {
    log("respond", ["key": key], response: "deduplicated")
    jitter()
    continue
  }
  // The correct worker charges only if no earlier run did; the buggy one always charges.
  if options.buggy || ledger[request.key] == nil {
    ledgerFile.append(["key": key, "amount": .int(request.amount)])
    ledger[request.key] = request.amount
    log("charge", ["key": key, "amount": .int(request.amount)])
    jitter()
  }
  keysFile.append(["key": key, "response": "ok"])
  keys[request.key] = "ok"
  log("remember", ["key": key])
  jitter()
  log("respond", ["key": key], response: "ok")
  jitter()
}
recorder.close()
