/// A message on its way: sender, receiver and payload.
public struct Envelope<Message: Hashable & Sendable>: Hashable, Sendable {
  /// The sender.
  public var from: ProcessID
  /// The receiver.
  public var to: ProcessID
  /// The payload.
  public var message: Message

  /// Creates an envelope.
  public init(from: ProcessID, to: ProcessID, message: Message) {
    self.from = from
    self.to = to
    self.message = message
  }

  // Written out and inlinable, like SystemAction's, so that they specialize for the message type.
  @inlinable
  public static func == (lhs: Envelope, rhs: Envelope) -> Bool {
    lhs.from == rhs.from && lhs.to == rhs.to && lhs.message == rhs.message
  }

  @inlinable
  public func hash(into hasher: inout Hasher) {
    hasher.combine(from)
    hasher.combine(to)
    hasher.combine(message)
  }
}

/// The messages a network holds: sent, not yet delivered or lost.
///
/// One sorted array serves both orderings. Unordered, it is a multiset: one entry per distinct
/// envelope with a count, sorted by receiver, sender and the message's fingerprint, so that equal
/// multisets are equal arrays. Ordered, entries are grouped by channel (receiver, sender) and
/// keep their sending order within a channel; every count is 1.
public struct MessagesInFlight<Message: Hashable & Sendable>: Hashable, Sendable {
  /// One envelope (or, unordered, all copies of it).
  public struct Entry: Hashable, Sendable {
    /// The envelope.
    public var envelope: Envelope<Message>
    /// Copies in flight (always 1 on an ordered network).
    public var count: Int
    /// The message's fingerprint: the sort key within a channel of an unordered network.
    @usableFromInline var key: UInt64

    @inlinable
    init(envelope: Envelope<Message>, count: Int, key: UInt64) {
      self.envelope = envelope
      self.count = count
      self.key = key
    }

    // Written out and inlinable (see `SystemState`'s).
    @inlinable
    public static func == (lhs: Entry, rhs: Entry) -> Bool {
      lhs.key == rhs.key && lhs.count == rhs.count && lhs.envelope == rhs.envelope
    }

    @inlinable
    public func hash(into hasher: inout Hasher) {
      hasher.combine(envelope)
      hasher.combine(count)
      hasher.combine(key)
    }
  }

  /// The entries, in the order described above.
  @inlinable
  public var entries: [Entry] { storage }

  @usableFromInline var storage: [Entry] = []

  /// Whether the network is ordered per channel.
  public let isOrdered: Bool

  @inlinable
  init(ordered: Bool) { self.isOrdered = ordered }

  @inlinable
  init(ordered: Bool, storage: [Entry]) {
    self.isOrdered = ordered
    self.storage = storage
  }

  // Written out and inlinable (see `SystemState`'s).
  @inlinable
  public static func == (lhs: MessagesInFlight, rhs: MessagesInFlight) -> Bool {
    lhs.isOrdered == rhs.isOrdered && lhs.storage == rhs.storage
  }

  @inlinable
  public func hash(into hasher: inout Hasher) {
    hasher.combine(storage)
    hasher.combine(isOrdered)
  }

  /// Whether no message is in flight.
  @inlinable
  public var isEmpty: Bool { entries.isEmpty }

  /// Messages in flight, counting copies.
  @inlinable
  public var count: Int { entries.reduce(0) { $0 + $1.count } }

  /// Every message in flight, with copies, in entry order.
  public var envelopes: [Envelope<Message>] {
    entries.flatMap { Array(repeating: $0.envelope, count: $0.count) }
  }

  /// Whether any copy of `message` from `sender` to `receiver` is in flight.
  @inlinable
  public func contains(_ message: Message, from sender: ProcessID, to receiver: ProcessID) -> Bool {
    entries.contains { $0.envelope == Envelope(from: sender, to: receiver, message: message) }
  }

  /// Whether the entry at `position` is at the head of its channel (always, unordered).
  @inlinable
  func isDeliverable(at position: Int) -> Bool {
    guard isOrdered, position > 0 else { return true }
    let here = entries[position].envelope, before = entries[position - 1].envelope
    return here.to != before.to || here.from != before.from
  }

  /// The position of an entry within its channel (0 for every entry of an unordered network).
  @inlinable
  func channelPosition(of position: Int) -> Int {
    guard isOrdered else { return 0 }
    var start = position
    let envelope = entries[position].envelope
    while start > 0, entries[start - 1].envelope.to == envelope.to, entries[start - 1].envelope.from == envelope.from {
      start -= 1
    }
    return position - start
  }

  /// The array position of `envelope` at `channelPosition` in its channel, if it is there.
  @inlinable
  func position(of envelope: Envelope<Message>, channelPosition: Int) -> Int? {
    if !isOrdered {
      return entries.firstIndex { $0.envelope == envelope }
    }
    guard let start = entries.firstIndex(where: { $0.envelope.to == envelope.to && $0.envelope.from == envelope.from })
    else { return nil }
    let position = start + channelPosition
    guard position < entries.count, entries[position].envelope == envelope else { return nil }
    return position
  }

  /// Adds a message: behind the others of its channel (ordered) or to the multiset.
  @inlinable
  mutating func add(_ envelope: Envelope<Message>) {
    var hasher = Fingerprinter()
    ReflectiveFingerprint.combine(component: envelope.message, into: &hasher)
    let key = hasher.finalize()
    if isOrdered {
      // After the last entry of the channel, or where the channel belongs.
      var position = storage.count
      while position > 0 {
        let before = storage[position - 1].envelope
        if (before.to, before.from) <= (envelope.to, envelope.from) { break }
        position -= 1
      }
      storage.insert(Entry(envelope: envelope, count: 1, key: key), at: position)
      return
    }
    let probe = (envelope.to, envelope.from, key)
    var low = 0, high = entries.count
    while low < high {
      let mid = (low + high) / 2
      let entry = entries[mid]
      if (entry.envelope.to, entry.envelope.from, entry.key) < probe { low = mid + 1 } else { high = mid }
    }
    var position = low
    while position < entries.count, entries[position].envelope.to == envelope.to,
      entries[position].envelope.from == envelope.from, entries[position].key == key
    {
      if entries[position].envelope.message == envelope.message {
        storage[position].count += 1
        return
      }
      position += 1
    }
    storage.insert(Entry(envelope: envelope, count: 1, key: key), at: position)
  }

  /// Removes one copy of the entry at `position`.
  @inlinable
  mutating func removeOne(at position: Int) {
    if entries[position].count > 1 { storage[position].count -= 1 } else { storage.remove(at: position) }
  }

  /// Adds a copy of the entry at `position`: right behind it (ordered) or to its count.
  @inlinable
  mutating func duplicate(at position: Int) {
    if isOrdered {
      storage.insert(entries[position], at: position + 1)
    } else {
      storage[position].count += 1
    }
  }

  /// The same messages with processes renamed and messages rewritten, re-sorted.
  func renamed(_ renaming: ProcessRenaming, message rename: (Message) -> Message) -> MessagesInFlight {
    var result = MessagesInFlight(ordered: isOrdered)
    if isOrdered {
      // Channels move as a whole; order within a channel is kept.
      for entry in entries {
        result.add(Envelope(from: renaming(entry.envelope.from), to: renaming(entry.envelope.to), message: rename(entry.envelope.message)))
      }
      return result
    }
    for entry in entries {
      let envelope = Envelope(from: renaming(entry.envelope.from), to: renaming(entry.envelope.to), message: rename(entry.envelope.message))
      for _ in 0..<entry.count { result.add(envelope) }
    }
    return result
  }
}
