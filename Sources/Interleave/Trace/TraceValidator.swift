import Dispatch

/// Decides whether some behaviour of a spec explains a log: a search, not a replay.
///
/// It keeps the set of spec states consistent with the log so far (the candidates). For each
/// logged event it lets the spec's hidden actions fire (up to a bound), then advances every
/// candidate by every enabled action that the event names, with the logged arguments (a missing
/// argument matches any value), and keeps the successors whose response, post-conditions, trace
/// properties and observed fields agree with the log. An empty set refutes the log at that line;
/// a bound hit on the way makes the verdict inconclusive instead, because the search was not
/// complete. Memory does not grow with the log: only the current candidates are kept.
///
/// ```swift
/// var validator = TraceValidator(Put(keyed: true).monitored { Put.idempotence })
/// for event in events { if !validator.feed(event) { break } }
/// let report = validator.finish()
/// ```
public struct TraceValidator<S: Specification> {
  /// The spec the log is checked against.
  public let spec: S
  /// The bounds.
  public let options: ValidationOptions
  @usableFromInline var candidates: [S.State]
  @usableFromInline var started = false
  @usableFromInline var lines = 0
  @usableFromInline var matchedLines = 0
  @usableFromInline var lastMatched: TraceEvent.Origin?
  @usableFromInline var outcome: ValidationReport?
  @usableFromInline var maxCandidates = 0
  @usableFromInline var warnings: [String] = []
  @usableFromInline var descriptions: [S.Action: ActionDescription] = [:]
  @usableFromInline let invariants: [Invariant<S.State>]
  @usableFromInline let startTime = DispatchTime.now().uptimeNanoseconds

  /// Creates a validator whose candidates are the spec's initial states.
  @inlinable
  public init(_ spec: S, options: ValidationOptions = ValidationOptions()) {
    self.spec = spec
    self.options = options
    self.invariants = spec.invariants
    var seen: Set<UInt64> = []
    candidates = spec.initialStates.filter { seen.insert(spec.fingerprint(of: $0)).inserted }
    maxCandidates = candidates.count
  }

  /// Adds a warning to the report.
  @inlinable
  public mutating func warn(_ text: String) { warnings.append(text) }

  /// The candidate states now.
  @inlinable public var currentCandidates: [S.State] { candidates }

  @inlinable
  func describe(_ action: S.Action) -> ActionDescription {
    if let known = descriptions[action] { return known }
    return spec.describe(action)
  }

  @inlinable
  mutating func remember(_ action: S.Action) -> ActionDescription {
    if let known = descriptions[action] { return known }
    let description = spec.describe(action)
    if descriptions.count < 65_536 { descriptions[action] = description }
    return description
  }

  /// Checks one event; returns false once the verdict is known (refuted or inconclusive), after
  /// which further events are ignored.
  @inlinable @discardableResult
  public mutating func feed(_ event: borrowing TraceEvent) -> Bool {
    guard outcome == nil else { return false }
    lines += 1
    defer { started = true }
    guard let name = event.action else { return observeInitialState(event) }

    var truncated = false
    let pool = hiddenClosure(of: candidates, truncated: &truncated)
    var next: [S.State] = []
    var seen = FingerprintSet()
    var failures: [String] = []
    var enabled: Set<String> = []
    for candidate in pool {
      if let before = event.before, let difference = JSONMatch.mismatch(observed: before, actual: spec.render(candidate)) {
        failures.append("the state before differs: \(difference)")
        continue
      }
      var reasons: [String] = []
      var matching: [S.Action] = []
      if let built = spec.actions(named: name, arguments: event.arguments, in: candidate) {
        matching = built
      } else {
        let wantEnabled = failures.count < options.reportedCandidates
        spec.forEachEnabledAction(in: candidate) { action in
          let description = self.remember(action)
          if wantEnabled { enabled.insert(description.description) }
          if description.name == name
            && event.arguments.allSatisfy({ JSONMatch.mismatch(observed: $0.value, actual: description.arguments[$0.key]) == nil })
          {
            matching.append(action)
          }
        }
      }
      if matching.isEmpty && failures.count < options.reportedCandidates && spec.actions(named: name, arguments: event.arguments, in: candidate) != nil {
        spec.forEachEnabledAction(in: candidate) { enabled.insert(self.describe($0).description) }
      }
      let matched = !matching.isEmpty
      for action in matching {

        var successor = candidate
        let response = spec.apply(action, to: &successor, at: event.time)
        if let failure = disagreement(event, from: candidate, by: action, response: response, to: successor) {
          reasons.append(failure)
          continue
        }
        if seen.insert(spec.fingerprint(of: successor)) { next.append(successor) }
      }
      if !matched {
        let logged = ActionDescription(name: name, arguments: event.arguments)
        if spec.allowsStutter(logged, in: candidate),
          event.state.map({ JSONMatch.mismatch(observed: $0, actual: spec.render(candidate)) == nil }) ?? true
        {
          if seen.insert(spec.fingerprint(of: candidate)) { next.append(candidate) }
          continue
        }
        let why = spec.disabledReason(named: name, arguments: event.arguments, in: candidate)
          ?? typeMismatch(named: name, arguments: event.arguments, in: candidate)
        reasons.append("\(logged.description) is not enabled" + (why.map { ": \($0)" } ?? ""))
      }
      failures += reasons
    }
    if next.isEmpty {
      let known = spec.actionKinds
      if !known.isEmpty && !known.contains(name) {
        conclude(
          .refuted, at: event,
          reason: "unknown action '\(name)': the spec's actions are \(known.joined(separator: ", "))",
          failures: [], enabled: enabled.sorted())
        return false
      }
      let verdict: ValidationVerdict = truncated ? .inconclusive : .refuted
      let reason =
        truncated
        ? "no candidate explains the event, but the hidden-step bound (\(options.maxHiddenSteps)) cut the search"
        : (failures.first.map { "no behaviour of the spec explains the event: \($0)" }
          ?? "no behaviour of the spec explains the event")
      conclude(verdict, at: event, reason: reason, failures: failures, enabled: enabled.sorted())
      return false
    }
    if next.count > options.maxCandidates {
      conclude(
        .inconclusive, at: event,
        reason: "more than \(options.maxCandidates) spec states explain the log so far (the candidate bound)",
        failures: [], enabled: [])
      return false
    }
    candidates = next
    maxCandidates = max(maxCandidates, next.count)
    matchedLines += 1
    lastMatched = event.origin
    return true
  }

