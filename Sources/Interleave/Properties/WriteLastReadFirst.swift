/// The answer of a write to a system of record or of reference (TigerBeetle and the companion
/// Resonate example return one of these for each create).
public enum WriteOutcome: String, Hashable, Sendable, Fingerprintable {
  /// The entity did not exist and was written.
  case created
  /// The entity existed with the same data.
  case existsSame
  /// The entity existed with different data: a conflict.
  case existsDiff

  @inlinable
  public func fingerprint(into f: inout Fingerprinter) { rawValue.fingerprint(into: &f) }
}

/// What a step did to the two systems, as the write-last/read-first rule sees it.
public enum SystemEvent<Operation: Hashable & Sendable, Entity: Hashable & Sendable>: Hashable, Sendable {
  /// Operation `op` wrote `entity` to the system of reference.
  case referenceWrite(op: Operation, entity: Entity, outcome: WriteOutcome)
  /// Operation `op` wrote `entity` to the system of record.
  case recordWrite(op: Operation, entity: Entity, outcome: WriteOutcome)
  /// Operation `op` read `entity` from the system of record.
  case recordRead(op: Operation, entity: Entity, found: Bool)
  /// Operation `op` read `entity` from the system of reference.
  case referenceRead(op: Operation, entity: Entity, found: Bool)
  /// Operation `op` answered its caller about `entity`; `exists` if it claims the entity exists.
  case result(op: Operation, entity: Entity, exists: Bool)

  /// The operation the event belongs to.
  @inlinable
  public var operation: Operation {
    switch self {
    case .referenceWrite(let op, _, _), .recordWrite(let op, _, _), .recordRead(let op, _, _),
      .referenceRead(let op, _, _), .result(let op, _, _):
      op
    }
  }
}

/// Write last, read first: keeping a system of record (which decides existence) and a system of
/// reference consistent without a shared transaction (rules WL-1 to WL-6 in docs/properties.md).
///
/// Source: Dominik Tornow, "The Write Last, Read First Rule", TigerBeetle blog, 2025-11-06:
/// "when writing, write to the system of record last; when reading, read from the system of
/// record first"; and the companion example `resonatehq-examples/example-tigerbeetle-account-creation-ts`,
/// whose panics are WL-3 and WL-4.
///
/// - WL-1 write order: an operation writes an entity to the record only after its own write of
///   that entity to the reference answered `created` or `existsSame`.
/// - WL-2 read order: an operation claims an entity exists only after reading the record, and
///   only if its first record read found it.
/// - WL-3 conflict: after a write answered `existsDiff`, the operation must stop (no further event).
/// - WL-4 ordering detector: a reference write answered `created` while the record write of the
///   same entity in the same operation answered `existsSame`.
/// - WL-5 traceability: every entity in the record is in the reference, in every state.
/// - WL-6 stuck orphan (end-of-trace obligation): at the end of a trace with no operation in
///   flight, every entity in the reference is in the record.
public struct WriteLastReadFirst<State, Action, Response, Operation: Hashable & Sendable & Fingerprintable, Entity: Hashable & Sendable & Fingerprintable>: TraceProperty {
  /// What the monitor remembers of one operation.
  public struct OperationMemory: Hashable, Sendable, Fingerprintable {
    /// Entities this operation wrote to the reference with `created` or `existsSame`.
    public var referenceWritten: Set<Entity> = []
    /// Entities this operation created in the reference.
    public var referenceCreated: Set<Entity> = []
    /// The first record read of each entity: found or not.
    public var firstRecordRead: [Entity: Bool] = [:]
    /// Whether a write of this operation answered `existsDiff`.
    public var conflicted = false

    @inlinable
    init() {}

    // Written out and inlinable (see `MonitoredSpec.State`'s).
    @inlinable
    public static func == (lhs: OperationMemory, rhs: OperationMemory) -> Bool {
      lhs.conflicted == rhs.conflicted && lhs.referenceWritten == rhs.referenceWritten
        && lhs.referenceCreated == rhs.referenceCreated && lhs.firstRecordRead == rhs.firstRecordRead
    }

    @inlinable
    public func hash(into hasher: inout Hasher) {
      hasher.combine(referenceWritten)
      hasher.combine(referenceCreated)
      hasher.combine(firstRecordRead)
      hasher.combine(conflicted)
    }

    @inlinable
    public func fingerprint(into f: inout Fingerprinter) {
      f.combine(referenceWritten)
      f.combine(referenceCreated)
      f.combine(firstRecordRead)
      f.combine(conflicted)
    }
  }

  /// The monitor's memory: per operation, plus the orphans and quiescence of the last state.
  public struct Memory: Hashable, Sendable, Fingerprintable {
    public var operations: [Operation: OperationMemory] = [:]
    /// Entities in the reference but not in the record, in the last state.
    public var orphans: Set<Entity> = []
    /// Whether no operation was in flight in the last state.
    public var quiescent = true

