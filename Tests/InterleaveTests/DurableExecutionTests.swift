import Foundation
import Interleave
import InterleaveSpecs
import Testing

/// The durable execution of `reserve; sleep(T); charge; ship` (Specs/DurableExecution.swift).
@Suite("DurableExecution")
struct DurableExecutionTests {
  typealias System = DurableExecution
  typealias Monitored = MonitoredSpec<SystemSpec<System>, BothProperties<System.Rules, InterruptionTransparency<System, [String]>>>

  /// The trace names of a counterexample's actions.
  static func names<S: Specification>(_ spec: S, _ trace: Counterexample<S>) -> [String] {
    trace.actions.map { spec.describe($0).name }
  }

  /// Runs the actions named `names` from the initial state, each the first enabled action of
  /// that name; nil if one is not enabled.
  static func execute<S: Specification>(_ spec: S, _ names: [String]) -> S.State? {
    var state = spec.initialStates[0]
    for name in names {
      guard let action = spec.enabledActions(in: state).first(where: { spec.describe($0).name == name }) else { return nil }
      _ = spec.apply(action, to: &state)
    }
    return state
  }

  /// Whether `names` contains `window` as consecutive elements.
  static func contains(_ names: [String], _ window: [String]) -> Bool {
    names.indices.contains { start in Array(names[start...].prefix(window.count)) == window }
  }

  static let reserve = ["checkpointBefore", "call", "checkpointAfter"]
  /// Reserve, sleep two ticks (T = 2) and wake: the charge is next.
  static let untilCharge = reserve + ["sleep", "suspend", "tick", "tick", "wake"]

  // MARK: correct

  @Test("correct holds DE-1..DE-4, DE-6, DE-8 and DE-7 with up to 2 crashes")
  func correctHolds() {
    let result = System(variant: .correct).monitoredSpec.check()
    #expect(result.verdict == .holds)
    // Measured (a regression number); the searches below agree on it.
    #expect(result.distinctStates == 2_830)
    #expect(result.generatedStates == 3_717)
    // Every kind of step happens, crashes and wakes included (the timer is nonDurableSleep's).
    #expect(result.coverage.filter(\.neverEnabled).map(\.action) == [])
    for name in ["checkpointBefore", "call", "checkpointAfter", "sleep", "suspend", "wake", "crash", "restart", "tick"] {
      #expect(result.coverage.contains { $0.action == name && $0.generated > 0 }, "\(name) never happened")
    }
  }

  @Test("correct with 0 to 3 crashes holds; without crashes it has the 103 states counted by hand")
  func correctCrashBudgets() {
    for crashes in 0...3 {
      #expect(System(variant: .correct, crashes: crashes).monitoredSpec.check().verdict == .holds, "crashes=\(crashes)")
    }
    // Without crashes (clock 0...3, T = 2; t_r, s, t_c, t_s: reserve time, sleep start, charge
    // and ship times, n = now): before the sleep 2 positions x 4 clocks + 2 positions x 10
    // pairs t_r <= n = 28; timer armed, and asleep: 20 triples t_r <= s <= n each = 40; after
    // the wake (s <= 1, n >= s + 2): 2 positions x 4 = 8; charged, ship begun, ship called:
    // 3 x 5 = 15; shipped and stopped: 2 x 6 = 12. Total 103; the monitors add nothing, as a
    // run without crashes determines their memory.
    let plain = System(variant: .correct, crashes: 0).spec.check()
    #expect(plain.distinctStates == 103)
    #expect(System(variant: .correct, crashes: 0).monitoredSpec.check().distinctStates == 103)
  }

  @Test("BFS and DFS agree on the correct variant, and exact search agrees with fingerprints")
  func searchesAgree() {
    #expect(expectSearchesAgree(System(variant: .correct).monitoredSpec).verdict == .holds)
  }

  @Test("a crash between checkpoint before and the call re-runs the step with one effect")
  func crashBeforeEffect() throws {
    let spec = System(variant: .correct).monitoredSpec
    let state = try #require(Self.execute(spec, ["checkpointBefore", "crash", "restart"] + Self.reserve))
    #expect(state.violation == nil)
    #expect(state.base.shared.effects.map(\.call) == ["reserve(1)"])
    #expect(state.base[System.worker].durable.reserve == .done(result: 101))
  }

