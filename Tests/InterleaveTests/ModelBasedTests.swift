import Foundation
import Interleave
import InterleaveSpecs
import InterleaveTesting
import Testing
import XCTest

// MARK: - A worked example: an idempotent payment service

/// The spec: a charge with a request id takes 10 the first time and answers a receipt number;
/// a retry (the same request id) answers the same receipt and takes nothing.
struct PaymentSpec: Specification {
  enum Action: Hashable, Sendable {
    case charge(request: Int)
  }

  struct State: Hashable, Sendable {
    var balance = 0
    var receipts: [Int: Int] = [:]
    var nextReceipt = 1
  }

  var name: String { "Payments" }
  var initialStates: [State] { [State()] }

  func forEachEnabledAction(in state: State, _ body: (Action) -> Void) {
    for request in 1...3 { body(.charge(request: request)) }
  }

  func apply(_ action: Action, to state: inout State) -> Int {
    guard case .charge(let request) = action else { return 0 }
    if let saved = state.receipts[request] { return saved }
    state.balance += 10
    state.receipts[request] = state.nextReceipt
    state.nextReceipt += 1
    return state.receipts[request]!
  }

  var invariants: [Invariant<State>] {
    [Invariant("charged once per request") { $0.balance == 10 * $0.receipts.count }]
  }
}

/// The implementation: it remembers request ids with their receipts, all of them or, in the
/// buggy version, only the last `capacity` (an LRU-less cache that evicts the oldest).
struct PaymentService {
  let capacity: Int?
  var balance = 0
  var remembered: [(request: Int, receipt: Int)] = []
  var issued = 0

  mutating func charge(request: Int) -> Int {
    if let saved = remembered.first(where: { $0.request == request }) { return saved.receipt }
    balance += 10
    issued += 1
    remembered.append((request, issued))
    if let capacity, remembered.count > capacity { remembered.removeFirst() }
    return issued
  }
}

/// The correct service as a system under test.
struct CorrectPayments: SystemUnderTest {
  typealias Spec = PaymentSpec
  var service = PaymentService(capacity: nil)

  mutating func perform(_ action: PaymentSpec.Action) -> Observation {
    guard case .charge(let request) = action else { return Observation() }
    let receipt = service.charge(request: request)
    return Observation(response: .int(receipt), state: ["balance": .int(service.balance)])
  }
}

/// The buggy service: it forgets a request id after two newer ones, so a late retry charges twice.
struct ForgetfulPayments: SystemUnderTest {
  typealias Spec = PaymentSpec
  var service = PaymentService(capacity: 2)

  mutating func perform(_ action: PaymentSpec.Action) -> Observation {
    guard case .charge(let request) = action else { return Observation() }
    let receipt = service.charge(request: request)
    return Observation(response: .int(receipt), state: ["balance": .int(service.balance)])
  }
}

// MARK: - Model-based tests

@Suite("model-based tests")
struct ModelBasedTests {
  @Test("the correct service conforms, randomly and exhaustively up to depth 4")
  func correctConforms() {
    let result = ModelBasedTest(PaymentSpec(), system: CorrectPayments.self, seed: 7, runs: 200, depth: 12, exhaustiveDepth: 4).run()
    #expect(result.passed, "\(result.report)")
    #expect(result.sequences == 81 + 200)
    expectConforms(ModelBasedTest(PaymentSpec(), system: CorrectPayments.self, seed: 1, runs: 50))
  }

