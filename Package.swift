// swift-tools-version:6.0
import PackageDescription

// `INTERLEAVE_DISABLE_TYPE_LAYOUT=1 swift build -c release` compiles the bundled specs with
// `-Xfrontend -disable-type-layout`. The search code is specialized for each spec in the spec's
// own module; there, by default, Swift 6.3 copies and destroys a generic struct with more than
// seven scalar fields (`SystemState` with non-empty shared stores, a monitored spec's state, a
// process's context) through the runtime's generic value witnesses, and with the flag in code
// specialized for the spec: 5% fewer instructions on TwoPhaseMessages, 14% on PaymentAPI, 21%
// on DurableExecution, the same reports (docs/benchmarks.md). The flag is unsafe (a package
// with one cannot be a dependency) and a hidden frontend option, so it is asked for, not set.
let specSettings: [SwiftSetting] =
  Context.environment["INTERLEAVE_DISABLE_TYPE_LAYOUT"] == "1" ? [.unsafeFlags(["-Xfrontend", "-disable-type-layout"])] : []

let package = Package(
  name: "Interleave",
  platforms: [.macOS(.v15)],
  products: [
    .library(name: "Interleave", targets: ["Interleave"]),
    .library(name: "InterleaveSpecs", targets: ["InterleaveSpecs"]),
    // The command line as a library: run `InterleaveCommand.run(arguments, catalog:)` with your
    // own `SpecCatalog` to get `interleave list`, `check` and `validate` for your specs.
    .library(name: "InterleaveCLI", targets: ["InterleaveCLI"]),
    // Test helpers for XCTest and Swift Testing: assertHolds/expectHolds, model-based tests,
    // validating recorded logs.
    .library(name: "InterleaveTesting", targets: ["InterleaveTesting"]),
    .executable(name: "interleave", targets: ["interleave"]),
    .executable(name: "payments-demo", targets: ["payments-demo"]),
  ],
  targets: [
    // The library: specification protocol, builder DSL, model checker, reports.
    .target(name: "Interleave", dependencies: ["CInterleaveSupport"]),
    // C helpers for the model checker: a cache-prefetch hint for its hash probes (Swift has no
    // intrinsic for it), and memory blocks of whole pages that go back to the kernel when freed.
    .target(name: "CInterleaveSupport"),
    // The bundled example specifications (the `Specs/` folder).
    .target(name: "InterleaveSpecs", dependencies: ["Interleave"], path: "Specs", swiftSettings: specSettings),
    // The command-line front end as a library, so that tests can drive it in-process.
    .target(name: "InterleaveCLI", dependencies: ["Interleave", "InterleaveSpecs"]),
    .executableTarget(name: "interleave", dependencies: ["InterleaveCLI"]),
    // The test helpers: the only module that imports XCTest and Testing.
    .target(name: "InterleaveTesting", dependencies: ["Interleave"], path: "Sources/InterleaveTesting"),
    // A durable payment worker whose logs Traces/regenerate.sh records for `interleave validate`.
    .executableTarget(name: "payments-demo", dependencies: ["Interleave"], path: "Sources/PaymentsDemo"),
    .testTarget(
      name: "InterleaveTests",
      dependencies: ["Interleave", "InterleaveSpecs", "InterleaveCLI", "InterleaveTesting"]
    ),
  ]
)
