#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif
import Dispatch

/// Where the parallel breadth-first search spends its time, phase by phase, when the environment
/// variable `INTERLEAVE_PROFILE` is `1`: printed on standard error at the end of the search.
///
/// The variable is read once per process. When it is not set, the search makes no profile and
/// pays one untaken branch per phase and batch; nothing is done per state.
///
/// For each phase it sums the wall time of the coordinating thread and, for the parallel phases,
/// each worker's own time, split into:
/// - *start*: from the phase's start until the worker began (waking a thread up);
/// - *busy*: the worker's own work;
/// - *end wait*: from the worker's end until the last worker ended (imbalance).
/// `items` counts each worker's units (states expanded, candidates deduplicated, states
/// numbered), so that ns/item shows whether a worker slows down when others run beside it.
@usableFromInline
final class PhaseProfile: @unchecked Sendable {
  /// The barrier-separated parts of the search, in order.
  @usableFromInline enum Phase: Int, CaseIterable, Sendable {
    /// Parallel: successors generated, checked and bucketed by shard.
    case expand
    /// Parallel (or on one thread when the state bound may be crossed): candidates inserted.
    case dedup
    /// Serial: violations collected, shard offsets summed, parent log and next level extended.
    case numberPrep
    /// Parallel: parent-log entries and next-level slots written.
    case number
    /// Serial: wide ordinals, violations sorted and reported, bounds checked, progress.
    case settle
    /// Serial: the level switch and the heap trim.
    case levelEnd

    var name: String {
      switch self {
      case .expand: "expand"
      case .dedup: "dedup/insert"
      case .numberPrep: "number (serial)"
      case .number: "number"
      case .settle: "settle (serial)"
      case .levelEnd: "level end (serial)"
      }
    }

    var isParallel: Bool { self == .expand || self == .dedup || self == .number }
  }

  /// Whether `INTERLEAVE_PROFILE=1` is set (read once).
  @usableFromInline static let isEnabled: Bool = {
    guard let value = getenv("INTERLEAVE_PROFILE") else { return false }
    return String(cString: value) == "1"
  }()

  @usableFromInline let workers: Int
  @usableFromInline var wall = [UInt64](repeating: 0, count: Phase.allCases.count)
  /// Per phase and worker (`phase * workers + worker`); each worker writes only its own slots.
  @usableFromInline let busy: UnsafeMutablePointer<UInt64>
  @usableFromInline let started: UnsafeMutablePointer<UInt64>
  @usableFromInline let ended: UnsafeMutablePointer<UInt64>
  @usableFromInline let startDelay: UnsafeMutablePointer<UInt64>
  @usableFromInline let endWait: UnsafeMutablePointer<UInt64>
  @usableFromInline let items: UnsafeMutablePointer<Int>
  @usableFromInline var batches = 0
  @usableFromInline var levels = 0
  @usableFromInline var sequentialDedups = 0
  @usableFromInline let searchStart: UInt64

  @usableFromInline
  init(workers: Int) {
    self.workers = workers
    let slots = Phase.allCases.count * workers
    busy = .allocate(capacity: slots)
    busy.initialize(repeating: 0, count: slots)
    started = .allocate(capacity: slots)
    started.initialize(repeating: 0, count: slots)
    ended = .allocate(capacity: slots)
    ended.initialize(repeating: 0, count: slots)
    startDelay = .allocate(capacity: slots)
    startDelay.initialize(repeating: 0, count: slots)
    endWait = .allocate(capacity: slots)
    endWait.initialize(repeating: 0, count: slots)
    items = .allocate(capacity: slots)
    items.initialize(repeating: 0, count: slots)
    searchStart = PhaseProfile.now()
  }

  deinit {
    for pointer in [busy, started, ended, startDelay, endWait] { pointer.deallocate() }
    items.deallocate()
  }

  /// A profile if `INTERLEAVE_PROFILE=1` is set, else nil.
  @inlinable
  static func makeIfEnabled(workers: Int) -> PhaseProfile? {
    isEnabled ? PhaseProfile(workers: workers) : nil
  }

  /// Monotonic nanoseconds.
  @inlinable
  static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

  /// Adds the coordinator's time since `start` to `phase`; returns the time now, the start of
  /// the next phase.
  @inlinable @discardableResult
  func endSerial(_ phase: Phase, since start: UInt64) -> UInt64 {
    let time = PhaseProfile.now()
    wall[phase.rawValue] &+= time &- start
    return time
  }

