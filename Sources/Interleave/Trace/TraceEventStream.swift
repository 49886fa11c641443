/// Why a log could not be read: malformed JSON, or JSON that is not a valid event.
public enum TraceInputError: Error, Sendable, CustomStringConvertible {
  /// The file is not valid JSONL (a syntax error, a line too long, a missing file).
  case jsonl(JSONLError)
  /// A line is JSON but not an event.
  case event(TraceEventError)
  /// Several files cannot be merged.
  case merge(String)

  public var description: String {
    switch self {
    case .jsonl(let error): error.description
    case .event(let error): error.description
    case .merge(let message): message
    }
  }
}

/// The events of one or more JSONL logs, in one order, read lazily.
///
/// One file is read in its own order. Several files (per-process logs) are merged: by `time` if
/// every event has one, else by `lamport`, else by vector clock (`vector`, ordered by the sum of
/// its counters, which respects happens-before). Each file's own order is always kept; ties go
/// to the file named first on the command line, then to the earlier line. A header line (with
/// `"spec"`) is read from the start of each file.
public final class TraceEventStream: @unchecked Sendable {
  /// How merged files are ordered.
  public enum Ordering: String, Sendable {
    case single, time, lamport, vector
  }

  final class Source {
    let reader: JSONLReader
    var head: TraceEvent?
    init(reader: JSONLReader) { self.reader = reader }
  }

  let sources: [Source]
  /// The header of the first file that has one.
  public private(set) var header: TraceHeader?
  /// How the files are merged.
  public private(set) var ordering: Ordering = .single
  var fileIndex: [ObjectIdentifier: Int] = [:]

  /// Opens `paths` and reads each file's first event (and header).
  public init(paths: [String]) throws(TraceInputError) {
    precondition(!paths.isEmpty, "at least one log")
    var opened: [Source] = []
    for path in paths {
      do {
        opened.append(Source(reader: try JSONLReader(path: path)))
      } catch {
        throw .jsonl(error)
      }
    }
    sources = opened
    for source in sources {
      try advance(source, allowHeader: true)
    }
    if sources.count > 1 {
      let heads = sources.compactMap(\.head)
      if heads.allSatisfy({ $0.time != nil }) {
        ordering = .time
      } else if heads.allSatisfy({ $0.lamport != nil }) {
        ordering = .lamport
      } else if heads.allSatisfy({ $0.vectorClock != nil }) {
        ordering = .vector
      } else {
        throw .merge(
          "cannot merge \(paths.count) logs: their events need a \"time\", a \"lamport\" or a \"vector\" field to be ordered")
      }
    }
  }

  /// Warnings from the readers (a truncated last line).
  public var warnings: [String] { sources.flatMap { $0.reader.warnings.map(\.description) } }

  func advance(_ source: Source, allowHeader: Bool = false) throws(TraceInputError) {
    source.head = nil
    while true {
      let next: (line: Int, value: JSONValue)?
      do {
        next = try source.reader.next()
      } catch {
        throw .jsonl(error)
      }
      guard let (line, value) = next else { return }
      let interpreted: TraceLine
      do {
        interpreted = try TraceLine.interpret(value, origin: TraceEvent.Origin(file: source.reader.path, line: line))
      } catch {
        throw .event(error)
      }
      switch interpreted {
      case .header(let found):
        guard allowHeader else {
          throw .event(
            TraceEventError(
              origin: TraceEvent.Origin(file: source.reader.path, line: line),
              message: "a header line (with \"spec\") may only be the first line"))
        }
        if header == nil { header = found }
      case .event(let event):
        source.head = event
        return
      }
    }
  }

  func key(_ event: TraceEvent) -> Double {
    switch ordering {
    case .single: 0
    case .time: event.time ?? .infinity
    case .lamport: Double(event.lamport ?? Int.max)
    case .vector: Double(event.vectorClock?.values.reduce(0, +) ?? Int.max)
    }
  }