  @Test("the forgetful service is caught and shrunk to the minimal 4 steps")
  func buggyCaughtAndShrunk() throws {
    let result = ModelBasedTest(PaymentSpec(), system: ForgetfulPayments.self, seed: 42, runs: 100, depth: 10).run()
    let failure = try #require(result.failure)
    #expect(failure.kind == .response)
    #expect(failure.seed != nil && failure.run != nil)
    #expect(failure.original.count > 4)
    // Three distinct requests, then a retry of the first: the one the cache has evicted.
    #expect(failure.shrunk.count == 4)
    #expect(failure.shrunk[3] == failure.shrunk[0])
    #expect(Set(failure.shrunk.prefix(3)).count == 3)
    #expect(failure.shrunk == [.charge(request: 3), .charge(request: 2), .charge(request: 1), .charge(request: 3)])
    #expect(failure.message == "step 4 charge(request: 3): the system answered 4, the spec answers 1")
    #expect(failure.report.contains("seed \(failure.seed!)"))
    #expect(failure.report.contains("Shrunk from \(failure.original.count) to 4 steps:"))
    #expect(failure.report.contains("  4. charge(request: 3)\n"))
    #expect(failure.report.contains("Reproduce: ModelBasedTest(..., seed: \(failure.seed!), runs: 1"))

    // The run's own seed with runs: 1 replays exactly that run.
    let replayed = ModelBasedTest(PaymentSpec(), system: ForgetfulPayments.self, seed: failure.seed!, runs: 1, depth: 10).run()
    #expect(replayed.failure?.original == failure.original)
    #expect(replayed.failure?.shrunk == failure.shrunk)
  }

  @Test("the exhaustive phase finds the first failing sequence in enumeration order")
  func exhaustive() throws {
    let result = ModelBasedTest(PaymentSpec(), system: ForgetfulPayments.self, runs: 0, exhaustiveDepth: 4).run()
    let failure = try #require(result.failure)
    #expect(failure.run == nil && failure.seed == nil)
    #expect(failure.original == [.charge(request: 1), .charge(request: 2), .charge(request: 3), .charge(request: 1)])
    #expect(failure.shrunk == failure.original)
    #expect(failure.report.contains("exhaustive search (every sequence up to 4 steps)"))
    // Depth 3 is not enough to see the bug.
    #expect(ModelBasedTest(PaymentSpec(), system: ForgetfulPayments.self, runs: 0, exhaustiveDepth: 3).run().passed)
  }

  @Test("the same seed gives the same run")
  func deterministic() {
    let first = ModelBasedTest(PaymentSpec(), system: ForgetfulPayments.self, seed: 2024, runs: 100, depth: 10).run()
    let second = ModelBasedTest(PaymentSpec(), system: ForgetfulPayments.self, seed: 2024, runs: 100, depth: 10).run()
    #expect(first.failure != nil)
    #expect(first.failure?.original == second.failure?.original)
    #expect(first.failure?.report == second.failure?.report)
    #expect(first.steps == second.steps)
    var a = SplitMix64(seed: 0)
    // The reference SplitMix64 sequence for seed 0.
    #expect(a.next() == 0xE220_A839_7B1D_CDAF)
    #expect(a.next() == 0x6E78_9E6A_A1B9_65F4)
  }

  @Test("shrinking deletes chunks down to a 1-minimal sequence")
  func shrinking() {
    // Fails while it contains both 3 and 7.
    let shrunk = Shrinking.deleteChunks(Array(0..<20)) { $0.contains(3) && $0.contains(7) ? $0 : nil }
    #expect(shrunk == [3, 7])
  }

  @Test("expectConforms records an issue with the report for the buggy service")
  func expectConformsFails() {
    withKnownIssue {
      expectConforms(ModelBasedTest(PaymentSpec(), system: ForgetfulPayments.self, seed: 42, runs: 100, depth: 10))
    } matching: { issue in
      issue.comments.contains { $0.rawValue.contains("Shrunk from") && $0.rawValue.contains("seed") }
    }
  }

  @Test("expectHolds passes for holding specs and records an issue for a violation")
  func expectHoldsBothWays() {
    let keyed = expectHolds(Put(keyed: true).monitored { Put.idempotence })
    #expect(keyed.verdict == .holds)
    expectHolds(TwoPhase(resourceManagers: 3))
    withKnownIssue {
      let result = expectHolds(Put(keyed: false).monitored { Put.idempotence })
      #expect(result.verdict == .violation)
    } matching: { issue in
      issue.comments.contains { $0.rawValue.contains("Property trace idempotence is violated after 3 steps") }
    }
  }

