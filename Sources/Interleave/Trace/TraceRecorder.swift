#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import Synchronization

/// Records a program's events as JSONL that `interleave validate` reads: thread-safe, and
/// crash-safe in that every line reaches the file whole, in one `write` call, or not at all.
///
/// ```swift
/// let recorder = try TraceRecorder(path: "run.jsonl", spec: "PaymentLog")
/// recorder.record("charge", args: ["key": "k1", "amount": 10], response: "ok", process: "worker-1")
/// ```
///
/// With ``FlushPolicy/everyLine`` (the default) each event is written as soon as it is recorded,
/// so a process killed with SIGKILL loses nothing it recorded; ``FlushPolicy/everyLines(_:)``
/// writes batches of whole lines (fewer system calls, up to n - 1 lines lost on a crash). Add
/// `sync: true` to `fsync` after each write when machine crashes matter too.
public final class TraceRecorder: Sendable {
  /// When recorded lines are written to the file.
  public enum FlushPolicy: Sendable, Hashable {
    /// Each line as it is recorded.
    case everyLine
    /// Every `n` lines, and on ``TraceRecorder/flush()`` and ``TraceRecorder/close()``.
    case everyLines(Int)
  }

  struct Buffer {
    var descriptor: Int32
    var pending: [UInt8] = []
    var pendingLines = 0
    var closed = false
  }

  /// The file written.
  public let path: String
  let policy: FlushPolicy
  let sync: Bool
  let buffer: Mutex<Buffer>

  /// Opens `path` for appending (creating it), and writes a header line if `spec` is given and
  /// the file is empty (a restarted program appends to its earlier log).
  /// - Throws: a ``TraceRecorderError`` with the system's reason if the file cannot be opened.
  public init(
    path: String, spec: String? = nil, parameters: JSONObject = JSONObject(), flush: FlushPolicy = .everyLine,
    sync: Bool = false
  ) throws {
    let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
    guard descriptor >= 0 else {
      let code = errno
      throw TraceRecorderError(path: path, code: code, reason: String(cString: strerror(code)))
    }
    self.path = path
    self.policy = flush
    self.sync = sync
    self.buffer = Mutex(Buffer(descriptor: descriptor))
    var status = stat()
    let isEmpty = fstat(descriptor, &status) == 0 && status.st_size == 0
    if let spec, isEmpty {
      writeLine(.object(["spec": .string(spec), "params": .object(parameters)]))
    }
  }

  deinit { close() }

  /// Records an event: the action's trace name, its arguments, and what was observed.
  public func record(
    _ action: String, args: JSONObject = JSONObject(), response: JSONValue? = nil, state: JSONObject? = nil,
    before: JSONObject? = nil, process: String? = nil, time: Double? = nil
  ) {
    var event: JSONObject = ["action": .string(action)]
    if !args.isEmpty { event["args"] = .object(args) }
    if let response { event["response"] = response }
    if let state { event["state"] = .object(state) }
    if let before { event["pre"] = .object(before) }
    if let process { event["process"] = .string(process) }
    if let time { event["time"] = .double(time) }
    writeLine(.object(event))
  }

  /// Records any JSON object as one line.
  public func record(event: JSONObject) { writeLine(.object(event)) }

  func writeLine(_ value: JSONValue) {
    var line = Array(value.jsonText.utf8)
    line.append(UInt8(ascii: "\n"))
    buffer.withLock { buffer in
      guard !buffer.closed else { return }
      buffer.pending += line
      buffer.pendingLines += 1
      switch policy {
      case .everyLine: TraceRecorder.drain(&buffer, sync: sync)
      case .everyLines(let n): if buffer.pendingLines >= max(1, n) { TraceRecorder.drain(&buffer, sync: sync) }
      }
    }
  }

  /// Writes every pending line now.
  public func flush() {
    buffer.withLock { TraceRecorder.drain(&$0, sync: sync) }
  }

  /// Writes pending lines and closes the file; later records are ignored.
  public func close() {
    buffer.withLock { buffer in
      guard !buffer.closed else { return }
      TraceRecorder.drain(&buffer, sync: sync)
      _ = closeDescriptor(buffer.descriptor)
      buffer.closed = true
    }
  }

  /// One `write` for all pending whole lines (retried only for the unwritten rest).
  static func drain(_ buffer: inout Buffer, sync: Bool) {
    guard !buffer.pending.isEmpty else { return }
    buffer.pending.withUnsafeBytes { bytes in
      var offset = 0
      while offset < bytes.count {
        let written = write(buffer.descriptor, bytes.baseAddress! + offset, bytes.count - offset)
        if written < 0 {
          if errno == EINTR { continue }
          return
        }
        offset += written
      }
    }
    if sync { _ = fsync(buffer.descriptor) }
    buffer.pending.removeAll(keepingCapacity: true)
    buffer.pendingLines = 0
  }
}

/// Why a ``TraceRecorder`` could not open its file.
public struct TraceRecorderError: Error, Sendable, CustomStringConvertible {
  /// The file that could not be opened.
  public let path: String
  /// The C library's `errno`.
  public let code: Int32
  /// The system's reason (`strerror`), e.g. "Permission denied".
  public let reason: String

  /// `cannot open PATH: REASON`.
  public var description: String { "cannot open \(path): \(reason)" }
}

/// The C library's `close`, which the recorder's own `close()` hides.
private func closeDescriptor(_ descriptor: Int32) -> Int32 {
  #if canImport(Glibc)
    Glibc.close(descriptor)
  #else
    Darwin.close(descriptor)
  #endif
}
