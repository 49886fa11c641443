import Foundation
import Interleave
import InterleaveCLI
import Testing

/// Runs the CLI in-process and returns its exit status and output.
func runCLI(_ arguments: [String]) -> (status: Int32, stdout: String, stderr: String) {
  let capture = CapturingConsole()
  let status = InterleaveCommand.run(arguments, console: capture.console)
  return (status, capture.stdout, capture.stderr)
}

func parseJSON(_ text: String) throws -> [String: Any] {
  try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
}

@Suite("interleave CLI")
struct CLITests {
  @Test("list shows every bundled spec with its parameters")
  func list() {
    let (status, out, _) = runCLI(["list"])
    #expect(status == 0)
    for name in ["TwoPhase", "TCommit", "DieHard", "Increment", "Peterson"] { #expect(out.contains(name)) }
    #expect(out.contains("--param rm=<integer 1...16> (default 3)"))
    #expect(out.contains("variant=<one of correct, eagerCommit>"))
  }

  @Test("check prints the summary and exits 0 when the spec holds")
  func holds() {
    let (status, out, _) = runCLI(["check", "TwoPhase", "--param", "rm=5", "--quiet"])
    #expect(status == 0)
    #expect(out.contains("TwoPhase (rm=5 variant=correct): holds"))
    #expect(out.contains("distinct states   8,832"))
    #expect(out.contains("generated states  58,146"))
    #expect(out.contains("depth             17"))
    #expect(out.contains("states/s"))
    #expect(out.contains("RMRcvAbortMsg"))
  }

  @Test("--json has the contract's fields, and a violation exits 1 with its steps")
  func json() throws {
    let (status, out, _) = runCLI(["check", "DieHard", "--json", "--quiet"])
    #expect(status == 1)
    let object = try parseJSON(out)
    #expect(object["spec"] as? String == "DieHard")
    #expect(object["verdict"] as? String == "violation")
    for key in ["params", "distinctStates", "generatedStates", "depth", "seconds", "statesPerSecond", "coverage"] {
      #expect(object[key] != nil, "missing \(key)")
    }
    let violation = try #require(object["violation"] as? [String: Any])
    #expect(violation["kind"] as? String == "invariant")
    #expect(violation["name"] as? String == "NotSolved")
    let steps = try #require(violation["steps"] as? [[String: Any]])
    #expect(steps.count == 7)
    #expect(steps[0]["action"] is NSNull)
    #expect((steps[6]["state"] as? [String: Any])?["big"] as? Int == 4)
    let coverage = try #require(object["coverage"] as? [[String: Any]])
    #expect(coverage.count == 6)
    #expect(coverage.allSatisfy { $0["action"] is String && $0["distinct"] is Int && $0["generated"] is Int })
  }

  @Test("a holding spec's JSON has a null violation")
  func jsonHolds() throws {
    let (status, out, _) = runCLI(["check", "TCommit", "--json"])
    #expect(status == 0)
    let object = try parseJSON(out)
    #expect(object["violation"] is NSNull)
    #expect(object["distinctStates"] as? Int == 34)
    #expect((object["params"] as? [String: Any])?["rm"] as? Int == 3)
  }

  @Test("--trace-out writes the counterexample as JSONL, initial state first")
  func traceOut() throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("interleave-\(UUID()).jsonl").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    let (status, _, _) = runCLI(["check", "Increment", "--trace-out", path, "--quiet"])
    #expect(status == 1)
    let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
    #expect(lines.count == 5)
    let first = try parseJSON(String(lines[0]))
    #expect(first["action"] is NSNull)
    let last = try parseJSON(String(lines[4]))
    #expect(last["action"] as? String == "write")
    #expect((last["args"] as? [String: Any])?["thread"] as? Int == 2)
    #expect((last["state"] as? [String: Any])?["x"] as? Int == 1)
  }

  @Test("a bad parameter exits 64 and lists the spec's parameters")
  func badParameter() {
    let unknown = runCLI(["check", "TwoPhase", "--param", "rms=3"])
    #expect(unknown.status == 64)
    #expect(unknown.stderr.contains("unknown parameter 'rms'"))
    #expect(unknown.stderr.contains("rm: integer 1...16 (default 3)"))
    let bad = runCLI(["check", "TwoPhase", "--param", "rm=zero"])
    #expect(bad.status == 64)
    #expect(bad.stderr.contains("invalid value 'zero' for parameter 'rm'"))
    let variant = runCLI(["check", "TwoPhase", "--param", "variant=fast"])
    #expect(variant.stderr.contains("one of correct, eagerCommit"))
  }

