/// Interruption transparency (DE-7): every run that finishes, with crashes and sleeps, shows
/// the observable effects of some run of the same program that is never interrupted.
///
/// Definition (docs/properties.md, DE-7; Resonate's Durable Function Specification): an
/// execution that experiences an interruption and recovers is equivalent to *some* execution
/// that does not. `observe` projects a state onto what the outside world sees (effects,
/// responses, the final result); `finished` says the program has completed.
///
/// The property explores `reference` (the same program with interruptions switched off, e.g.
/// a crash budget of 0) once, exhaustively, and collects the observations of its finished
/// states. Monitoring the system with interruptions, it fails at the first step that reaches a
/// finished state whose observation is not among them.
public struct InterruptionTransparency<System: DistributedSystem, Observation: Hashable & Sendable>: TraceProperty {
  public typealias State = SystemState<System>
  public typealias Action = SystemAction<System>
  public typealias Response = [System.Event]

  public let name: String
  /// What uninterrupted runs observe when they finish.
  public let uninterrupted: Set<Observation>
  @usableFromInline let observe: @Sendable (State) -> Observation
  @usableFromInline let finished: @Sendable (State) -> Bool

  /// Creates the property, exploring `reference` to collect what uninterrupted runs observe.
  /// - Parameters:
  ///   - name: the name violations report.
  ///   - reference: the same program without interruptions (no crash, no sleep interruption).
  ///   - observe: the observable projection of a state.
  ///   - finished: whether the program has completed in a state.
  public init(
    _ name: String = "interruption transparency (DE-7)", reference: System,
    observe: @escaping @Sendable (State) -> Observation,
    finished: @escaping @Sendable (State) -> Bool
  ) {
    self.name = name
    self.observe = observe
    self.finished = finished
    let reference = reference.spec
    var seen = Set(reference.initialStates)
    var frontier = Array(seen)
    var observations = Set<Observation>()
    while let state = frontier.popLast() {
      if finished(state) { observations.insert(observe(state)) }
      reference.forEachEnabledAction(in: state) { action in
        var next = state
        _ = reference.apply(action, to: &next)
        if reference.isWithinConstraint(next), seen.insert(next).inserted { frontier.append(next) }
      }
    }
    self.uninterrupted = observations
  }

  @inlinable
  public func initialMemory(for initialState: State) -> Bool { false }

  @inlinable
  public func observe(_ step: TraceStep<State, Action, Response>, memory: inout Bool) -> PropertyViolation? {
    guard finished(step.after) else { return nil }
    let observation = observe(step.after)
    if uninterrupted.contains(observation) { return nil }
    return violation(finishing: observation)
  }

  /// The violation of a run that finished observing `observation`.
  @usableFromInline
  func violation(finishing observation: Observation) -> PropertyViolation {
    let allowed = uninterrupted.map { JSONRendering.render($0).jsonText }.sorted()
    return violation(
      "finished observing \(JSONRendering.render(observation).jsonText); uninterrupted runs finish with "
        + (allowed.isEmpty ? "nothing (they never finish)" : allowed.joined(separator: " or ")))
  }

  @inlinable
  public func fingerprint(_ memory: Bool, into fingerprinter: inout Fingerprinter) {}
}
