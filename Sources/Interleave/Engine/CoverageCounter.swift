/// Counts generated successors and new distinct states per kind of action.
///
/// When the spec lists its ``Specification/actionKinds`` the counters are plain arrays indexed
/// by ``Specification/actionKind(of:)``; otherwise actions are grouped by their trace name,
/// found by reflection once per ``Specification/coverageKey(of:)``, or, for actions without a
/// key, once per distinct action value, and then cached.
@usableFromInline
struct CoverageCounter<S: Specification> {
  @usableFromInline var names: [String]
  @usableFromInline var generated: [Int]
  @usableFromInline var distinct: [Int]
  @usableFromInline let usesSpecKinds: Bool
  @usableFromInline var kindCache: [S.Action: Int] = [:]
  /// Per coverage key, its kind, or -1 where none was seen yet.
  @usableFromInline var kindByKey: [Int] = []

  @inlinable
  init(spec: S) {
    names = spec.actionKinds
    usesSpecKinds = !names.isEmpty
    generated = Array(repeating: 0, count: names.count)
    distinct = Array(repeating: 0, count: names.count)
  }

  @inlinable @inline(__always)
  mutating func kind(of action: S.Action, in spec: S) -> Int {
    if usesSpecKinds { return spec.actionKind(of: action) }
    if let key = spec.coverageKey(of: action) {
      if key < kindByKey.count, kindByKey[key] >= 0 { return kindByKey[key] }
      return cacheKind(of: action, key: key, in: spec)
    }
    if let kind = kindCache[action] { return kind }
    let kind = index(ofKind: spec.describe(action).name)
    kindCache[action] = kind
    return kind
  }

  /// Finds the kind of an action whose key was not seen yet, and caches it under the key.
  @inlinable
  mutating func cacheKind(of action: S.Action, key: Int, in spec: S) -> Int {
    precondition((0..<64).contains(key), "\(spec.name): coverageKey(of:) gave \(key), not a number from 0 to 63")
    if kindByKey.count <= key { kindByKey += Array(repeating: -1, count: key + 1 - kindByKey.count) }
    let kind = index(ofKind: spec.describe(action).name)
    kindByKey[key] = kind
    return kind
  }

  /// The index of the kind named `name`, added with zero counts if it is new.
  @inlinable
  mutating func index(ofKind name: String) -> Int {
    if let existing = names.firstIndex(of: name) { return existing }
    names.append(name)
    generated.append(0)
    distinct.append(0)
    return names.count - 1
  }

  /// Adds another counter's counts, matching kinds by name.
  @inlinable
  mutating func merge(_ other: CoverageCounter<S>) {
    for (index, name) in other.names.enumerated() {
      let kind = self.index(ofKind: name)
      generated[kind] += other.generated[index]
      distinct[kind] += other.distinct[index]
    }
  }

  /// Per kind, in the spec's order, or by name when kinds were found as actions came (their
  /// order of discovery would depend on the workers).
  @inlinable
  var report: [ActionCoverage] {
    let entries = names.indices.map { ActionCoverage(action: names[$0], distinct: distinct[$0], generated: generated[$0]) }
    return usesSpecKinds ? entries : entries.sorted { $0.action < $1.action }
  }
}