  @Test("a crash between the call and checkpoint after re-runs the step: the effect happens twice (at least once)")
  func crashAfterEffect() throws {
    let spec = System(variant: .correct).monitoredSpec
    let state = try #require(Self.execute(spec, ["checkpointBefore", "call", "crash", "restart"] + Self.reserve))
    #expect(state.violation == nil)  // DE-1..DE-8 allow it: the re-run follows an interruption
    #expect(state.base.shared.effects.map(\.call) == ["reserve(1)", "reserve(1)"])
    #expect(System.observedEffects(state.base, .atLeastOnce) == ["reserve(1)"])
    #expect(System.observedEffects(state.base, .exact) == ["reserve(1)", "reserve(1)"])
  }

  @Test("a crash after a step's checkpoint after replays it: no second effect")
  func crashAfterCheckpoint() throws {
    let spec = System(variant: .correct).monitoredSpec
    let state = try #require(Self.execute(spec, Self.reserve + ["crash", "restart"]))
    #expect(state.violation == nil)
    #expect(state.base.shared.effects.map(\.call) == ["reserve(1)"])
    #expect(state.base[System.worker].volatile.r1 == 101)  // replayed from the log
    #expect(state.base[System.worker].volatile.next == .sleep)
  }

  @Test("the worker wakes only at now >= T, and a crash after the wake skips the settled timer")
  func wakeAtDeadline() throws {
    let spec = System(variant: .correct).monitoredSpec
    #expect(Self.execute(spec, Self.reserve + ["sleep", "suspend", "wake"]) == nil)
    #expect(Self.execute(spec, Self.reserve + ["sleep", "suspend", "tick", "wake"]) == nil)
    let state = try #require(Self.execute(spec, Self.untilCharge + ["crash", "restart"]))
    #expect(state.violation == nil)
    #expect(state.base[System.worker].volatile.next == .checkpointBefore(.charge))
    // A crash between creating the timer and suspending: recovery sleeps to the same deadline.
    let resleep = try #require(Self.execute(spec, Self.reserve + ["sleep", "tick", "crash", "restart"]))
    #expect(resleep.base[System.worker].volatile.next == .suspend(until: 2))
    // That recovery does not resume the execution: for DE-8 it still sleeps until 2, so a
    // recovery that skipped the timer would begin the charge while asleep.
    #expect(resleep.violation == nil)
    #expect(resleep.memory.first.sleepingUntil[System.execution] == 2)
    let woken = try #require(Self.execute(spec, Self.reserve + ["sleep", "tick", "crash", "restart", "suspend", "tick", "wake"]))
    #expect(woken.memory.first.sleepingUntil.isEmpty)
    #expect(woken.violation == nil)
  }

  @Test("the raw effect log (exact observation) is not interruption-transparent: the correct variant repeats an effect")
  func correctIsAtLeastOnce() throws {
    let system = System(variant: .correct)
    let spec = system.spec.monitored { system.interruptionTransparency(.exact) }
    let violation = try #require(spec.check().violation)
    #expect(violation.name == "interruption transparency (DE-7)")
    // BFS: the first step crashes between its call and its checkpoint after, then the order runs
    // to its end: 4 + 3 (reserve) + sleep, suspend, 2 ticks, wake + 6 (charge, ship) = 18.
    // (Which step BFS picks for it depends on the action order; every choice is 18 steps.)
    #expect(violation.trace.steps.count == 18)
    #expect(Self.contains(Self.names(spec, violation.trace), ["call", "crash", "restart", "checkpointBefore", "call", "checkpointAfter"]))
    let calls = violation.trace.finalState.base.shared.effects.map(\.call)
    #expect(calls.count == 4)
    #expect(zip(calls, calls.dropFirst()).filter { $0 == $1 }.count == 1)
    #expect(System.observedEffects(violation.trace.finalState.base, .atLeastOnce) == ["reserve(1)", "charge(101)", "ship(201)"])
    // With times, the correct variant is still transparent.
    #expect(system.spec.monitored { system.interruptionTransparency(.timed) }.check().verdict == .holds)
  }

  // MARK: noCheckpointAfter

