import Dispatch
import Foundation
import Interleave
import Testing

@Suite("TraceRecorder")
struct TraceRecorderTests {
  func temporaryPath() -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("recorder-\(UUID()).jsonl").path
  }

  @Test("many threads record at once; every line is whole and every event is there")
  func concurrent() throws {
    let path = temporaryPath()
    defer { try? FileManager.default.removeItem(atPath: path) }
    let recorder = try TraceRecorder(path: path, spec: "Account", parameters: ["maxBalance": 20])
    DispatchQueue.concurrentPerform(iterations: 8) { worker in
      for i in 0..<500 {
        recorder.record(
          "deposit", args: ["amount": .int(i)], response: "ok", state: ["note": .string(String(repeating: "x", count: i % 97))],
          process: "worker-\(worker)", time: Double(i))
      }
    }
    recorder.close()
    let reader = try JSONLReader(path: path)
    var lines = 0
    var perWorker: [String: Int] = [:]
    while let (_, value) = try reader.next() {
      lines += 1
      if let process = value["process"]?.stringValue { perWorker[process, default: 0] += 1 }
    }
    #expect(lines == 1 + 8 * 500)
    #expect(perWorker.count == 8)
    #expect(perWorker.values.allSatisfy { $0 == 500 })
    #expect(reader.warnings.isEmpty)
  }

  @Test("a recorded run validates; batched flushing writes whole lines on close")
  func recordAndValidate() throws {
    let path = temporaryPath()
    defer { try? FileManager.default.removeItem(atPath: path) }
    let recorder = try TraceRecorder(path: path, spec: "Account", flush: .everyLines(3))
    recorder.record("deposit", args: ["amount": 10], response: "ok", state: ["balance": 10])
    recorder.record("withdraw", args: ["amount": 4], response: "ok", state: ["balance": 6])
    recorder.close()
    recorder.record("withdraw", args: ["amount": 1])  // after close: ignored
    let (status, out, _) = runCLI(["validate", "Account", path])
    #expect(status == 0)
    #expect(out.contains("Account (maxBalance=20): admissible"))
    let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
    #expect(lines.count == 3)
  }
}
