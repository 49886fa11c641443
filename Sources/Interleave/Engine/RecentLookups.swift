/// The states a depth-first search looked up last, one per slot chosen by the fingerprint's low
/// bits: all of them are stored, so a successor found here needs no lookup in the visited set
/// (nearby states share successors when actions commute).
///
/// Over fingerprints a slot keeps the fingerprint (0 marks an empty slot). Where fingerprints do
/// not stand for states (`--exact`) it keeps the state too, and a successor is found only if it
/// equals it. Lookups that do not record find nothing. The search owns them and calls
/// ``release()`` once.
@usableFromInline
struct RecentLookups<State: Hashable> {
  /// As many slots as breadth-first expansion's repeat filter (`WorkerScratch.recentCount`).
  @usableFromInline static var slotCount: Int { 8192 }
  @usableFromInline let fingerprints: UnsafeMutablePointer<UInt64>
  /// With `--exact`: the state looked up in each slot.
  @usableFromInline let states: UnsafeMutablePointer<State>?
  @usableFromInline let isRecording: Bool

  /// Empty slots. With `filler`, slots that compare states, and keep `filler` until a state is
  /// recorded; without `recording`, lookups that find nothing.
  @inlinable
  init(recording: Bool, comparingStatesFrom filler: State?) {
    isRecording = recording
    fingerprints = .allocate(capacity: Self.slotCount)
    fingerprints.initialize(repeating: 0, count: Self.slotCount)
    states = filler.map { filler in
      let states = UnsafeMutablePointer<State>.allocate(capacity: Self.slotCount)
      states.initialize(repeating: filler, count: Self.slotCount)
      return states
    }
  }

  /// Frees the slots; the lookups must not be used afterwards.
  @inlinable
  func release() {
    fingerprints.deallocate()
    states?.deinitialize(count: Self.slotCount)
    states?.deallocate()
  }

  @inlinable @inline(__always)
  static func slot(_ fingerprint: UInt64) -> Int { Int(truncatingIfNeeded: fingerprint) & (slotCount - 1) }

  /// Whether `state`, with `fingerprint`, was the last one looked up in its slot; `state` is
  /// only asked for where states are compared.
  @inlinable @inline(__always)
  func contains(fingerprint: UInt64, state: () -> State) -> Bool {
    let slot = Self.slot(fingerprint)
    guard fingerprints[slot] == fingerprint, fingerprint != 0 else { return false }
    guard let states else { return true }
    return states[slot] == state()
  }

  /// Records that `state`, with `fingerprint`, has just been looked up (and is stored now).
  @inlinable @inline(__always)
  func record(fingerprint: UInt64, state: () -> State) {
    guard isRecording else { return }
    let slot = Self.slot(fingerprint)
    fingerprints[slot] = fingerprint
    states?[slot] = state()
  }
}
