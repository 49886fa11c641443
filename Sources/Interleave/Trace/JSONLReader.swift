#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reads a JSONL file one value per line, in constant memory.
///
/// The reader reads the file in chunks into one buffer and parses each line in place with
/// ``JSONParser``; the buffer grows only as far as the longest allowed line. Lines end with
/// `\n` or `\r\n`; blank lines are skipped but counted in line numbers, and a UTF-8 byte order
/// mark at the start of the file is ignored.
///
/// A last line without a final newline is returned if it parses. If it does not, the writer
/// most likely crashed in the middle of it: the reader records
/// ``JSONLError/truncatedLastLine(path:line:)`` in ``warnings`` and ends. Any other malformed
/// line throws ``JSONLError/syntax(path:line:column:expected:)``, and a line longer than the
/// limit throws ``JSONLError/lineTooLong(path:line:limit:)``; after either, ``next()`` goes on
/// with the following line.
///
/// ```swift
/// let reader = try JSONLReader(path: "trace.jsonl")
/// while let entry = try reader.next() { use(entry.line, entry.value) }
/// for warning in reader.warnings { print(warning) }
/// ```
public final class JSONLReader {
  /// The path of the file, as given; it starts every error message.
  public let path: String
  /// The longest line allowed, in bytes, without its line ending.
  public let maxLineBytes: Int
  /// Problems that did not stop the reading: a cut-short last line.
  public private(set) var warnings: [JSONLError] = []

  /// How many bytes one `read` asks for.
  private static let chunkSize = 1 << 20

  private let descriptor: Int32
  private var buffer: UnsafeMutablePointer<UInt8>
  private var capacity: Int
  /// The largest the buffer may grow: a longest line with its `\r\n`, plus a chunk.
  private let maxCapacity: Int
  /// The unread bytes are `buffer[start..<end]`; no `\n` is in `buffer[start..<searchFrom]`.
  private var start = 0
  private var end = 0
  private var searchFrom = 0
  /// The number of the last line taken from the buffer.
  private var lineNumber = 0
  private var atEndOfFile = false
  private var finished = false
  private var checkedByteOrderMark = false
  /// Whether the rest of a line that was too long is still to be skipped.
  private var skippingLongLine = false

  /// The name that ``init(path:maxLineBytes:)`` gives the standard input (`-`) in messages.
  public static let standardInputName = "<stdin>"

  /// Opens the file at `path` for reading; `-` reads the standard input.
  ///
  /// - Parameters:
  ///   - path: the file to read, or `-` for the standard input (named `<stdin>` in messages).
  ///   - maxLineBytes: the longest line allowed, in bytes without the line ending; a longer
  ///     line is an error, so that a corrupt file cannot make the reader allocate without bound.
  /// - Throws: ``JSONLError/cannotOpen(path:reason:)`` when the file cannot be opened.
  public convenience init(path: String, maxLineBytes: Int = 1 << 20) throws(JSONLError) {
    let descriptor = path == "-" ? dup(STDIN_FILENO) : open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else {
      throw JSONLError.cannotOpen(path: path, reason: String(cString: strerror(errno)))
    }
    self.init(descriptor: descriptor, name: path == "-" ? JSONLReader.standardInputName : path, maxLineBytes: maxLineBytes)
  }

  /// Reads from an open file descriptor (a pipe, a socket, a file), which the reader closes
  /// when it is released.
  ///
  /// - Parameters:
  ///   - descriptor: the descriptor to read; the reader owns it.
  ///   - name: the name messages give the input, in place of a path.
  ///   - maxLineBytes: the longest line allowed, in bytes without the line ending.
  public init(descriptor: Int32, name: String, maxLineBytes: Int = 1 << 20) {
    precondition(maxLineBytes > 0, "maxLineBytes must be positive")
    self.path = name
    self.maxLineBytes = maxLineBytes
    self.descriptor = descriptor
    let (limit, overflow) = maxLineBytes.addingReportingOverflow(2 + JSONLReader.chunkSize)
    maxCapacity = overflow ? Int.max : limit
    capacity = JSONLReader.chunkSize
    buffer = .allocate(capacity: capacity)
  }

  deinit {
    close(descriptor)
    buffer.deallocate()
  }

  /// Reads the next non-blank line and parses it.
  ///
  /// - Returns: the line's 1-based number and its value, or nil at the end of the file
  ///   (including after a cut-short last line, which goes to ``warnings``).
  /// - Throws: ``JSONLError/syntax(path:line:column:expected:)`` for a line that is not one JSON
  ///   value, ``JSONLError/lineTooLong(path:line:limit:)`` for a line over the limit, and
  ///   ``JSONLError/cannotOpen(path:reason:)`` when reading fails. The next call goes on after
  ///   the offending line.
  public func next() throws(JSONLError) -> (line: Int, value: JSONValue)? {
    if !checkedByteOrderMark { try skipByteOrderMark() }
    while !finished {
      if let newline = memchr(buffer + searchFrom, 0x0A, end - searchFrom) {
        let newlineIndex = buffer.distance(to: newline.assumingMemoryBound(to: UInt8.self))
        let lineStart = start
        start = newlineIndex + 1
        searchFrom = start
        if skippingLongLine {
          skippingLongLine = false
          continue
        }
        lineNumber += 1
        var lineEnd = newlineIndex
        if lineEnd > lineStart, buffer[lineEnd - 1] == 0x0D { lineEnd -= 1 }
        guard lineEnd - lineStart <= maxLineBytes else {
          throw .lineTooLong(path: path, line: lineNumber, limit: maxLineBytes)
        }
        if isBlank(lineStart, lineEnd) { continue }
        do {
          let value = try parseLine(lineStart, lineEnd)
          return (lineNumber, value)
        } catch {
          throw .syntax(path: path, line: lineNumber, column: error.offset + 1, expected: error.expected)
        }
      }
      // No newline in the buffer: the line goes on past what was read.
      searchFrom = end
      if skippingLongLine {
        start = end
      } else if pendingLineLength > maxLineBytes {
        lineNumber += 1
        skippingLongLine = true
        start = end
        searchFrom = end
        throw .lineTooLong(path: path, line: lineNumber, limit: maxLineBytes)
      }
      if atEndOfFile { return try lastLine() }
      try fill()
    }
    return nil
  }

