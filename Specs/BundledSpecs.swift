import Interleave

/// The example specs that ship with Interleave, by the names the CLI uses.
public enum BundledSpecs {
  /// Every bundled spec, in the order `interleave list` shows them.
  public static let catalog = SpecCatalog([
    CatalogEntry(
      "TwoPhase",
      summary: "Lamport's two-phase commit (TLA+ TwoPhase.tla); eagerCommit is a TM that commits once any RM is prepared",
      parameters: [
        SpecParameter("rm", .integer(1...TwoPhase.maxResourceManagers), default: "3", "number of resource managers"),
        SpecParameter("variant", .choice(TwoPhase.Variant.allCases.map(\.rawValue)), default: "correct", "correct, or the eager-commit bug"),
      ]
    ) { values in
      AnySpecification(
        TwoPhase(resourceManagers: values.integer("rm"), variant: TwoPhase.Variant(rawValue: values["variant"])!))
    },
    CatalogEntry(
      "TCommit",
      summary: "The transaction-commit spec that TwoPhase implements (TLA+ TCommit.tla)",
      parameters: [SpecParameter("rm", .integer(1...12), default: "3", "number of resource managers")]
    ) { values in
      AnySpecification(TCommit(resourceManagers: values.integer("rm")))
    },
    CatalogEntry(
      "DieHard",
      summary: "The water-jug puzzle (TLA+ DieHard.tla): NotSolved fails, and its counterexample is the solution",
      parameters: [
        SpecParameter("small", .integer(1...20), default: "3", "capacity of the small jug"),
        SpecParameter("big", .integer(1...20), default: "5", "capacity of the big jug"),
        SpecParameter("target", .integer(0...20), default: "4", "gallons to measure"),
      ]
    ) { values in
      AnySpecification(DieHard.spec(small: values.integer("small"), big: values.integer("big"), target: values.integer("target")))
    },
    CatalogEntry(
      "Increment",
      summary: "Threads read x then write x+1: the lost update breaks 'all increments counted'",
      parameters: [SpecParameter("threads", .integer(1...8), default: "2", "number of threads")]
    ) { values in
      AnySpecification(Increment.spec(threads: values.integer("threads")))
    },
    CatalogEntry(
      "Peterson",
      summary: "Peterson's mutual exclusion for two processes (holds)"
    ) { _ in
      AnySpecification(Peterson.spec())
    },
  ])
}
