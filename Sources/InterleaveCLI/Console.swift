#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif
import Synchronization

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
    out: { writeAll($0, to: 1) },
    err: { writeAll($0, to: 2) })
}

/// Writes all of `text` to `descriptor` with `write(2)`, retrying after interruptions and short
/// writes. Returns 0, or the `errno` of the error that stopped it (a closed pipe, a full disk);
/// the console ignores it.
@discardableResult
func writeAll(_ text: String, to descriptor: Int32) -> Int32 {
  var text = text
  return text.withUTF8 { bytes in
    guard var base = bytes.baseAddress else { return 0 }
    var left = bytes.count
    while left > 0 {
      let written = write(descriptor, base, left)
      if written < 0 {
        if errno == EINTR { continue }
        return errno
      }
      base += written
      left -= written
    }
    return 0
  }
}

/// Writes `text` to a new file next to `path` and renames it to `path`, so that `path` is either
/// the old file or the whole new one. Returns the system's reason (`strerror`) on failure.
func writeFileAtomically(_ text: String, to path: String) -> String? {
  var temporary = ""
  var descriptor: Int32 = -1
  for attempt in 0..<100 {
    temporary = "\(path).tmp-\(getpid())-\(attempt)"
    descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o666)
    if descriptor >= 0 || errno != EEXIST { break }
  }
  guard descriptor >= 0 else { return String(cString: strerror(errno)) }
  var failure = writeAll(text, to: descriptor)
  if close(descriptor) != 0 && failure == 0 { failure = errno }
  if failure == 0 && rename(temporary, path) != 0 { failure = errno }
  guard failure != 0 else { return nil }
  unlink(temporary)
  return String(cString: strerror(failure))
}

/// A console that collects what is written, for tests.
public final class CapturingConsole: Sendable {
  private let texts = Mutex<(out: String, err: String)>(("", ""))

  /// A capture with nothing written yet.
  public init() {}

  /// What was written to standard output.
  public var stdout: String { texts.withLock { $0.out } }
  /// What was written to standard error.
  public var stderr: String { texts.withLock { $0.err } }

  /// The console that writes here.
  public var console: Console {
    Console(
      out: { text in self.texts.withLock { $0.out += text } },
      err: { text in self.texts.withLock { $0.err += text } })
  }
}
