import Interleave

/// An implementation driven by a model-based test: it performs the spec's actions and reports
/// what it observed, to be compared with the spec.
///
/// ```swift
/// struct LiveStore: SystemUnderTest {
///   typealias Spec = StoreSpec
///   var store = Store()                          // init() gives a fresh system
///   mutating func perform(_ action: StoreSpec.Action) -> Observation {
///     switch action {
///     case .put(let key, let value):
///       Observation(response: .string(store.put(key, value)), state: ["count": .int(store.count)])
///     }
///   }
/// }
/// ```
///
/// The system starts where the spec's first initial state starts.
public protocol SystemUnderTest {
  /// The spec the system is meant to implement.
  associatedtype Spec: Specification

  /// A fresh system, in the state of the spec's first initial state.
  init()

  /// Performs `action` on the system and returns what it answered and what can be seen of it.
  mutating func perform(_ action: Spec.Action) -> Observation
}