  /// A line with `"action": null` observes the initial state: it keeps the initial candidates
  /// that match.
  @inlinable
  mutating func observeInitialState(_ event: TraceEvent) -> Bool {
    guard !started else {
      conclude(
        .refuted, at: event, reason: "an initial-state line (action null) can only be the first event",
        failures: [], enabled: [])
      return false
    }
    guard let observed = event.state else {
      matchedLines += 1
      lastMatched = event.origin
      return true
    }
    var failures: [String] = []
    let kept = candidates.filter { candidate in
      if let difference = JSONMatch.mismatch(observed: observed, actual: spec.render(candidate)) {
        failures.append("initial state differs: \(difference)")
        return false
      }
      return true
    }
    guard !kept.isEmpty else {
      conclude(.refuted, at: event, reason: "no initial state of the spec matches", failures: failures, enabled: [])
      return false
    }
    candidates = kept
    matchedLines += 1
    lastMatched = event.origin
    return true
  }

  /// A logged argument whose JSON type differs from the same argument of an enabled action with
  /// that name (a string where the spec has an integer), as a message.
  @inlinable
  func typeMismatch(named name: String, arguments: JSONObject, in state: S.State) -> String? {
    func kind(_ value: JSONValue) -> String {
      switch value {
      case .null: "null"
      case .bool: "a Boolean"
      case .int, .double: "a number"
      case .string: "a string"
      case .array: "an array"
      case .object: "an object"
      }
    }
    var message: String?
    spec.forEachEnabledAction(in: state) { action in
      guard message == nil else { return }
      let description = describe(action)
      guard description.name == name else { return }
      for member in arguments {
        if let expected = description.arguments[member.key], kind(expected) != kind(member.value) {
          message = "argument '\(member.key)' is \(kind(member.value)) in the log but \(kind(expected)) in the spec"
          return
        }
        if description.arguments[member.key] == nil {
          message = "\(name) has no argument '\(member.key)' (its arguments: \(description.arguments.keys.joined(separator: ", ")))"
          return
        }
      }
    }
    return message
  }

  /// Why a step disagrees with the event (response, post-condition, invariant, trace property,
  /// observed state), or nil.
  @inlinable
  func disagreement(_ event: borrowing TraceEvent, from old: S.State, by action: S.Action, response: S.Response, to new: S.State)
    -> String?
  {
    var description: String { describe(action).description }
    if let logged = event.response {
      let actual = spec.render(response: response)
      if let difference = JSONMatch.mismatch(observed: logged, actual: actual) {
        return "\(description) answers \(actual.jsonText), the log says \(logged.jsonText)"
          + (difference.path == "value" ? "" : " (\(difference.path))")
      }
    }
    if let broken = spec.brokenPostcondition(from: old, by: action, response: response, to: new) {
      return "\(description) breaks the post-condition \(broken.condition)"
    }
    for invariant in invariants where !invariant.holds(new) {
      return "\(description) leads to a state that violates the invariant \(invariant.name)"
    }
    if let violation = spec.propertyViolation(in: new) {
      return "\(description) violates the trace property \(violation.property): \(violation.message)"
    }
    if let observed = event.state, let difference = JSONMatch.mismatch(observed: observed, actual: spec.render(new)) {
      return "after \(description) the state differs: \(difference)"
    }
    return nil
  }

