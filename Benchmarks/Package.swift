// swift-tools-version: 6.1
//
// LabelKit benchmarks: a package of their own so that package-benchmark (and the
// malloc interposer it links) never touches the main build or CI.
//
//   cd Benchmarks && swift package --allow-writing-to-package-directory benchmark
//
// One executable target per suite, under Benchmarks/<Suite>/, each built with the
// BenchmarkPlugin (see README.md). Seeded inputs shared by the suites (SplitMix64,
// the 1920x1080 test masks) are the library target BenchmarkInputs, under Sources/
// so that the plugin, which runs every executable target in Benchmarks/, ignores it.
import PackageDescription

let package = Package(
    name: "LabelKitBenchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "LabelKit", path: ".."),
        // MallocInterposer is the malloc-statistics backend on Swift 6.3+ (no jemalloc).
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .target(
            name: "BenchmarkInputs",
            dependencies: [
                .product(name: "LabelKitCore", package: "LabelKit"),
            ],
            path: "Sources/BenchmarkInputs"
        ),
        .executableTarget(
            name: "CoreBenchmarks",
            dependencies: [
                "BenchmarkInputs",
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "LabelKitCore", package: "LabelKit"),
                .product(name: "LabelKitImaging", package: "LabelKit"),
            ],
            path: "Benchmarks/CoreBenchmarks",
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "benchmark"),
            ]
        ),
        .executableTarget(
            name: "GeometryBenchmarks",
            dependencies: [
                "BenchmarkInputs",
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "LabelKitCore", package: "LabelKit"),
            ],
            path: "Benchmarks/GeometryBenchmarks",
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "benchmark"),
            ]
        ),
        .executableTarget(
            name: "FramesBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "LabelKitFrames", package: "LabelKit"),
            ],
            path: "Benchmarks/FramesBenchmarks",
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "benchmark"),
            ]
        ),
    ]
)
