/// Counts generated successors and new distinct states per kind of action.
///
/// When the spec lists its ``Specification/actionKinds`` the counters are plain arrays indexed
/// by ``Specification/actionKind(of:)``; otherwise actions are grouped by their trace name,
/// found by reflection once per distinct action value and then cached.
@usableFromInline
struct CoverageCounter<S: Specification> {
  @usableFromInline var names: [String]
  @usableFromInline var generated: [Int]
  @usableFromInline var distinct: [Int]
  @usableFromInline let usesSpecKinds: Bool
  @usableFromInline var kindCache: [S.Action: Int] = [:]

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
    if let kind = kindCache[action] { return kind }
    let name = spec.describe(action).name
    let kind: Int
    if let existing = names.firstIndex(of: name) {
      kind = existing
    } else {
      kind = names.count
      names.append(name)
      generated.append(0)
      distinct.append(0)
    }
    kindCache[action] = kind
    return kind
  }

  /// Adds another counter's counts, matching kinds by name.
  @inlinable
  mutating func merge(_ other: CoverageCounter<S>) {
    for (index, name) in other.names.enumerated() {
      let kind: Int
      if let existing = names.firstIndex(of: name) {
        kind = existing
      } else {
        kind = names.count
        names.append(name)
        generated.append(0)
        distinct.append(0)
      }
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
