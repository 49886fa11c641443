/// How a ``DistributedSystem``'s states, actions and responses appear in reports and logs.
extension SystemSpec {
  /// `{"processes": {name: {status, durable, volatile, timers}}, "network": [...], "shared": ...,
  /// "now": ..., "faults": {...}}`; parts a system does not use (no messages, no clock, empty
  /// states, no faults) are left out.
  public func render(_ state: State) -> JSONValue {
    var members: [(key: String, value: JSONValue)] = []
    var processMembers: [(key: String, value: JSONValue)] = []
    for process in system.processIDs {
      let local = state[process]
      var fields: [(key: String, value: JSONValue)] = [("status", local.status.jsonValue)]
      if System.Durable.self != EmptyState.self { fields.append(("durable", JSONRendering.render(local.durable))) }
      if System.Volatile.self != EmptyState.self { fields.append(("volatile", JSONRendering.render(local.volatile))) }
      if !local.timers.isEmpty {
        fields.append(("timers", .array(local.timers.map { timer in
          var entry: [(key: String, value: JSONValue)] = [("timer", JSONRendering.render(timer.timer))]
          if let deadline = timer.deadline { entry.append(("deadline", .int(deadline))) }
          if timer.isDurable { entry.append(("durable", true)) }
          return .object(JSONObject(uniqueMembers: entry))
        })))
      }
      processMembers.append((system.processes[process.index], .object(JSONObject(uniqueMembers: fields))))
    }
    members.append(("processes", .object(JSONObject(uniqueMembers: processMembers))))
    if System.Message.self != Never.self {
      members.append(("network", .array(state.network.entries.map { entry in
        var fields = envelopeArguments(entry.envelope).members
        if entry.count > 1 { fields.append(("count", .int(entry.count))) }
        return .object(JSONObject(uniqueMembers: fields))
      })))
    }
    if System.Shared.self != EmptyState.self { members.append(("shared", JSONRendering.render(state.shared))) }
    if system.clockLimit != nil { members.append(("now", .int(state.now))) }
    var faultMembers: [(key: String, value: JSONValue)] = []
    if system.faults.crashes != nil, system.faults.crashes != 0 { faultMembers.append(("crashes", .int(state.crashes))) }
    if system.faults.losses != nil, system.network.contains(.lossy) { faultMembers.append(("losses", .int(state.losses))) }
    if system.faults.duplications != nil, system.network.contains(.duplicating) {
      faultMembers.append(("duplications", .int(state.duplications)))
    }
    if !faultMembers.isEmpty { members.append(("faults", .object(JSONObject(uniqueMembers: faultMembers)))) }
    return .object(JSONObject(uniqueMembers: members))
  }

  /// The action's stable trace name and arguments (see ``SystemAction``).
  public func describe(_ action: Action) -> ActionDescription {
    switch action {
    case .deliver(let envelope):
      return ActionDescription(name: "deliver", arguments: envelopeArguments(envelope))
    case .drop(let envelope, let position), .duplicate(let envelope, let position):
      var arguments = envelopeArguments(envelope)
      if system.network.contains(.ordered) { arguments["position"] = .int(position) }
      if case .drop = action { return ActionDescription(name: "drop", arguments: arguments) }
      return ActionDescription(name: "duplicate", arguments: arguments)
    case .crash(let process):
      return ActionDescription(name: "crash", arguments: ["process": .string(processName(process))])
    case .restart(let process):
      return ActionDescription(name: "restart", arguments: ["process": .string(processName(process))])
    case .wake(let process):
      return ActionDescription(name: "wake", arguments: ["process": .string(processName(process))])
    case .timeout(let process, let timer):
      return ActionDescription(
        name: "timeout", arguments: ["process": .string(processName(process)), "timer": JSONRendering.render(timer)])
    case .step(let process, let step):
      let described = ActionDescription.reflecting(step)
      return ActionDescription(
        name: described.name,
        arguments: JSONObject(uniqueMembers: [("process", .string(processName(process)))] + described.arguments.members))
    case .tick:
      return ActionDescription(name: "tick")
    }
  }

  /// The events a step emitted, as a JSON array; null when it emitted none.
  public func render(response: [System.Event]) -> JSONValue {
    response.isEmpty ? .null : .array(response.map { JSONRendering.render($0) })
  }

  /// A process's name, or its id when it is out of range.
  func processName(_ process: ProcessID) -> String {
    system.processes.indices.contains(process.index) ? system.processes[process.index] : process.description
  }

  func envelopeArguments(_ envelope: Envelope<System.Message>) -> JSONObject {
    JSONObject(uniqueMembers: [
      ("from", .string(processName(envelope.from))), ("to", .string(processName(envelope.to))),
      ("message", JSONRendering.render(envelope.message)),
    ])
  }
}