  @Test("validating a recording: admissible passes, a refuted log fails with its line")
  func recordings() throws {
    let spec = Put(keyed: true).monitored { Put.idempotence }
    let good = try recordPut(states: [5, 6, 6])
    let bad = try recordPut(states: [5, 6, 5])
    defer {
      try? FileManager.default.removeItem(atPath: good)
      try? FileManager.default.removeItem(atPath: bad)
    }
    #expect(expectValidRecording(spec, log: good)?.verdict == .admissible)
    let report = try validateRecording(spec, log: bad)
    #expect(report.verdict == .refuted)
    #expect(report.failedAt?.line == 4)
    withKnownIssue {
      expectValidRecording(spec, log: bad)
    } matching: { issue in
      issue.comments.contains { $0.rawValue.contains("\(bad):4") && $0.rawValue.contains(report.reason) }
    }
    withKnownIssue {
      expectValidRecording(spec, log: "/nonexistent/interleave.jsonl")
    } matching: { issue in
      issue.comments.contains { $0.rawValue.contains("cannot read the log") }
    }
  }
}

/// Records A's put, B's put and A's retry, observing `x` after each.
func recordPut(states: [Int]) throws -> String {
  let path = FileManager.default.temporaryDirectory.appendingPathComponent("interleave-put-\(UUID()).jsonl").path
  let recorder = try TraceRecorder(path: path, spec: "Put", parameters: ["keyed": true])
  let sends: [(String, String, Int)] = [("A", "kA", 5), ("B", "kB", 6), ("A", "kA", 5)]
  for (index, send) in sends.enumerated() {
    recorder.record(
      "put", args: ["client": .string(send.0), "key": .string(send.1), "value": .int(send.2)], response: "ok",
      state: ["x": .int(states[index])])
  }
  recorder.close()
  return path
}

// MARK: - XCTest assertions, observed by capturing their failures

/// Runs the XCTest assertions and captures the failures they record instead of failing.
final class InterleaveXCTestAssertionTests: XCTestCase {
  struct Captured {
    var description: String
    var file: String
    var line: Int
  }

  private var capturing = false
  private var captured: [Captured] = []

  #if os(Linux) || os(Windows)
    override func recordFailure(withDescription description: String, inFile filePath: String, atLine lineNumber: Int, expected: Bool) {
      guard capturing else {
        return super.recordFailure(withDescription: description, inFile: filePath, atLine: lineNumber, expected: expected)
      }
      captured.append(Captured(description: description, file: filePath, line: lineNumber))
    }
  #else
    override func record(_ issue: XCTIssue) {
      guard capturing else { return super.record(issue) }
      captured.append(
        Captured(
          description: issue.compactDescription, file: issue.sourceCodeContext.location?.fileURL.path ?? "",
          line: issue.sourceCodeContext.location?.lineNumber ?? 0))
    }
  #endif

  /// The failures `body` records.
  private func failures(of body: () -> Void) -> [Captured] {
    captured = []
    capturing = true
    body()
    capturing = false
    return captured
  }

  func testAssertHoldsFailsAtTheCallerWithTheCounterexample() {
    var line = 0
    let found = failures {
      line = #line + 1
      assertHolds(Put(keyed: false).monitored { Put.idempotence })
    }
    XCTAssertEqual(found.count, 1)
    XCTAssertTrue(found.first?.description.contains("Property trace idempotence is violated after 3 steps") ?? false)
    XCTAssertEqual(found.first?.line, line)
    XCTAssertTrue(found.first?.file.hasSuffix("ModelBasedTests.swift") ?? false)
  }

  func testAssertHoldsPassesForHoldingSpecs() {
    let found = failures {
      XCTAssertEqual(assertHolds(Put(keyed: true).monitored { Put.idempotence }).verdict, .holds)
      XCTAssertEqual(assertHolds(TwoPhase(resourceManagers: 3)).distinctStates, 288)
    }
    XCTAssertEqual(found.count, 0)
  }

  func testAssertConformsFailsForTheBuggyServiceAndPassesForTheCorrectOne() {
    var line = 0
    let found = failures {
      line = #line + 1
      assertConforms(ModelBasedTest(PaymentSpec(), system: ForgetfulPayments.self, seed: 42, runs: 100, depth: 10))
    }
    XCTAssertEqual(found.count, 1)
    XCTAssertEqual(found.first?.line, line)
    XCTAssertTrue(found.first?.description.contains("Shrunk from") ?? false)
    let passing = failures {
      XCTAssertTrue(assertConforms(ModelBasedTest(PaymentSpec(), system: CorrectPayments.self, seed: 42)).passed)
    }
    XCTAssertEqual(passing.count, 0)
  }

