/// Trace idempotence: replaying a request, however the state has evolved in between, has no
/// effect beyond its first application (Defs I-1 to I-4 and I-6 in docs/properties.md).
///
/// Source: Dominik Tornow (Bluesky, 30-31 Dec 2025): "Applying a request n times, regardless of
/// how the state has evolved in between applications, has no effect beyond the first
/// application"; "One more condition (j < i + k) gives us bounded idempotence."
///
/// For each request key the monitor keeps an anchor, the last application. A later step with the
/// same key inside the window is a replay: it must leave the observable state unchanged
/// (`observe(after) == observe(before)`) and answer like the anchor under the response rule. A
/// step outside the window is a new application and becomes the anchor. With ``payload(_:mismatch:)``,
/// a replay with another payload must change nothing and answer with the mismatch error (I-4).
/// With ``strict(rejects:)``, a replay after the observable state moved on since the anchor must
/// change nothing and be rejected (I-6, strict deduplication).
///
/// ```swift
/// TraceIdempotence("idempotent PUT", key: { $0.key }, observe: { $0.x })
///   .window(.steps(5))
///   .responses(.ignoringMarker("deduplicated"))
/// ```
public struct TraceIdempotence<State, Action, Response, Key: Hashable & Sendable & Fingerprintable, Observable: Equatable>:
  TraceProperty
{
  /// How far a replay can be from its anchor and still have to be a no-op (Def I-2).
  public enum Window: Hashable, Sendable {
    /// Every later replay (Def I-1).
    case unbounded
    /// Replays fewer than `n` steps after the anchor (Tornow's `j < i + k`, Kafka's 5 batches).
    case steps(Int)
    /// Replays less than `t` time units after the anchor, by the property's clock (Stripe's 24 h).
    case time(Double)
  }

  /// What the monitor remembers of a key's anchor.
  public struct Anchor: Hashable, Sendable, Fingerprintable {
    /// The payload fingerprint (0 without payload binding).
    public var payload: UInt64
    /// The normal form of the anchor's response, as JSON text (empty when not compared).
    public var response: String
    /// The fingerprint of the observable state right after the anchor (strict mode only).
    public var observedAfter: UInt64
    /// Steps since the anchor, saturating at the window (step windows only).
    public var age: Int
    /// The anchor's clock reading (time windows only).
    public var time: Double

    @inlinable
    init(payload: UInt64, response: String, observedAfter: UInt64, age: Int, time: Double) {
      self.payload = payload
      self.response = response
      self.observedAfter = observedAfter
      self.age = age
      self.time = time
    }

    // Written out and inlinable (see `MonitoredSpec.State`'s).
    @inlinable
    public static func == (lhs: Anchor, rhs: Anchor) -> Bool {
      lhs.payload == rhs.payload && lhs.observedAfter == rhs.observedAfter && lhs.age == rhs.age && lhs.time == rhs.time
        && lhs.response == rhs.response
    }

    @inlinable
    public func hash(into hasher: inout Hasher) {
      hasher.combine(payload)
      hasher.combine(response)
      hasher.combine(observedAfter)
      hasher.combine(age)
      hasher.combine(time)
    }

    @inlinable
    public func fingerprint(into f: inout Fingerprinter) {
      f.combine(payload)
      f.combine(response)
      f.combine(observedAfter)
      f.combine(age)
      f.combine(time)
    }
  }

  public let name: String
  @usableFromInline let key: @Sendable (Action) -> Key?
  @usableFromInline let observe: @Sendable (State) -> Observable
  @usableFromInline var window: Window = .unbounded
  @usableFromInline var responseRule: ResponseEquivalence<Response> = .exact
  @usableFromInline var payloadOf: (@Sendable (Action) -> UInt64)?
  @usableFromInline var isMismatchError: (@Sendable (Response) -> Bool)?
  @usableFromInline var strictRejects: (@Sendable (Response) -> Bool)?
  @usableFromInline var clock: @Sendable (TraceStep<State, Action, Response>) -> Double? = { $0.time }

  /// Creates the property.
  /// - Parameters:
  ///   - name: the name violations report.
  ///   - key: the request identity of an action, or nil for actions that are not requests.
  ///   - observe: the projection π of the state that a replay must not change: leave out
  ///     bookkeeping such as deduplication tables, attempt counters and timestamps.
  public init(
    _ name: String = "trace idempotence",
    key: @escaping @Sendable (Action) -> Key?,
    observe: @escaping @Sendable (State) -> Observable
  ) {
    self.name = name
    self.key = key
    self.observe = observe
  }

  /// Bounds the property to a window (Def I-2). A time window needs a clock: the steps' `time`
  /// (logs) or ``clock(_:)`` (models).
  public func window(_ window: Window) -> Self {
    switch window {
    case .steps(let n): precondition(n >= 1, "\(name): a step window must be at least 1 step")
    case .time(let t): precondition(t > 0, "\(name): a time window must be positive")
    case .unbounded: break
    }
    var copy = self
    copy.window = window
    return copy
  }

  /// Compares replay responses with `rule` (Def I-3); `.exact` by default.
  public func responses(_ rule: ResponseEquivalence<Response>) -> Self {
    var copy = self
    copy.responseRule = rule
    return copy
  }

  /// Binds each key to its payload (Def I-4): a replay with another payload inside the window
  /// must change nothing and answer with an error for which `mismatch` is true.
  public func payload<Payload: Fingerprintable & Sendable>(
    _ payload: @escaping @Sendable (Action) -> Payload,
    mismatch: @escaping @Sendable (Response) -> Bool
  ) -> Self {
    var copy = self
    copy.payloadOf = { Fingerprinter.fingerprint(of: payload($0)) }
    copy.isMismatchError = mismatch
    return copy
  }

  /// Strict deduplication (Def I-6): once the observable state has moved on since the anchor, a
  /// replay must still change nothing, but it must be rejected (`rejects` true) instead of
  /// answered like the anchor. Non-strict (the default) is Tornow's trace idempotence.
  public func strict(rejects: @escaping @Sendable (Response) -> Bool) -> Self {
    var copy = self
    copy.strictRejects = rejects
    return copy
  }

  /// The clock for time windows; by default the step's own `time` (from a log).
  public func clock(_ clock: @escaping @Sendable (TraceStep<State, Action, Response>) -> Double?) -> Self {
    var copy = self
    copy.clock = clock
    return copy
  }

  @inlinable
  public func initialMemory(for initialState: State) -> [Key: Anchor] { [:] }

  @inlinable
  public func observe(_ step: TraceStep<State, Action, Response>, memory: inout [Key: Anchor]) -> PropertyViolation? {
    if case .steps(let limit) = window {
      memory.updateValues { _, anchor in
        if anchor.age < limit { anchor.age += 1 }
      }
    }
    guard let key = key(step.action) else { return nil }
    let reading = clock(step)
    if case .time = window, reading == nil {
      preconditionFailure("\(name): a time window needs a clock; the step has no time, so set .clock { ... }")
    }
    let now = reading ?? 0
    let payload = payloadOf?(step.action) ?? 0
    let response = responseRule.normalForm.map { $0(step.response).jsonText } ?? ""
    guard let anchor = memory[key], isInWindow(anchor, now: now) else {
      memory[key] = Anchor(
        payload: payload, response: response,
        observedAfter: strictRejects == nil ? 0 : ReflectiveFingerprint.fingerprint(of: observe(step.after)),
        age: 0, time: now)
      return nil
    }
    let before = observe(step.before)
    let after = observe(step.after)
    let keyText = JSONRendering.render(key).jsonText
    if before != after {
      let change = "\(JSONRendering.render(before).jsonText) -> \(JSONRendering.render(after).jsonText)"
      let what = payloadOf != nil && payload != anchor.payload ? "with another payload " : ""
      return violation("replay of request \(keyText) \(what)changed the observable state: \(change)")
    }
    if payloadOf != nil && payload != anchor.payload {
      if let isMismatchError, !isMismatchError(step.response) {
        return violation(
          "request \(keyText) reused with another payload was not answered with the mismatch error: "
            + JSONRendering.render(step.response).jsonText)
      }
      return nil
    }
    if let strictRejects, ReflectiveFingerprint.fingerprint(of: before) != anchor.observedAfter {
      if !strictRejects(step.response) {
        return violation(
          "strict replay of request \(keyText) after the state moved on was not rejected: "
            + JSONRendering.render(step.response).jsonText)
      }
      return nil
    }
    if responseRule.normalForm != nil && response != anchor.response {
      return violation(
        "replay of request \(keyText) answered \(response), the first application answered \(anchor.response) "
          + "(responses compared: \(responseRule.name))")
    }
    return nil
  }

  @inlinable
  func isInWindow(_ anchor: Anchor, now: Double) -> Bool {
    switch window {
    case .unbounded: true
    case .steps(let limit): anchor.age < limit
    case .time(let limit): now - anchor.time < limit
    }
  }
}

extension TraceIdempotence {
  /// Creates the property for the steps of spec type `S`.
  public init<S: Specification>(
    _ name: String = "trace idempotence", for spec: S.Type,
    key: @escaping @Sendable (Action) -> Key?,
    observe: @escaping @Sendable (State) -> Observable
  ) where S.State == State, S.Action == Action, S.Response == Response {
    self.init(name, key: key, observe: observe)
  }
}