  /// The next event in merged order, or nil at the end of every file. After
  /// ``startReadingAhead()``, events come from the reading thread.
  public func next() throws(TraceInputError) -> TraceEvent? {
    if let readAhead { return try readAhead.next() }
    return try readNext()
  }

  var readAhead: ReadAhead?

  /// Reads and parses on a second thread, a few thousand events ahead of the consumer, so that
  /// parsing and validation overlap (memory stays bounded: at most four batches wait).
  public func startReadingAhead() {
    guard readAhead == nil else { return }
    let reader = ReadAhead()
    readAhead = reader
    startThread { [self] in
      var batch: [TraceEvent] = []
      batch.reserveCapacity(ReadAhead.batchSize)
      while true {
        do throws(TraceInputError) {
          guard let event = try self.readNext() else { break }
          batch.append(event)
          if batch.count == ReadAhead.batchSize {
            reader.put(.events(batch))
            batch.removeAll(keepingCapacity: true)
          }
        } catch {
          reader.put(.events(batch))
          reader.put(.failed(error))
          return
        }
      }
      reader.put(.events(batch))
      reader.put(.finished)
    }
  }

  func readNext() throws(TraceInputError) -> TraceEvent? {
    var best: Int?
    for (index, source) in sources.enumerated() {
      guard let head = source.head else { continue }
      if let current = best, let currentHead = sources[current].head, key(currentHead) <= key(head) { continue }
      best = index
    }
    guard let chosen = best, let event = sources[chosen].head else { return nil }
    try advance(sources[chosen])
    return event
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif
import Dispatch
import Synchronization

/// The hand-over between the reading thread and the validator: a bounded queue of batches.
final class ReadAhead: @unchecked Sendable {
  enum Item {
    case events([TraceEvent])
    case failed(TraceInputError)
    case finished
  }

  static let batchSize = 4096
  static let capacity = 4
  /// Free places in the queue: the reading thread waits on it when four batches are queued.
  /// Created at 0 and signalled up to the capacity, because libdispatch traps when a semaphore
  /// is released below its initial value (as here when the validator stops before the end).
  let free = DispatchSemaphore(value: 0)
  /// Queued items: the consumer waits on it when the queue is empty.
  let filled = DispatchSemaphore(value: 0)
  let queue = Mutex<[Item]>([])
  // The consumer's side, touched only by the consumer.
  var current: [TraceEvent] = []
  var position = 0
  var ended: Item?

  init() {
    for _ in 0..<ReadAhead.capacity { free.signal() }
  }

  /// Called by the reading thread; waits while four batches are queued.
  func put(_ item: Item) {
    free.wait()
    queue.withLock { $0.append(item) }
    filled.signal()
  }

  /// Called by the consumer.
  func next() throws(TraceInputError) -> TraceEvent? {
    while position == current.count {
      if let ended {
        if case .failed(let error) = ended { throw error }
        return nil
      }
      filled.wait()
      let item = queue.withLock { $0.removeFirst() }
      free.signal()
      switch item {
      case .events(let events):
        current = events
        position = 0
      case .failed, .finished:
        ended = item
      }
    }
    defer { position += 1 }
    return current[position]
  }
}

/// Runs `body` on a new detached thread (the C library's threads, with the default stack size).
func startThread(_ body: @escaping @Sendable () -> Void) {
  final class Box {
    let body: @Sendable () -> Void
    init(_ body: @escaping @Sendable () -> Void) { self.body = body }
  }
  let context = Unmanaged.passRetained(Box(body)).toOpaque()
  #if canImport(Darwin)
    var thread: pthread_t?
  #else
    var thread = pthread_t()
  #endif
  let status = pthread_create(
    &thread, nil,
    { context in
      let box = Unmanaged<Box>.fromOpaque(context!).takeRetainedValue()
      box.body()
      return nil
    }, context)
  precondition(status == 0, "pthread_create failed: \(status)")
  #if canImport(Darwin)
    _ = pthread_detach(thread!)
  #else
    _ = pthread_detach(thread)
  #endif
}
