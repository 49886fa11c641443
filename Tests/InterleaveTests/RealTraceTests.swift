import Foundation
import Interleave
import InterleaveCLI
import Testing

/// The committed logs of real runs (Traces/regenerate.sh: the payments-demo worker killed with
/// SIGKILL and restarted), validated against the PaymentWorker spec through the CLI.
@Suite("real runs: payments-demo logs")
struct RealTraceTests {
  /// Traces/, found from this file's path (Tests/InterleaveTests/RealTraceTests.swift).
  static let traces = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Traces")

  static func path(_ name: String) -> String { traces.appendingPathComponent(name).path }

  /// The 1-based file line of the first `charge` of a key that the log had charged before, and
  /// the key.
  static func secondCharge(in path: String) throws -> (line: Int, key: String)? {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    var charged: Set<String> = []
    for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where !line.isEmpty {
      let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
      guard object["action"] as? String == "charge" else { continue }
      let key = try #require((object["args"] as? [String: Any])?["key"] as? String)
      if !charged.insert(key).inserted { return (index + 1, key) }
    }
    return nil
  }

  @Test("the correct worker's log is admissible")
  func correctLogIsAdmissible() throws {
    let log = Self.path("payments-correct.jsonl")
    #expect(try Self.secondCharge(in: log) == nil, "the correct log charges a key twice")
    let (status, out, err) = runCLI(["validate", "PaymentWorker", log])
    #expect(status == 0, "\(out)\(err)")
    #expect(out.contains("PaymentWorker (keys=2 restarts=2 variant=correct): admissible"))
  }

  @Test("the buggy worker's log is refuted at the second charge of the double-charged key")
  func buggyLogIsRefutedAtTheDoubleCharge() throws {
    let log = Self.path("payments-buggy.jsonl")
    let (line, key) = try #require(try Self.secondCharge(in: log), "the buggy log has no double charge")

    let (status, out, err) = runCLI(["validate", "PaymentWorker", log, "--json"])
    #expect(status == 1, "\(out)\(err)")
    let report = try parseJSON(out)
    #expect(report["verdict"] as? String == "refuted")
    #expect(report["failedLine"] as? Int == line)
    #expect(report["lastMatchedLine"] as? Int == line - 1)
    let event = try #require(report["event"] as? String)
    #expect(event.hasPrefix("charge(key: \"\(key)\""))
    let reason = try #require(report["reason"] as? String)
    #expect(reason.contains("charge(key: \"\(key)\""))
    #expect(reason.contains("not in the ledger"))

    let text = runCLI(["validate", "PaymentWorker", log])
    #expect(text.status == 1)
    #expect(text.stdout.contains("refuted\n  at \(log):\(line): charge(key: \"\(key)\""))
  }

  @Test("against the buggy design the double charge breaks AtMostOnceEffect")
  func buggyLogBreaksTheProperty() throws {
    let log = Self.path("payments-buggy.jsonl")
    let (line, key) = try #require(try Self.secondCharge(in: log))
    let (status, out, err) = runCLI(["validate", "PaymentWorker", log, "--param", "variant=buggy", "--json"])
    #expect(status == 1, "\(out)\(err)")
    let report = try parseJSON(out)
    #expect(report["failedLine"] as? Int == line)
    let reason = try #require(report["reason"] as? String)
    #expect(reason.contains("violates the trace property AtMostOnceEffect: a second effect for key \"\(key)\""))
  }

  @Test("the PaymentWorker design holds; without the ledger check it charges twice")
  func modelCheck() throws {
    let holds = runCLI(["check", "PaymentWorker", "--quiet"])
    #expect(holds.status == 0, "\(holds.stdout)\(holds.stderr)")
    #expect(holds.stdout.contains("PaymentWorker (keys=2 restarts=2 variant=correct): holds"))

    let buggy = runCLI(["check", "PaymentWorker", "--param", "variant=buggy", "--json", "--quiet"])
    #expect(buggy.status == 1)
    let violation = try #require(try parseJSON(buggy.stdout)["violation"] as? [String: Any])
    #expect(violation["kind"] as? String == "property")
    #expect(violation["name"] as? String == "AtMostOnceEffect")
  }
}