  @Test("usage errors exit 64")
  func usageErrors() {
    #expect(runCLI(["check"]).status == 64)
    #expect(runCLI(["check", "NoSuchSpec"]).status == 64)
    #expect(runCLI(["check", "TwoPhase", "--frobnicate"]).status == 64)
    #expect(runCLI(["check", "TwoPhase", "--max-states", "-3"]).status == 64)
    #expect(runCLI(["check", "TwoPhase", "--strategy", "random"]).status == 64)
    #expect(runCLI(["explode"]).status == 64)
    #expect(runCLI([]).status == 64)
    #expect(runCLI(["check", "--help"]).status == 0)
  }

  @Test("a hit bound exits 2 with verdict inconclusive")
  func inconclusive() throws {
    let (status, out, _) = runCLI(["check", "TwoPhase", "--max-states", "100", "--json"])
    #expect(status == 2)
    let object = try parseJSON(out)
    #expect(object["verdict"] as? String == "inconclusive")
    #expect(object["distinctStates"] as? Int == 100)
  }

  @Test("the text counterexample shows numbered steps with only the changed fields")
  func textCounterexample() {
    let (status, out, _) = runCLI(["check", "TwoPhase", "--param", "variant=eagerCommit", "--quiet"])
    #expect(status == 1)
    #expect(out.contains("Invariant TCConsistent is violated after 5 steps:"))
    #expect(out.contains("  0. initial state\n       rmState = {\"1\":\"working\",\"2\":\"working\",\"3\":\"working\"}"))
    #expect(out.contains("  1. RMPrepare(rm: 1)\n       rmState.1 = \"prepared\"\n"))
    #expect(out.contains("  3. TMCommit\n"))
  }

  @Test("progress goes to stderr")
  func progress() {
    let capture = CapturingConsole()
    _ = InterleaveCommand.run(["check", "TwoPhase", "--param", "rm=5"], console: capture.console)
    // A short run may finish before the first report; the option must at least not pollute stdout.
    #expect(!capture.stdout.contains("progress:"))
  }
}

/// A spec whose enumeration changes from call to call: the checker must say so (exit 70), not
/// report a wrong trace or crash.
struct Flaky: Specification {
  nonisolated(unsafe) static var calls = 0
  var name: String { "Flaky" }
  var initialStates: [Int] { [0] }
  func forEachEnabledAction(in state: Int, _ body: (Int) -> Void) {
    Flaky.calls += 1
    if state < 3 {
      // The order flips on every call.
      if Flaky.calls % 2 == 0 { body(1); body(2) } else { body(2); body(1) }
    }
  }
  func apply(_ action: Int, to state: inout Int) { state += action }
  func isTerminal(_ state: Int) -> Bool { true }
}

@Suite("interleave CLI with a user catalog", .serialized)
struct UserCatalogCLITests {
  @Test("a spec that is not deterministic exits 70 with the reason")
  func nondeterministic() {
    let catalog = SpecCatalog([CatalogEntry("Flaky", summary: "flips its action order") { _ in AnySpecification(Flaky()) }])
    let capture = CapturingConsole()
    let status = InterleaveCommand.run(["check", "Flaky", "--workers", "1", "--quiet"], catalog: catalog, console: capture.console)
    #expect(status == 70)
    #expect(capture.stderr.contains("must give the same result every time"))
  }

  @Test("flags take no value; a bare command prints the overview on stderr")
  func flagsAndOverview() {
    #expect(runCLI(["check", "TwoPhase", "--json=false"]).status == 64)
    let bare = runCLI([])
    #expect(bare.status == 64)
    #expect(bare.stderr.contains("SUBCOMMANDS"))
    #expect(bare.stdout.isEmpty)
  }

  @Test("validate reads '-' as the standard input, once")
  func standardInputOnce() {
    let twice = runCLI(["validate", "Put", "-", "-"])
    #expect(twice.status == 64)
    #expect(twice.stderr.contains("The standard input ('-') can be read only once"))
  }
}
