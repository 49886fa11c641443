import Interleave
import InterleaveSpecs
import Testing

@Suite("Simulation on several workers")
struct SimulationTests {
  /// What a user reads off a simulation: the steps, and per failing run its run, seed, property
  /// and actions, and the shrunk actions.
  struct Summary: Equatable {
    var steps: Int
    var failures: [String]
  }

  static func summary<S: Specification>(_ result: SimulationResult<S>) -> Summary {
    Summary(
      steps: result.steps,
      failures: result.failures.map { failure in
        "\(failure.run) \(failure.seed) \(failure.violation.kind.rawValue) \(failure.violation.name) "
          + "\(failure.violation.trace.actions) shrunk: \(failure.shrunk.map { "\($0.trace.actions)" } ?? "-")"
      })
  }

  @Test("the walks, their failures and the shrunk counterexamples are the same for every number of workers")
  func sameForEveryWorkerCount() {
    let spec = Put(keyed: false).monitored { Put.idempotence }
    let options = SimulationOptions(seed: 1, runs: 1_000, depth: 6, workers: 1)
    let one = Simulation(spec, options: options).run()
    // Many blocks of runs, many failures, one shrunk counterexample (one property).
    #expect(one.failures.count > 100)
    #expect(one.failures.compactMap(\.shrunk).count == 1)
    #expect(one.failures.map(\.run) == one.failures.map(\.run).sorted())
    for workers in [2, 5] {
      var parallel = options
      parallel.workers = workers
      #expect(Self.summary(Simulation(spec, options: parallel).run()) == Self.summary(one))
    }
  }

  @Test("a failing run's recorded trace is the walk it took: its seed alone gives the same trace")
  func recordedTraceIsTheWalk() throws {
    let spec = TwoPhase(resourceManagers: 4, variant: .eagerCommit)
    let result = Simulation(spec, options: SimulationOptions(seed: 7, runs: 400, depth: 30, workers: 3)).run()
    #expect(result.failures.count > 3)
    for failure in result.failures.prefix(5) {
      let alone = Simulation(spec, options: SimulationOptions(seed: failure.seed, runs: 1, depth: 30, shrink: false, workers: 1)).run()
      let replayed = try #require(alone.failures.first)
      #expect(replayed.violation.trace.actions == failure.violation.trace.actions)
      #expect(replayed.violation.trace.steps.map(\.state) == failure.violation.trace.steps.map(\.state))
      #expect(replayed.violation.name == failure.violation.name)
      #expect(alone.steps == failure.violation.trace.steps.count)
    }
  }
}