    @inlinable
    init(operations: [Operation: OperationMemory], orphans: Set<Entity>, quiescent: Bool) {
      self.operations = operations
      self.orphans = orphans
      self.quiescent = quiescent
    }

    // Written out and inlinable (see `MonitoredSpec.State`'s).
    @inlinable
    public static func == (lhs: Memory, rhs: Memory) -> Bool {
      lhs.quiescent == rhs.quiescent && lhs.orphans == rhs.orphans && lhs.operations == rhs.operations
    }

    @inlinable
    public func hash(into hasher: inout Hasher) {
      hasher.combine(operations)
      hasher.combine(orphans)
      hasher.combine(quiescent)
    }

    @inlinable
    public func fingerprint(into f: inout Fingerprinter) {
      f.combine(operations)
      f.combine(orphans)
      f.combine(quiescent)
    }
  }

  public let name: String
  @usableFromInline let events: @Sendable (TraceStep<State, Action, Response>) -> [SystemEvent<Operation, Entity>]
  @usableFromInline let record: @Sendable (State) -> Set<Entity>
  @usableFromInline let reference: @Sendable (State) -> Set<Entity>
  @usableFromInline let quiescent: @Sendable (State) -> Bool

  /// Creates the property.
  /// - Parameters:
  ///   - name: the name violations report.
  ///   - events: what a step did to the two systems (usually zero or one event).
  ///   - record: the entities in the system of record, in a state.
  ///   - reference: the entities in the system of reference, in a state.
  ///   - quiescent: whether no operation is in flight (and none will be retried) in a state.
  public init(
    _ name: String = "write last, read first",
    events: @escaping @Sendable (TraceStep<State, Action, Response>) -> [SystemEvent<Operation, Entity>],
    record: @escaping @Sendable (State) -> Set<Entity>,
    reference: @escaping @Sendable (State) -> Set<Entity>,
    quiescent: @escaping @Sendable (State) -> Bool
  ) {
    self.name = name
    self.events = events
    self.record = record
    self.reference = reference
    self.quiescent = quiescent
  }

  @inlinable
  public func initialMemory(for initialState: State) -> Memory {
    Memory(operations: [:], orphans: reference(initialState).subtracting(record(initialState)), quiescent: quiescent(initialState))
  }

  @inlinable
  public func observe(_ step: TraceStep<State, Action, Response>, memory: inout Memory) -> PropertyViolation? {
    for event in events(step) {
      let op = event.operation
      var operation = memory.operations[op] ?? OperationMemory()
      let opText = JSONRendering.render(op).jsonText
      if operation.conflicted {
        return violation("WL-3: operation \(opText) went on after a write answered existsDiff; it must stop")
      }
      switch event {
      case .referenceWrite(_, let entity, let outcome):
        if outcome == .created || outcome == .existsSame { operation.referenceWritten.insert(entity) }
        if outcome == .created { operation.referenceCreated.insert(entity) }
        if outcome == .existsDiff { operation.conflicted = true }
      case .recordWrite(_, let entity, let outcome):
        let entityText = JSONRendering.render(entity).jsonText
        if !operation.referenceWritten.contains(entity) {
          return violation(
            "WL-1: operation \(opText) wrote \(entityText) to the system of record before writing it to the system of reference")
        }
        if outcome == .existsSame && operation.referenceCreated.contains(entity) {
          return violation(
            "WL-4: operation \(opText) created \(entityText) in the reference, but the record already had it (ordering violated)")
        }
        if outcome == .existsDiff { operation.conflicted = true }
      case .recordRead(_, let entity, let found):
        if operation.firstRecordRead[entity] == nil { operation.firstRecordRead[entity] = found }
      case .referenceRead:
        break
      case .result(_, let entity, let exists):
        if exists {
          let entityText = JSONRendering.render(entity).jsonText
          switch operation.firstRecordRead[entity] {
          case nil:
            return violation("WL-2: operation \(opText) claims \(entityText) exists without reading the system of record first")
          case false?:
            return violation(
              "WL-2: operation \(opText) claims \(entityText) exists although its first read of the system of record did not find it")
          case true?:
            break
          }
        }
      }
      memory.operations[op] = operation
    }
    let inRecord = record(step.after)
    let inReference = reference(step.after)
    let untraceable = inRecord.subtracting(inReference)
    if let entity = untraceable.map({ JSONRendering.render($0).jsonText }).sorted().first {
      return violation("WL-5: \(entity) is in the system of record but not in the system of reference (not traceable)")
    }
    memory.orphans = inReference.subtracting(inRecord)
    memory.quiescent = quiescent(step.after)
    return nil
  }

  @inlinable
  public func finish(_ memory: Memory) -> PropertyViolation? {
    guard memory.quiescent, !memory.orphans.isEmpty else { return nil }
    let names = memory.orphans.map { JSONRendering.render($0).jsonText }.sorted().joined(separator: ", ")
    return violation("WL-6: with no operation in flight, \(names) is in the system of reference but never reached the system of record")
  }
}
