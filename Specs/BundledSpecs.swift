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
    CatalogEntry(
      "FilterLock",
      summary: "Peterson's filter lock for N processes: mutual exclusion (the mutual-exclusion benchmark)",
      parameters: [SpecParameter("processes", .integer(2...FilterLock.maxProcesses), default: "3", "number of processes")]
    ) { values in
      AnySpecification(FilterLock(processes: values.integer("processes")))
    },
    CatalogEntry(
      "AlternatingBit",
      summary: "The alternating-bit protocol over lossy, duplicating FIFO channels (the message-passing benchmark)",
      parameters: [
        SpecParameter("messages", .integer(1...7), default: "3", "messages to transfer"),
        SpecParameter("capacity", .integer(1...7), default: "2", "frames a channel holds"),
        SpecParameter("reordering", .boolean, default: "false", "duplicates go to the back of the channel (breaks the protocol from capacity 3)"),
      ]
    ) { values in
      AnySpecification(
        AlternatingBit(
          messages: values.integer("messages"), capacity: values.integer("capacity"), reordering: values.boolean("reordering")))
    },
    CatalogEntry(
      "LeaderElection",
      summary: "Chang-Roberts leader election on a ring with FIFO channels (a message-passing benchmark)",
      parameters: [
        SpecParameter("processes", .integer(2...LeaderElection.maxProcesses), default: "4", "processes on the ring"),
        SpecParameter("forwardSmaller", .boolean, default: "false", "the bug: forward ids smaller than one's own"),
      ]
    ) { values in
      AnySpecification(LeaderElection(processes: values.integer("processes"), forwardSmaller: values.boolean("forwardSmaller")))
    },
    CatalogEntry(
      "TwoPhaseMessages",
      summary: "Two-phase commit as message-passing processes on the execution model; --symmetry derives the RM permutations",
      parameters: [
        SpecParameter("rm", .integer(1...12), default: "3", "number of resource managers"),
        SpecParameter("lossy", .boolean, default: "false", "the network may lose one message"),
      ]
    ) { values in
      AnySpecification(TwoPhaseMessages(resourceManagers: values.integer("rm"), lossy: values.boolean("lossy")).spec)
    },
    CatalogEntry(
      "Account",
      summary: "Deposits and withdrawals, never below zero: the validation benchmark (amounts come from the log)",
      parameters: [SpecParameter("maxBalance", .integer(1...1000), default: "20", "balance above which model checking stops")]
    ) { values in
      AnySpecification(Account(maxBalance: values.integer("maxBalance")))
    },
    CatalogEntry(
      "Put",
      summary: "PUT x := v with client retries: unkeyed breaks trace idempotence in 3 steps, keyed holds",
      parameters: [
        SpecParameter("keyed", .boolean, default: "false", "deduplicate by idempotency key"),
        SpecParameter("sends", .integer(1...4), default: "2", "sends per client (1 + retries)"),
      ]
    ) { values in
      AnySpecification(Put(keyed: values.boolean("keyed"), maxSends: values.integer("sends")).monitored { Put.idempotence })
    },
    CatalogEntry(
      "Deposit",
      summary: "Bounded idempotence: keys pruned after `retention`, replays must be no-ops within `window`",
      parameters: [
        SpecParameter("retention", .integer(0...6), default: "3", "time units the server keeps a key at least"),
        SpecParameter("window", .integer(1...6), default: "3", "the idempotence window, in time units"),
        SpecParameter("maxTime", .integer(1...8), default: "5", "the last clock value"),
      ]
    ) { values in
      let spec = Deposit(retention: values.integer("retention"), window: values.integer("window"), maxTime: values.integer("maxTime"))
      return AnySpecification(spec.monitored { spec.boundedIdempotence })
    },
    CatalogEntry(
      "PaymentAPI",
      summary: "An idempotent payment API with retries and server crashes (E1): correct holds; unkeyed, keyAfterEffect and checkThenInsert charge twice",
      parameters: [
        SpecParameter("variant", .choice(PaymentAPI.Variant.allCases.map(\.rawValue)), default: "correct", "correct, unkeyed, keyAfterEffect or checkThenInsert"),
        SpecParameter("retries", .integer(0...3), default: "1", "times the client resends"),
        SpecParameter("crashes", .integer(0...3), default: "1", "times the server may crash"),
      ]
    ) { values in
      let system = PaymentAPI(
        variant: PaymentAPI.Variant(rawValue: values["variant"])!, retries: values.integer("retries"), crashes: values.integer("crashes"))
      return AnySpecification(system.spec.monitored { PaymentAPI.atMostOnceCharge })
    },
    CatalogEntry(
      "PaymentWorker",
      summary: "A durable payment worker that crashes and restarts: at most one charge per key (validates payments-demo logs)",
      parameters: [
        SpecParameter("keys", .integer(1...PaymentWorker.requests.count), default: "2", "request keys model checking draws from"),
        SpecParameter("restarts", .integer(0...4), default: "2", "restarts model checking explores"),
        SpecParameter("variant", .choice(PaymentWorker.Variant.allCases.map(\.rawValue)), default: "correct", "correct, or the worker without the ledger check"),
      ]
    ) { values in
      let spec = PaymentWorker(
        keys: values.integer("keys"), restarts: values.integer("restarts"), variant: PaymentWorker.Variant(rawValue: values["variant"])!)
      return AnySpecification(spec.monitored { PaymentWorker.atMostOnceEffect })
    },
    CatalogEntry(
      "DurableExecution",
      summary: "reserve; sleep(T); charge; ship by skip-when-done on the execution model, crashes anywhere (DE-1..4, 6, 8 and DE-7); variants noCheckpointAfter, nonDurableSleep",
      parameters: [
        SpecParameter("variant", .choice(DurableExecution.Variant.allCases.map(\.rawValue)), default: "correct", "correct, the missing checkpoint after the charge, or the in-memory sleep"),
        SpecParameter("crashes", .integer(0...3), default: "2", "crashes of the worker"),
        SpecParameter("sleep", .integer(1...3), default: "2", "the sleep's duration T (clock ticks; the clock stops at T + 1)"),
      ]
    ) { values in
      let system = DurableExecution(
        variant: DurableExecution.Variant(rawValue: values["variant"])!, crashes: values.integer("crashes"),
        sleep: values.integer("sleep"))
      return AnySpecification(system.monitoredSpec)
    },
    CatalogEntry(
      "AccountCreation",
      summary: "Write last, read first: TigerBeetle as the record, Postgres as the reference, a crashing durable worker and a reader; variants recordFirst (WL-1), readReferenceFirst (WL-2), idOutsideCheckpoint (WL-6)",
      parameters: [
        SpecParameter("variant", .choice(AccountCreation.Variant.allCases.map(\.rawValue)), default: "correct", "correct, or one of the three bugs"),
        SpecParameter("crashes", .integer(0...2), default: "1", "crashes of the worker"),
      ]
    ) { values in
      AnySpecification(
        AccountCreation(variant: AccountCreation.Variant(rawValue: values["variant"])!, crashes: values.integer("crashes")).monitored)
    },
    CatalogEntry(
      "Queue",
      summary: "At-least-once queue, idempotent consumer, dedup retention: correct holds; commitBeforeProcess, noDedup and retentionTooShort are refuted",
      parameters: [
        SpecParameter("variant", .choice(Queue.Variant.allCases.map(\.rawValue)), default: "correct", "correct, or commitBeforeProcess (loss), noDedup (duplicate), retentionTooShort (evicted id applied again)"),
        SpecParameter("messages", .integer(1...3), default: "2", "messages in the log"),
        SpecParameter("crashes", .integer(0...2), default: "2", "consumer crashes"),
        SpecParameter("retention", .integer(1...3), default: "2", "time units the dedup store keeps an id"),
      ]
    ) { values in
      let system = Queue(
        variant: Queue.Variant(rawValue: values["variant"])!, messages: values.integer("messages"),
        crashes: values.integer("crashes"), retention: values.integer("retention"))
      return AnySpecification(system.monitoredSpec)
    },
    CatalogEntry(
      "IdempotentProducer",
      summary: "Kafka-style idempotent producer, broker dedups by its last 5 batches: maxInFlight <= 5 holds, 6 appends a retried batch twice",
      parameters: [
        SpecParameter("maxInFlight", .integer(1...7), default: "5", "batches in flight (and in all); no variant: this alone decides")
      ]
    ) { values in
      AnySpecification(IdempotentProducer(maxInFlight: values.integer("maxInFlight")).monitoredSpec)
    },
  ])
}
