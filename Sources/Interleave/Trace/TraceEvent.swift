/// One line of a JSONL log: a logged action, or an observation of the initial state.
///
/// The format is in docs/trace-format.md. Every member but `action` is optional: a missing
/// argument is a nondeterministic choice, a missing response or state is not observed.
public struct TraceEvent: Sendable, Hashable {
  /// Where the event was read: the file and its 1-based line.
  public struct Origin: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public init(file: String, line: Int) {
      self.file = file
      self.line = line
    }
    public var description: String { "\(file):\(line)" }
  }

  /// The action's trace name; nil for a line that observes the initial state (the first line
  /// of a `check --trace-out` file).
  public var action: String?
  /// The logged arguments; an argument that is not here may take any value.
  public var arguments: JSONObject
  /// The logged response, if the log observed it.
  public var response: JSONValue?
  /// Observed fields of the state after the step (any subset of the rendered state).
  public var state: JSONObject?
  /// Observed fields of the state before the step.
  public var before: JSONObject?
  /// The process or execution that logged the event.
  public var process: String?
  /// The event's clock reading, for ordering merged logs and for time windows.
  public var time: Double?
  /// A Lamport timestamp, for ordering merged logs.
  public var lamport: Int?
  /// A vector clock (process name to counter), for ordering merged logs.
  public var vectorClock: [String: Int]?
  /// Where the event came from.
  public var origin: Origin

  /// Creates an event.
  public init(
    action: String?, arguments: JSONObject = JSONObject(), response: JSONValue? = nil, state: JSONObject? = nil,
    before: JSONObject? = nil, process: String? = nil, time: Double? = nil, lamport: Int? = nil,
    vectorClock: [String: Int]? = nil, origin: Origin = Origin(file: "-", line: 0)
  ) {
    self.action = action
    self.arguments = arguments
    self.response = response
    self.state = state
    self.before = before
    self.process = process
    self.time = time
    self.lamport = lamport
    self.vectorClock = vectorClock
    self.origin = origin
  }

  /// The event as `name(arg: value, ...)`.
  public var summary: String {
    guard let action else { return "initial state" }
    return ActionDescription(name: action, arguments: arguments).description
  }
}

/// The optional first line of a log: which spec and parameters it was recorded against.
public struct TraceHeader: Sendable, Hashable {
  /// The spec's name.
  public var spec: String
  /// Parameter values as `name=value` text.
  public var parameters: [String]
}

/// A line that is valid JSON but not a valid event.
public struct TraceEventError: Error, Sendable, Hashable, CustomStringConvertible {
  public var origin: TraceEvent.Origin
  public var message: String
  public var description: String { "\(origin): \(message)" }
}

/// What a log line is.
public enum TraceLine: Sendable, Hashable {
  case header(TraceHeader)
  case event(TraceEvent)

  /// Interprets a parsed line. A header has `"spec"` and no `"action"`; an event has `"action"`.
  public static func interpret(_ value: JSONValue, origin: TraceEvent.Origin) throws(TraceEventError) -> TraceLine {
    func fail(_ message: String) -> TraceEventError { TraceEventError(origin: origin, message: message) }
    guard case .object(let object) = value else { throw fail("expected a JSON object, one event per line") }
    if object["action"] == nil, let spec = object["spec"] {
      guard case .string(let name) = spec else { throw fail("\"spec\" must be a string") }
      var parameters: [String] = []
      if let params = object["params"] {
        guard case .object(let values) = params else { throw fail("\"params\" must be an object") }
        for member in values {
          switch member.value {
          case .string(let text): parameters.append("\(member.key)=\(text)")
          case .int(let number): parameters.append("\(member.key)=\(number)")
          case .bool(let flag): parameters.append("\(member.key)=\(flag)")
          default: throw fail("parameter \"\(member.key)\" must be a string, an integer or a Boolean")
          }
        }
      }
      return .header(TraceHeader(spec: name, parameters: parameters))
    }
    guard let actionValue = object["action"] else {
      throw fail("missing \"action\" (the action's trace name, or null for the initial state)")
    }
    var event = TraceEvent(action: nil, origin: origin)
    switch actionValue {
    case .null: event.action = nil
    case .string(let name): event.action = name
    default: throw fail("\"action\" must be a string or null")
    }
    for member in object {
      switch member.key {
      case "action": break
      case "args":
        guard case .object(let arguments) = member.value else { throw fail("\"args\" must be an object") }
        event.arguments = arguments
      case "response": event.response = member.value
      case "state":
        guard case .object(let fields) = member.value else { throw fail("\"state\" must be an object of observed fields") }
        event.state = fields
      case "pre":
        guard case .object(let fields) = member.value else { throw fail("\"pre\" must be an object of observed fields") }
        event.before = fields
      case "process":
        switch member.value {
        case .string(let name): event.process = name
        case .int(let number): event.process = String(number)
        default: throw fail("\"process\" must be a string")
        }
      case "time":
        switch member.value {
        case .int(let number): event.time = Double(number)
        case .double(let number): event.time = number
        default: throw fail("\"time\" must be a number")
        }
      case "lamport":
        guard case .int(let number) = member.value else { throw fail("\"lamport\" must be an integer") }
        event.lamport = number
      case "vector":
        guard case .object(let entries) = member.value else { throw fail("\"vector\" must be an object of counters") }
        var clock: [String: Int] = [:]
        for entry in entries {
          guard case .int(let counter) = entry.value else { throw fail("vector clock entry \"\(entry.key)\" must be an integer") }
          clock[entry.key] = counter
        }
        event.vectorClock = clock
      default:
        break  // Unknown members are allowed: logs carry more than the validator reads.
      }
    }
    return .event(event)
  }
}