  @Test("noCheckpointAfter: DE-3 fires first, at the re-run charge's checkpoint before")
  func noCheckpointAfterDE3() throws {
    let spec = System(variant: .noCheckpointAfter).monitoredSpec
    let violation = try #require(spec.check().violation)
    #expect(violation.kind == .property)
    #expect(violation.name == "skip-when-done")
    #expect(violation.message?.hasPrefix("DE-3: step \"charge\"") == true)
    // Shortest: reserve (3), sleep, suspend, 2 ticks, wake, charge (3), crash, restart, and the
    // charge's checkpoint before again: 14 steps.
    #expect(violation.trace.steps.count == 14)
    // (BFS may also cross the sleep by a crash after the timer is created and a restart once it
    // has settled: the same length.)
    #expect(violation.trace.steps.count == 14)
    #expect(Array(Self.names(spec, violation.trace).suffix(6)) == Self.reserve + ["crash", "restart", "checkpointBefore"])
    #expect(violation.trace.finalState.base.shared.effects.map(\.call) == ["reserve(1)", "charge(101)"])
    #expect(violation.trace.finalState.base[System.worker].durable.charge == .pending)
    // With one crash, the sleep must be crossed by suspend and wake: the same 14 steps.
    let oneCrash = System(variant: .noCheckpointAfter, crashes: 1).monitoredSpec
    let single = try #require(oneCrash.check().violation)
    #expect(single.message == violation.message)
    #expect(
      Self.names(oneCrash, single.trace).filter { $0 != "tick" }
        == Self.reserve + ["sleep", "suspend", "wake"] + Self.reserve + ["crash", "restart", "checkpointBefore"])
  }

  @Test("noCheckpointAfter without DE-3: DE-2 fires at the second checkpoint after of the charge")
  func noCheckpointAfterDE2() throws {
    var rules = Set(System.Rules.Rule.allCases)
    rules.remove(.skipWhenDone)
    let spec = System(variant: .noCheckpointAfter).spec.monitored { System.rules(rules) }
    let violation = try #require(spec.check().violation)
    #expect(violation.message?.hasPrefix("DE-2: step \"charge\" of \"order-1\" completed a second time") == true)
    #expect(violation.trace.steps.count == 16)
    #expect(violation.trace.finalState.base.shared.effects.map(\.call) == ["reserve(1)", "charge(101)", "charge(101)"])
  }

  @Test("noCheckpointAfter: DE-7 alone refutes it with a second charge once the ship came between")
  func noCheckpointAfterDE7() throws {
    let system = System(variant: .noCheckpointAfter)
    let spec = system.spec.monitored { system.interruptionTransparency() }
    let violation = try #require(spec.check().violation)
    #expect(violation.name == "interruption transparency (DE-7)")
    #expect(
      violation.trace.finalState.base.shared.effects.map(\.call)
        == ["reserve(1)", "charge(101)", "ship(201)", "charge(101)", "ship(201)"])
    #expect(system.interruptionTransparency().uninterrupted == [["reserve(1)", "charge(101)", "ship(201)"]])
    // Reserve, sleep, suspend, 2 ticks, wake (8), charge (3), the ship's checkpoint before and
    // call (2), crash, restart, charge again (3), ship again (3): 21 steps.
    #expect(violation.trace.steps.count == 21)
    let names = Self.names(spec, violation.trace)
    #expect(Array(names[11...14]) == ["checkpointBefore", "call", "crash", "restart"])
    #expect(violation.message?.contains("uninterrupted runs finish with [\"reserve(1)\",\"charge(101)\",\"ship(201)\"]") == true)
    // A crash right after the charge returned repeats it at once: the at-least-once observation
    // cannot tell that run from a crash before the checkpoint after, and lets it pass.
    let immediate = try #require(Self.execute(spec, Self.untilCharge + Self.reserve + ["crash", "restart"] + Self.reserve + Self.reserve))
    #expect(immediate.base.shared.effects.map(\.call) == ["reserve(1)", "charge(101)", "charge(101)", "ship(201)"])
    #expect(System.isFinished(immediate.base) && immediate.violation == nil)
  }

  @Test("noCheckpointAfter needs a crash: with none it holds")
  func noCheckpointAfterWithoutCrash() {
    #expect(System(variant: .noCheckpointAfter, crashes: 0).monitoredSpec.check().verdict == .holds)
  }

  // MARK: nonDurableSleep

  @Test("nonDurableSleep: DE-8, the restart during the sleep resumes before the deadline")
  func nonDurableSleepDE8() throws {
    let spec = System(variant: .nonDurableSleep).monitoredSpec
    let violation = try #require(spec.check().violation)
    #expect(violation.name == "skip-when-done")
    #expect(violation.message == "DE-8: \"order-1\" resumed at 0.0, before its sleep ends at 2.0")
    #expect(Self.names(spec, violation.trace) == Self.reserve + ["sleep", "crash", "restart"])
    let worker = violation.trace.finalState.base[System.worker]
    #expect(worker.durable.sleep == .armed)
    #expect(worker.timers.isEmpty)  // the in-memory timer died with the crash
    #expect(worker.volatile.next == .checkpointBefore(.charge))
  }

  @Test("nonDurableSleep: the untimed effect log hides the bug from DE-7; with times DE-7 sees the early charge")
  func nonDurableSleepDE7() throws {
    let system = System(variant: .nonDurableSleep)
    #expect(system.spec.monitored { system.interruptionTransparency() }.check().verdict == .holds)
    let timed = system.spec.monitored { system.interruptionTransparency(.timed) }
    let violation = try #require(timed.check().violation)
    #expect(violation.name == "interruption transparency (DE-7)")
    #expect(Self.names(timed, violation.trace) == Self.reserve + ["sleep", "crash", "restart"] + Self.reserve + Self.reserve)
    #expect(System.observedEffects(violation.trace.finalState.base, .timed) == ["reserve(1) at 0", "charge(101) at 0", "ship(201) at 0"])
  }

  @Test("nonDurableSleep without a crash holds: the in-memory timer fires at the deadline")
  func nonDurableSleepWithoutCrash() {
    let result = System(variant: .nonDurableSleep, crashes: 0).monitoredSpec.check()
    #expect(result.verdict == .holds)
    #expect(result.coverage.contains { $0.action == "timeout" && $0.generated > 0 })
    #expect(!result.coverage.contains { $0.action == "wake" && $0.generated > 0 })
  }

  @Test("every variant checks in well under a second with each sleep duration")
  func sleepDurations() {
    for sleep in 1...3 {
      #expect(System(variant: .correct, sleep: sleep).monitoredSpec.check().verdict == .holds)
      #expect(System(variant: .noCheckpointAfter, sleep: sleep).monitoredSpec.check().violation?.message?.hasPrefix("DE-3") == true)
      #expect(System(variant: .nonDurableSleep, sleep: sleep).monitoredSpec.check().violation?.message?.hasPrefix("DE-8") == true)
    }
  }

  @Test("which rule sees which bug: only DE-2/DE-3 see noCheckpointAfter, only DE-8 sees nonDurableSleep")
  func rulesPerBug() {
    let others: Set<System.Rules.Rule> = [.checkpointBefore, .reinvocationAfterInterruption, .effectBound, .sleep]
    #expect(System(variant: .noCheckpointAfter).spec.monitored { System.rules(others) }.check().verdict == .holds)
    var withoutSleep = Set(System.Rules.Rule.allCases)
    withoutSleep.remove(.sleep)
    #expect(System(variant: .nonDurableSleep).spec.monitored { System.rules(withoutSleep) }.check().verdict == .holds)
    let timed = System(variant: .noCheckpointAfter)
    #expect(timed.spec.monitored { timed.interruptionTransparency(.timed) }.check().violation?.name == "interruption transparency (DE-7)")
  }

  // MARK: CLI

  @Test("the catalog entry checks the monitored spec: list, holds, and the JSON counterexample")
  func cli() throws {
    let list = runCLI(["list"])
    #expect(list.stdout.contains("variant=<one of correct, noCheckpointAfter, nonDurableSleep>"))
    let holds = runCLI(["check", "DurableExecution", "--quiet"])
    #expect(holds.status == 0)
    #expect(holds.stdout.contains("DurableExecution (variant=correct crashes=2 sleep=2): holds"))
    #expect(holds.stdout.contains("distinct states   2,830"))
    let (status, out, _) = runCLI(["check", "DurableExecution", "--param", "variant=noCheckpointAfter", "--json", "--quiet"])
    #expect(status == 1)
    let violation = try #require(try parseJSON(out)["violation"] as? [String: Any])
    #expect(violation["kind"] as? String == "property")
    #expect(violation["name"] as? String == "skip-when-done")
    let steps = try #require(violation["steps"] as? [[String: Any]])
    #expect(steps.count == 15)
    let sleepy = runCLI(["check", "DurableExecution", "--param", "variant=nonDurableSleep", "--quiet"])
    #expect(sleepy.status == 1)
    #expect(sleepy.stdout.contains("DE-8: \"order-1\" resumed at 0.0, before its sleep ends at 2.0"))
  }
}
