/// A process of a ``DistributedSystem``: its position in the system's ``DistributedSystem/processes``.
///
/// Messages and states may name processes by id (`ProcessID(1)`, or the literal `1`); reports and
/// trace names show the process's name instead.
public struct ProcessID: Hashable, Comparable, Sendable, Fingerprintable, JSONRenderable,
  ExpressibleByIntegerLiteral, CustomStringConvertible
{
  /// The position in the system's process list, from 0.
  public let index: Int

  /// The process at `index`.
  @inlinable
  public init(_ index: Int) { self.index = index }

  public init(integerLiteral value: Int) { self.index = value }

  @inlinable
  public static func < (lhs: ProcessID, rhs: ProcessID) -> Bool { lhs.index < rhs.index }

  @inlinable
  public static func == (lhs: ProcessID, rhs: ProcessID) -> Bool { lhs.index == rhs.index }

  @inlinable
  public func hash(into hasher: inout Hasher) { hasher.combine(index) }

  @inlinable
  public func fingerprint(into f: inout Fingerprinter) { f.combine(UInt64(bitPattern: Int64(index))) }

  /// The index, as JSON.
  public var jsonValue: JSONValue { .int(index) }

  public var description: String { "p\(index)" }
}

/// A permutation of process ids, for symmetry reduction: see
/// ``DistributedSystem/renamedMessage(_:by:)`` and its siblings.
public struct ProcessRenaming: Sendable {
  /// The new position of the process at each old position.
  @usableFromInline let target: [Int]

  @inlinable
  init(target: [Int]) { self.target = target }

  /// The renaming that gives the process at each position the id at that position of `newIDs`,
  /// a permutation of all the system's processes.
  public init(_ newIDs: [ProcessID]) {
    precondition(Set(newIDs.map(\.index)) == Set(newIDs.indices), "a renaming must permute the processes")
    self.target = newIDs.map(\.index)
  }

  /// The id that `process` gets under the renaming.
  @inlinable
  public func callAsFunction(_ process: ProcessID) -> ProcessID { ProcessID(target[process.index]) }
}
