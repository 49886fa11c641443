import Foundation

/// Where a command writes: standard output for results, standard error for progress and errors.
public struct Console: Sendable {
  /// Writes to standard output.
  public let out: @Sendable (String) -> Void
  /// Writes to standard error.
  public let err: @Sendable (String) -> Void

  /// Creates a console from two sinks.
  public init(out: @escaping @Sendable (String) -> Void, err: @escaping @Sendable (String) -> Void) {
    self.out = out
    self.err = err
  }

  /// The process's standard output and error, unbuffered.
  public static let standard = Console(
    out: { FileHandle.standardOutput.write(Data($0.utf8)) },
    err: { FileHandle.standardError.write(Data($0.utf8)) })
}

/// A console that collects what is written, for tests.
public final class CapturingConsole: @unchecked Sendable {
  private let lock = NSLock()
  private var outText = ""
  private var errText = ""

  public init() {}

  /// What was written to standard output.
  public var stdout: String { lock.withLock { outText } }
  /// What was written to standard error.
  public var stderr: String { lock.withLock { errText } }

  /// The console that writes here.
  public var console: Console {
    Console(
      out: { text in self.lock.withLock { self.outText += text } },
      err: { text in self.lock.withLock { self.errText += text } })
  }
}
