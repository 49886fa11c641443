import Interleave

/// The alternating-bit protocol over two lossy, duplicating FIFO channels: the message-passing
/// benchmark model.
///
/// The sender sends message `next` tagged with its bit until an acknowledgement with that bit
/// comes back, then moves to the next message and flips the bit. The receiver delivers a frame
/// whose bit it expects and flips its expectation; it acknowledges every frame with the frame's
/// bit. Either channel may lose its head frame or duplicate it in place (FIFO channels that lose
/// and duplicate). The post-condition: the receiver delivers the messages in order, each once.
/// With `reordering`, a duplicate goes to the back of the channel instead: a stale frame can
/// then arrive when its bit is expected again, and the protocol delivers a message twice.
public struct AlternatingBit: Specification {
  /// Both ends and both channels, packed. A data frame is 4 bits (bit, then the message number);
  /// an acknowledgement is 1 bit.
  public struct State: Hashable, Sendable, Fingerprintable {
    public var nextToSend: UInt8 = 0
    public var senderBit: UInt8 = 0
    public var expectedBit: UInt8 = 0
    public var delivered: UInt8 = 0
    public var dataCount: UInt8 = 0
    public var ackCount: UInt8 = 0
    /// Data frames, oldest in the lowest 4 bits.
    public var data: UInt32 = 0
    /// Acknowledgement bits, oldest in the lowest bit.
    public var acks: UInt16 = 0

    @inlinable
    public func fingerprint(into f: inout Fingerprinter) {
      f.combine(
        UInt64(nextToSend) | UInt64(senderBit) << 8 | UInt64(expectedBit) << 16 | UInt64(delivered) << 24
          | UInt64(dataCount) << 32 | UInt64(ackCount) << 40 | UInt64(acks) << 48)
      f.combine(UInt64(data))
    }
  }

  /// The protocol's steps and the channels' faults.
  public enum Action: Hashable, Sendable {
    case send
    case deliverData
    case loseData
    case duplicateData
    case deliverAck
    case loseAck
    case duplicateAck
  }

  /// What a step did: for `deliverData`, the message delivered to the application, if any.
  public typealias Response = Int?

  public let messages: Int
  public let capacity: Int
  public let reordering: Bool
  public var name: String { "AlternatingBit" }

  /// Creates the spec: `messages` messages (1 to 7) over channels that hold `capacity` frames;
  /// `reordering` channels put duplicates at the back.
  public init(messages: Int = 3, capacity: Int = 2, reordering: Bool = false) {
    precondition((1...7).contains(messages) && (1...7).contains(capacity))
    self.messages = messages
    self.capacity = capacity
    self.reordering = reordering
  }

  public var initialStates: [State] { [State()] }

  @inlinable
  public func forEachEnabledAction(in s: State, _ body: (Action) -> Void) {
    if Int(s.nextToSend) < messages && Int(s.dataCount) < capacity { body(.send) }
    if s.dataCount > 0 {
      body(.deliverData)
      body(.loseData)
      if Int(s.dataCount) < capacity { body(.duplicateData) }
    }
    if s.ackCount > 0 {
      body(.deliverAck)
      body(.loseAck)
      if Int(s.ackCount) < capacity { body(.duplicateAck) }
    }
  }

  @inlinable
  public func apply(_ action: Action, to s: inout State) -> Int? {
    switch action {
    case .send:
      s.data |= UInt32(s.senderBit | s.nextToSend << 1) << (4 * UInt32(s.dataCount))
      s.dataCount += 1
    case .deliverData:
      let frame = s.data & 15
      s.data >>= 4
      s.dataCount -= 1
      let bit = UInt8(frame & 1)
      var delivered: Int?
      if bit == s.expectedBit {
        delivered = Int(frame >> 1)
        s.delivered += 1
        s.expectedBit ^= 1
      }
      if Int(s.ackCount) < capacity {
        s.acks |= UInt16(bit) << UInt16(s.ackCount)
        s.ackCount += 1
      }
      return delivered
    case .loseData:
      s.data >>= 4
      s.dataCount -= 1
    case .duplicateData:
      if reordering {
        s.data |= (s.data & 15) << (4 * UInt32(s.dataCount))
      } else {
        s.data = (s.data << 4) | (s.data & 15)
      }
      s.dataCount += 1
    case .deliverAck:
      let bit = UInt8(s.acks & 1)
      s.acks >>= 1
      s.ackCount -= 1
      if bit == s.senderBit && Int(s.nextToSend) < messages {
        s.nextToSend += 1
        s.senderBit ^= 1
      }
    case .loseAck:
      s.acks >>= 1
      s.ackCount -= 1
    case .duplicateAck:
      if reordering {
        s.acks |= (s.acks & 1) << UInt16(s.ackCount)
      } else {
        s.acks = (s.acks << 1) | (s.acks & 1)
      }
      s.ackCount += 1
    }
    return nil
  }

  /// Each delivered message is the next one in order.
  @inlinable
  public func brokenPostcondition(from old: State, by action: Action, response: Int?, to new: State) -> BrokenPostcondition? {
    guard let message = response else { return nil }
    return message == Int(old.delivered) ? nil : BrokenPostcondition(rule: "deliverData", condition: "delivers in order, once")
  }

  /// Every message was acknowledged and the channels are empty.
  public func isTerminal(_ s: State) -> Bool { Int(s.nextToSend) == messages && s.dataCount == 0 && s.ackCount == 0 }

  public let actionKinds = ["send", "deliverData", "loseData", "duplicateData", "deliverAck", "loseAck", "duplicateAck"]

  @inlinable
  public func actionKind(of action: Action) -> Int {
    switch action {
    case .send: 0
    case .deliverData: 1
    case .loseData: 2
    case .duplicateData: 3
    case .deliverAck: 4
    case .loseAck: 5
    case .duplicateAck: 6
    }
  }
}