  func testAssertValidRecording() throws {
    let spec = Put(keyed: true).monitored { Put.idempotence }
    let good = try recordPut(states: [5, 6, 6])
    let bad = try recordPut(states: [5, 6, 5])
    defer {
      try? FileManager.default.removeItem(atPath: good)
      try? FileManager.default.removeItem(atPath: bad)
    }
    XCTAssertEqual(failures { assertValidRecording(spec, log: good) }.count, 0)
    let found = failures { assertValidRecording(spec, log: bad) }
    XCTAssertEqual(found.count, 1)
    XCTAssertTrue(found.first?.description.contains("refuted at \(bad):4") ?? false)
  }
}

// MARK: - interleave simulate

@Suite("interleave simulate")
struct SimulateCommandTests {
  @Test("unkeyed Put fails, with each failing run's seed and a counterexample shrunk to 3 steps")
  func unkeyedFails() {
    let (status, out, _) = runCLI(["simulate", "Put", "--param", "keyed=false", "--runs", "50", "--depth", "6", "--seed", "1"])
    #expect(status == 1)
    #expect(out.hasPrefix("Put (keyed=false sends=2): "))
    #expect(out.contains("Failing runs (replay one with --seed <seed> --runs 1):"))
    #expect(out.contains("shrunk to 3:"))
    #expect(out.contains("Property trace idempotence is violated after 3 steps:"))
    #expect(out.contains("  3. put(client: "))
    #expect(!out.contains("  4. put("))
  }

  @Test("keyed Put passes")
  func keyedPasses() {
    let (status, out, _) = runCLI(["simulate", "Put", "--param", "keyed=true", "--runs", "50", "--depth", "6", "--seed", "1"])
    #expect(status == 0)
    #expect(out == "Put (keyed=true sends=2): no failure in 50 runs (seed 1, depth 6, 200 steps)\n")
  }

  @Test("the same seed gives the same output; a failing run's seed replays it")
  func deterministic() throws {
    let arguments = ["simulate", "Put", "--param", "keyed=false", "--runs", "50", "--depth", "6", "--seed", "1"]
    let first = runCLI(arguments)
    let second = runCLI(arguments)
    #expect(first.stdout == second.stdout)
    #expect(first.status == second.status)
    let json = try parseJSON(runCLI(arguments + ["--json"]).stdout)
    let failed = try #require(json["failedRuns"] as? [[String: Any]])
    let firstFailure = try #require(failed.first)
    let seed = try #require(firstFailure["seed"] as? Int)
    let examples = try #require(json["counterexamples"] as? [[String: Any]])
    #expect(examples.count == 1)
    let shrunk = try #require(examples.first?["shrunk"] as? [String: Any])
    #expect((shrunk["steps"] as? [Any])?.count == 4)
    let replay = runCLI(["simulate", "Put", "--param", "keyed=false", "--runs", "1", "--depth", "6", "--seed", String(seed)])
    #expect(replay.status == 1)
    #expect(replay.stdout.contains("run 0  seed \(seed)  property trace idempotence after \(firstFailure["steps"] as? Int ?? -1) steps"))
  }

  @Test("--workers does not change the output")
  func workers() {
    let arguments = ["simulate", "Put", "--param", "keyed=false", "--runs", "300", "--depth", "6", "--seed", "1"]
    let one = runCLI(arguments + ["--workers", "1"])
    let three = runCLI(arguments + ["--workers", "3"])
    #expect(one.status == 1)
    #expect(one.stdout.contains("runs failed"))
    #expect(three.status == one.status)
    #expect(three.stdout == one.stdout)
  }

  @Test("usage errors exit 64")
  func usage() {
    #expect(runCLI(["simulate"]).status == 64)
    #expect(runCLI(["simulate", "Put", "--runs", "0"]).status == 64)
    #expect(runCLI(["simulate", "Put", "--workers", "0"]).status == 64)
    #expect(runCLI(["simulate", "Put", "--seed", "x"]).status == 64)
    #expect(runCLI(["simulate", "Nope"]).status == 64)
    #expect(runCLI(["simulate", "--help"]).stdout.contains("EXIT STATUS: 0 no walk failed"))
  }
}