  /// Called by a worker at the end of its part of a parallel phase.
  @inlinable
  func record(_ phase: Phase, worker: Int, from begin: UInt64, items count: Int) {
    let time = PhaseProfile.now()
    let slot = phase.rawValue * workers + worker
    started[slot] = begin
    ended[slot] = time
    busy[slot] &+= time &- begin
    items[slot] &+= count
  }

  /// Called by the coordinator after a parallel phase that began at `start`: adds its wall time
  /// and each worker's start delay and wait for the last one. Returns the time now.
  @inlinable @discardableResult
  func endParallel(_ phase: Phase, since start: UInt64, workers active: Int) -> UInt64 {
    let time = PhaseProfile.now()
    wall[phase.rawValue] &+= time &- start
    let base = phase.rawValue * workers
    var last: UInt64 = 0
    for worker in 0..<active { last = max(last, ended[base + worker]) }
    for worker in 0..<active {
      startDelay[base + worker] &+= started[base + worker] &- min(start, started[base + worker])
      endWait[base + worker] &+= last &- ended[base + worker]
    }
    return time
  }

  /// The report printed on standard error.
  @usableFromInline
  func report(spec: String, distinct: Int) -> String {
    let total = PhaseProfile.now() &- searchStart
    func seconds(_ ns: UInt64) -> String { format3(Double(ns) / 1e9) }
    func percent(_ ns: UInt64) -> String { total == 0 ? "0.0" : format1(Double(ns) * 100 / Double(total)) }
    func pad(_ text: String, _ width: Int, left: Bool = false) -> String {
      let padding = String(repeating: " ", count: max(0, width - text.count))
      return left ? text + padding : padding + text
    }
    var out = "profile (INTERLEAVE_PROFILE=1): \(spec), \(workers) worker\(workers == 1 ? "" : "s"), "
    out += "\(levels) levels, \(batches) batches"
    if sequentialDedups > 0 { out += " (\(sequentialDedups) deduplicated on one thread)" }
    out += ", \(distinct) distinct states, search \(seconds(total)) s\n"
    out += pad("phase", 20, left: true) + pad("wall s", 9) + pad("%", 7) + pad("worker", 8) + pad("busy s", 9)
      + pad("start s", 9) + pad("end wait s", 11) + pad("items", 11) + pad("ns/item", 9) + "\n"
    var accounted: UInt64 = 0
    for phase in Phase.allCases {
      let phaseWall = wall[phase.rawValue]
      accounted &+= phaseWall
      let head = pad(phase.name, 20, left: true) + pad(seconds(phaseWall), 9) + pad(percent(phaseWall), 7)
      guard phase.isParallel else {
        out += head + "\n"
        continue
      }
      for worker in 0..<workers {
        let slot = phase.rawValue * workers + worker
        let perItem = items[slot] > 0 ? format1(Double(busy[slot]) / Double(items[slot])) : "-"
        out += (worker == 0 ? head : String(repeating: " ", count: 36)) + pad("\(worker)", 8)
          + pad(seconds(busy[slot]), 9) + pad(seconds(startDelay[slot]), 9) + pad(seconds(endWait[slot]), 11)
          + pad("\(items[slot])", 11) + pad(perItem, 9) + "\n"
      }
    }
    let other = total > accounted ? total - accounted : 0
    out += pad("other", 20, left: true) + pad(seconds(other), 9) + pad(percent(other), 7)
      + "  (initial states, setup, merging counters)\n"
    return out
  }

  /// Writes `text` to standard error.
  @usableFromInline
  static func printToStandardError(_ text: String) {
    var text = text
    text.withUTF8 { bytes in
      guard var base = bytes.baseAddress else { return }
      var left = bytes.count
      while left > 0 {
        let written = write(2, base, left)
        if written < 0 {
          if errno == EINTR { continue }
          return
        }
        base += written
        left -= written
      }
    }
  }
}

/// `0.1234` as `0.123`.
func format3(_ value: Double) -> String {
  let thousandths = Int((value * 1000).rounded())
  let fraction = abs(thousandths % 1000)
  let digits = fraction < 10 ? "00\(fraction)" : (fraction < 100 ? "0\(fraction)" : "\(fraction)")
  return "\(thousandths / 1000).\(digits)"
}