  /// Reads and parses every line of the file at `path` and counts the values, to time the
  /// scan alone (what validation costs beyond reading).
  ///
  /// - Returns: the number of non-blank lines.
  /// - Throws: the first error ``next()`` throws.
  public static func scanOnly(path: String) throws(JSONLError) -> Int {
    let reader = try JSONLReader(path: path)
    var count = 0
    while try reader.next() != nil { count += 1 }
    return count
  }

  // MARK: Private

  /// The length of the unterminated line at the end of the buffer, without a `\r` that may be
  /// the start of its line ending.
  private var pendingLineLength: Int {
    let length = end - start
    return length > 0 && buffer[end - 1] == 0x0D ? length - 1 : length
  }

  /// Handles the line after the last newline, at the end of the file.
  private func lastLine() throws(JSONLError) -> (line: Int, value: JSONValue)? {
    finished = true
    let lineStart = start
    var lineEnd = end
    start = end
    if lineEnd > lineStart, buffer[lineEnd - 1] == 0x0D { lineEnd -= 1 }
    if isBlank(lineStart, lineEnd) { return nil }
    lineNumber += 1
    do {
      let value = try parseLine(lineStart, lineEnd)
      return (lineNumber, value)
    } catch {
      warnings.append(.truncatedLastLine(path: path, line: lineNumber))
      return nil
    }
  }

  private func parseLine(_ from: Int, _ to: Int) throws(JSONSyntaxError) -> JSONValue {
    try JSONParser.parse(UnsafeRawBufferPointer(start: buffer + from, count: to - from))
  }

  private func isBlank(_ from: Int, _ to: Int) -> Bool {
    var index = from
    while index < to {
      switch buffer[index] {
      case 0x20, 0x09, 0x0D: index += 1
      default: return false
      }
    }
    return true
  }

  private func skipByteOrderMark() throws(JSONLError) {
    checkedByteOrderMark = true
    while end - start < 3, !atEndOfFile { try fill() }
    if end - start >= 3, buffer[start] == 0xEF, buffer[start + 1] == 0xBB, buffer[start + 2] == 0xBF {
      start += 3
      searchFrom = start
    }
  }

  /// Moves the unread bytes to the front, grows the buffer if they fill it, and reads more.
  private func fill() throws(JSONLError) {
    if start > 0 {
      let unread = end - start
      if unread > 0 { memmove(buffer, buffer + start, unread) }
      end = unread
      searchFrom -= start
      start = 0
    }
    if end == capacity {
      // Only reached while the pending line is within the limit, so below maxCapacity.
      let newCapacity = min(capacity * 2, maxCapacity)
      let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
      grown.update(from: buffer, count: end)
      buffer.deallocate()
      buffer = grown
      capacity = newCapacity
    }
    while true {
      let count = read(descriptor, buffer + end, capacity - end)
      if count > 0 {
        end += count
        return
      }
      if count == 0 {
        atEndOfFile = true
        return
      }
      if errno == EINTR { continue }
      throw .cannotOpen(path: path, reason: String(cString: strerror(errno)))
    }
  }
}

/// Why a JSONL file could not be read, or a line of it not parsed.
public enum JSONLError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The file could not be opened or read; `reason` is the system's message.
  case cannotOpen(path: String, reason: String)
  /// A line is not one JSON value: at the 1-based byte `column`, `expected` was expected.
  case syntax(path: String, line: Int, column: Int, expected: String)
  /// A line is longer than `limit` bytes.
  case lineTooLong(path: String, line: Int, limit: Int)
  /// The last line has no newline and does not parse: the writer was probably cut off.
  case truncatedLastLine(path: String, line: Int)

  /// The error as a compiler-style message, such as `trace.jsonl:12:7: expected ',' or '}'`.
  public var description: String {
    switch self {
    case .cannotOpen(let path, let reason):
      return "cannot open \(path): \(reason)"
    case .syntax(let path, let line, let column, let expected):
      return "\(path):\(line):\(column): expected \(expected)"
    case .lineTooLong(let path, let line, let limit):
      return "\(path):\(line): line longer than \(limit) bytes"
    case .truncatedLastLine(let path, let line):
      return "\(path):\(line): the last line is cut short (the writer probably crashed); it is ignored"
    }
  }
}
