import Interleave

/// What a system under test showed after one action: its response and some of its state.
///
/// Both are optional and compared with ``JSONMatch/mismatch(observed:actual:path:)``: the
/// response with the spec's rendered response, the state fields with the spec's rendered state,
/// of which they may be any subset.
public struct Observation: Sendable, Hashable {
  /// What the action answered, or nil to leave the response unchecked.
  public var response: JSONValue?
  /// Fields of the system's state after the action, by the names the spec renders them with.
  public var state: JSONObject?

  /// Creates an observation.
  public init(response: JSONValue? = nil, state: JSONObject? = nil) {
    self.response = response
    self.state = state
  }
}
