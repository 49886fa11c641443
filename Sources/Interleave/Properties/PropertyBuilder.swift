/// Two trace properties checked together; their memories are kept side by side.
///
/// Its methods, like those of the library's other properties, are inlinable, so that a
/// monitored spec specializes them for its own types instead of running them generically.
public struct BothProperties<First: TraceProperty, Second: TraceProperty>: TraceProperty
where First.State == Second.State, First.Action == Second.Action, First.Response == Second.Response {
  public typealias State = First.State
  public typealias Action = First.Action
  public typealias Response = First.Response

  /// The memories of both.
  public struct Memory: Hashable, Sendable {
    public var first: First.Memory
    public var second: Second.Memory

    @inlinable
    init(first: First.Memory, second: Second.Memory) {
      self.first = first
      self.second = second
    }

    // Written out and inlinable (see `MonitoredSpec.State`'s).
    @inlinable
    public static func == (lhs: Memory, rhs: Memory) -> Bool { lhs.first == rhs.first && lhs.second == rhs.second }

    @inlinable
    public func hash(into hasher: inout Hasher) {
      hasher.combine(first)
      hasher.combine(second)
    }
  }

  public let first: First
  public let second: Second

  @inlinable
  public init(_ first: First, _ second: Second) {
    self.first = first
    self.second = second
  }

  public var name: String { "\(first.name), \(second.name)" }

  @inlinable
  public func initialMemory(for initialState: State) -> Memory {
    Memory(first: first.initialMemory(for: initialState), second: second.initialMemory(for: initialState))
  }

  @inlinable
  public func observe(_ step: TraceStep<State, Action, Response>, memory: inout Memory) -> PropertyViolation? {
    if let violation = first.observe(step, memory: &memory.first) { return violation }
    return second.observe(step, memory: &memory.second)
  }

  @inlinable
  public func finish(_ memory: Memory) -> PropertyViolation? {
    first.finish(memory.first) ?? second.finish(memory.second)
  }

  @inlinable
  public func fingerprint(_ memory: Memory, into f: inout Fingerprinter) {
    first.fingerprint(memory.first, into: &f)
    second.fingerprint(memory.second, into: &f)
  }
}

/// Collects several trace properties into one, with static types (no erasure, no boxing).
@resultBuilder
public enum PropertyBuilder {
  public static func buildPartialBlock<P: TraceProperty>(first: P) -> P { first }

  public static func buildPartialBlock<P0: TraceProperty, P1: TraceProperty>(
    accumulated: P0, next: P1
  ) -> BothProperties<P0, P1> {
    BothProperties(accumulated, next)
  }
}