  /// The candidates plus everything reachable from them by up to `maxHiddenSteps` hidden actions.
  @inlinable
  func hiddenClosure(of states: [S.State], truncated: inout Bool) -> [S.State] {
    // Most specs have no hidden action enabled: then nothing is allocated.
    var anyHidden = false
    for state in states where !anyHidden {
      spec.forEachEnabledAction(in: state) { if spec.isHidden($0) { anyHidden = true } }
    }
    guard anyHidden else { return states }
    var all = states
    var seen = Set(states.map { spec.fingerprint(of: $0) })
    var frontier = states
    var depth = 0
    while !frontier.isEmpty {
      var next: [S.State] = []
      for state in frontier {
        spec.forEachEnabledAction(in: state) { action in
          guard spec.isHidden(action) else { return }
          var successor = state
          _ = spec.apply(action, to: &successor)
          let fingerprint = spec.fingerprint(of: successor)
          if depth == options.maxHiddenSteps {
            // The bound cuts the search only if it leaves a new state unexplored.
            if !seen.contains(fingerprint) { truncated = true }
            return
          }
          if seen.insert(fingerprint).inserted { next.append(successor) }
        }
      }
      if depth == options.maxHiddenSteps { break }
      all += next
      frontier = next
      depth += 1
    }
    return all
  }

  @usableFromInline
  mutating func conclude(
    _ verdict: ValidationVerdict, at event: TraceEvent, reason: String, failures: [String], enabled: [String]
  ) {
    var unique: [String] = []
    for failure in failures where !unique.contains(failure) { unique.append(failure) }
    outcome = ValidationReport(
      spec: spec.name, verdict: verdict, lines: lines, matchedLines: matchedLines, failedAt: event.origin,
      failedEvent: event.summary, lastMatched: lastMatched, reason: reason,
      candidateFailures: Array(unique.prefix(options.reportedCandidates)),
      enabledActions: Array(enabled.prefix(options.reportedCandidates * 4)), maxCandidates: maxCandidates,
      warnings: warnings, seconds: 0)
  }

  /// The verdict after the last event: admissible unless something failed, or unless every
  /// remaining candidate has an obligation open (refuted with `complete`, inconclusive without).
  @inlinable
  public mutating func finish() -> ValidationReport {
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - startTime) / 1e9
    if var outcome {
      outcome.lines = lines
      outcome.seconds = seconds
      outcome.warnings = warnings
      return outcome
    }
    let open = candidates.compactMap { spec.unmetObligation(in: $0) }
    var verdict = ValidationVerdict.admissible
    var reason = "the log is a behaviour of the spec (\(candidates.count) candidate state\(candidates.count == 1 ? "" : "s") at the end)"
    if !candidates.isEmpty && open.count == candidates.count, let first = open.first {
      verdict = options.complete ? .refuted : .inconclusive
      reason =
        "at the end of the log an obligation is open: \(first.property): \(first.message)"
        + (options.complete ? "" : " (the log may have been cut off; --complete refutes it)")
    }
    return ValidationReport(
      spec: spec.name, verdict: verdict, lines: lines, matchedLines: matchedLines,
      failedAt: verdict == .admissible ? nil : lastMatched, failedEvent: nil, lastMatched: lastMatched, reason: reason,
      candidateFailures: verdict == .admissible ? [] : open.map(\.description),
      enabledActions: [], maxCandidates: max(maxCandidates, candidates.count), warnings: warnings, seconds: seconds)
  }
}

/// A set of fingerprints that stays an array while small: most events have one candidate.
@usableFromInline
struct FingerprintSet {
  @usableFromInline var small: [UInt64] = []
  @usableFromInline var large: Set<UInt64>?

  @inlinable init() {}

  /// Inserts `fingerprint`; returns true if it was not there.
  @inlinable
  mutating func insert(_ fingerprint: UInt64) -> Bool {
    if large == nil {
      if small.contains(fingerprint) { return false }
      small.append(fingerprint)
      if small.count > 16 { large = Set(small) }
      return true
    }
    return large!.insert(fingerprint).inserted
  }
}
