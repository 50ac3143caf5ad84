// swift-tools-version: 6.1
//
// LabelKit benchmarks: a package of their own so that package-benchmark (and the
// malloc interposer it links) never touches the main build or CI.
//
//   cd Benchmarks && swift package --allow-writing-to-package-directory benchmark
//
// One executable target per suite, under Benchmarks/<Suite>/, each built with the
// BenchmarkPlugin (see README.md).
import PackageDescription

let package = Package(
    name: "LabelKitBenchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(path: ".."),
        // MallocInterposer is the malloc-statistics backend on Swift 6.3+ (no jemalloc).
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "CoreBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "LabelKitCore", package: "main"),
                .product(name: "LabelKitImaging", package: "main"),
            ],
            path: "Benchmarks/CoreBenchmarks",
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "benchmark"),
            ]
        ),
    ]
)
