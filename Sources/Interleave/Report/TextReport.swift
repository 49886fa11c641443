extension CheckReport {
  /// The human-readable report: the verdict and counts, the coverage, and each counterexample
  /// as numbered steps showing only the fields that changed (the full state at step 0).
  public var text: String {
    var out = ""
    let title = parametersText.isEmpty ? spec : "\(spec) (\(parametersText))"
    switch verdict {
    case .holds: out += "\(title): holds\n"
    case .violation: out += "\(title): \(violations.count == 1 ? "violation" : "\(violations.count) violations")\n"
    case .inconclusive: out += "\(title): inconclusive: \(inconclusiveReason ?? "a bound was hit")\n"
    }
    out += "  distinct states   \(grouped(distinctStates))\n"
    out += "  generated states  \(grouped(generatedStates))\n"
    out += "  depth             \(depth)\(strategy == .depthFirst ? " (deepest, DFS)" : "")\n"
    out += "  time              \(formatSeconds(seconds)) (\(grouped(Int(statesPerSecond.rounded()))) states/s)\n"
    if exact {
      out += "  visited set       exact (full states)\n"
    } else {
      let mebibytes = bytesPerState * Double(distinctStates) / 1_048_576
      out += "  memory            \(format1(mebibytes)) MiB, \(format1(bytesPerState)) bytes/state (fingerprints and parents)\n"
      out += "  fingerprint collision probability: \(formatProbability(collisionProbability)) (optimistic, as TLC computes it)\n"
    }
    if !coverage.isEmpty {
      out += "Coverage (distinct new / generated):\n"
      let width = coverage.map(\.action.count).max() ?? 0
      for entry in coverage {
        let name = entry.action.paddedOrTruncated(toUTF16Length: width)
        out += "  \(name)  \(grouped(entry.distinct)) / \(grouped(entry.generated))"
        if !entry.neverEnabled {
          out += "\n"
        } else if verdict == .inconclusive {
          out += "  not reached before the search stopped\n"
        } else {
          out += "  never enabled: likely a spec mistake\n"
        }
      }
    }
    for violation in violations {
      out += "\n" + violation.text
    }
    return out
  }

  var parametersText: String {
    guard case .object(let object) = parameters else { return "" }
    return object.map { "\($0.key)=\($0.value.displayText.trimmingQuotes)" }.joined(separator: " ")
  }
}

extension CheckReport.ReportedViolation {
  /// The counterexample as numbered steps, then what failed.
  public var text: String {
    var out = ""
    let stepsCount = steps.count - 1
    let stepsWord = stepsCount == 1 ? "1 step" : "\(stepsCount) steps"
    switch kind {
    case .invariant: out += "Invariant \(name) is violated after \(stepsWord):\n"
    case .postcondition: out += "Post-condition \(name) is broken by step \(stepsCount):\n"
    case .deadlock: out += "Deadlock after \(stepsWord): no action is enabled and the state is not terminal:\n"
    case .property: out += "Property \(name) is violated after \(stepsWord):\n"
    }
    var previous: JSONValue?
    for (index, step) in steps.enumerated() {
      if let action = step.action {
        out += "  \(index). \(action.description)"
        if step.response != .null { out += " -> \(step.response.displayText)" }
        out += "\n"
      } else {
        out += "  \(index). initial state\n"
      }
      let changes = previous.map { StateDiff.changes(from: $0, to: step.state) } ?? StateDiff.fields(of: step.state)
      if changes.isEmpty { out += "       (no change)\n" }
      for change in changes {
        out += "       \(change.path) = \(change.new?.displayText ?? "(removed)")\n"
      }
      previous = step.state
    }
    switch kind {
    case .invariant: out += "  The last state violates \(name).\n"
    case .postcondition: out += "  Step \(stepsCount) breaks \(name).\n"
    case .deadlock: out += "  No action is enabled in the last state.\n"
    case .property: out += "  \(message ?? "The trace violates \(name).")\n"
    }
    if let message, kind != .property { out += "  \(message)\n" }
    return out
  }
}

/// `1234567` as `1,234,567`.
func grouped(_ value: Int) -> String {
  let digits = String(value.magnitude)
  var out = ""
  for (index, character) in digits.enumerated() {
    if index > 0 && (digits.count - index) % 3 == 0 { out += "," }
    out.append(character)
  }
  return value < 0 ? "-" + out : out
}

func formatSeconds(_ seconds: Double) -> String {
  seconds < 10 ? "\(format2(seconds)) s" : "\(format1(seconds)) s"
}

func format1(_ value: Double) -> String {
  let tenths = Int((value * 10).rounded())
  return "\(tenths / 10).\(abs(tenths % 10))"
}

func format2(_ value: Double) -> String {
  let hundredths = Int((value * 100).rounded())
  let fraction = abs(hundredths % 100)
  return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
}

func formatProbability(_ p: Double) -> String {
  if p == 0 { return "0" }
  var exponent = 0
  var mantissa = p
  while mantissa < 1 {
    mantissa *= 10
    exponent -= 1
  }
  while mantissa >= 10 {
    mantissa /= 10
    exponent += 1
  }
  return "\(format1(mantissa))e\(exponent)"
}

extension String {
  /// Spaces appended up to `length` UTF-16 code units, or the first `length` units kept: what
  /// Foundation's `padding(toLength:withPad:" ",startingAt:0)` returns, which this replaces.
  func paddedOrTruncated(toUTF16Length length: Int) -> String {
    let units = utf16.count
    if units < length { return self + String(repeating: " ", count: length - units) }
    if units == length { return self }
    return String(decoding: utf16.prefix(length), as: UTF16.self)
  }

  var trimmingQuotes: String {
    hasPrefix("\"") && hasSuffix("\"") && count >= 2 ? String(dropFirst().dropLast()) : self
  }
}
