// swift-tools-version: 6.1
//
// LabelKit: an engine for image-annotation work (masks, RLE codecs, geometry,
// imaging, frames). Layers, bottom to top:
//
//   LabelKitCore     stdlib only (plus CLabelKitBits): Mask, Label Studio brush RLE, COCO RLE
//   CLabelKitBits    header-only C: SSE2's byte mask (pmovmskb), which Swift's SIMD types
//                    give no access to, with a portable loop elsewhere
//   LabelKitJSON     Foundation only: the exact JSON reader (ExactJSON), strict number
//                    readers (JSONNumber), the hand-written JSON text (JSONText) and
//                    JSONWriter (JSONSerialization's bytes, without Foundation objects)
//   CPNG             C shim over the system libpng (setjmp stays in C)
//   CJPEG            C shim over the system libjpeg-turbo (setjmp stays in C)
//   CLabelKitSystem  C shim over process and thread settings (mallopt, per-thread nice)
//   LabelKitImaging  PNG and JPEG codecs, resampling and thumbnails (over CPNG and
//                    CJPEG), atomic file writes, IIIF requests, pyramids and tile layouts
//   LabelKitStore    the one owner of a process's SQLite file (GRDB pool, one migrator over
//                    namespaced schemas, checkpoints off the request path)
//   LabelKitFrames   frame order (keyed Feistel permutation), units, iteration, the frame store
//                    and label stream (over Store)
//   LabelKitPostgres the frame store's rows in PostgreSQL (postgres-nio), for many replicas
//   LabelKitFormats  documents only: RLE and COCO documents, Label Studio tasks, regions and the
//                    labeling config (Imaging only to decode a bitmask result's PNG)
//   LabelKitOperations  the mask and geometry operations both front ends run (one typed request
//                    each) and region duplication (over Formats + Imaging)
//   LabelKitExport   batch export (pipeline, one writer per format family) and import (over
//                    Formats + Imaging)
//   LabelKitServer   the HTTP service (Hummingbird 2): IIIF Image API 3.0, Deep Zoom, XYZ,
//                    thumbnails, overlays, a bounded SQLite render cache, frame routes
//   labelkit         the command-line tool (swift-argument-parser)
//
// Benchmarks live in Benchmarks/ as their own package so that package-benchmark
// never slows this build or CI.
import PackageDescription

/// Settings shared by every Swift target: Swift 6 language mode is the
/// package default; release builds get whole-module optimisation from SwiftPM.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny")
]

let package = Package(
    name: "LabelKit",
    products: [
        .library(name: "LabelKitCore", targets: ["LabelKitCore"]),
        .library(name: "LabelKitJSON", targets: ["LabelKitJSON"]),
        .library(name: "LabelKitImaging", targets: ["LabelKitImaging"]),
        .library(name: "LabelKitFormats", targets: ["LabelKitFormats"]),
        .library(name: "LabelKitOperations", targets: ["LabelKitOperations"]),
        .library(name: "LabelKitExport", targets: ["LabelKitExport"]),
        .library(name: "LabelKitStore", targets: ["LabelKitStore"]),
        .library(name: "LabelKitFrames", targets: ["LabelKitFrames"]),
        .library(name: "LabelKitPostgres", targets: ["LabelKitPostgres"]),
        .library(name: "LabelKitServer", targets: ["LabelKitServer"]),
        .executable(name: "labelkit", targets: ["labelkit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.81.0"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.34.1"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        .target(
            name: "LabelKitCore",
            dependencies: ["CLabelKitBits"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "LabelKitJSON",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "CPNG",
            linkerSettings: [.linkedLibrary("png"), .linkedLibrary("z")]
        ),
        .target(
            name: "CJPEG",
            linkerSettings: [.linkedLibrary("jpeg")]
        ),
        .target(name: "CLabelKitSystem"),
        .target(name: "CLabelKitBits"),
        .target(
            name: "LabelKitImaging",
            dependencies: ["LabelKitCore", "LabelKitJSON", "CPNG", "CJPEG"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "LabelKitFormats",
            dependencies: ["LabelKitCore", "LabelKitJSON", "LabelKitImaging"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "LabelKitOperations",
            dependencies: ["LabelKitCore", "LabelKitJSON", "LabelKitImaging", "LabelKitFormats", "LabelKitStore"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "LabelKitExport",
            dependencies: ["LabelKitCore", "LabelKitJSON", "LabelKitImaging", "LabelKitFormats"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "LabelKitStore",
            dependencies: [.product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "LabelKitFrames",
            dependencies: [
                "LabelKitCore",
                "LabelKitJSON",
                "LabelKitStore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "LabelKitPostgres",
            dependencies: [
                "LabelKitFrames",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "LabelKitServer",
            dependencies: [
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                "LabelKitPostgres",
                "LabelKitCore",
                "LabelKitJSON",
                "LabelKitImaging",
                "LabelKitFormats",
                "LabelKitOperations",
                "LabelKitFrames",
                "LabelKitStore",
                "CLabelKitSystem",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
            ],
            // Compiled into the binary (no resource bundle to install next to it).
            resources: [.embedInCode("Resources/openapi.json"), .embedInCode("Resources/viewer.html")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "labelkit",
            dependencies: [
                "LabelKitPostgres",
                "LabelKitCore",
                "LabelKitJSON",
                "LabelKitImaging",
                "LabelKitFormats",
                "LabelKitOperations",
                "LabelKitExport",
                "LabelKitFrames",
                "LabelKitServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "LabelKitCoreTests",
            dependencies: [
                "LabelKitCore", "LabelKitJSON", "LabelKitImaging", "LabelKitFormats", "LabelKitOperations",
                "LabelKitExport",
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "LabelKitImagingTests",
            dependencies: ["LabelKitImaging", "LabelKitCore"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "LabelKitFramesTests",
            dependencies: [
                "LabelKitFrames", "LabelKitJSON", "LabelKitPostgres", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "LabelKitServerTests",
            dependencies: [
                "LabelKitServer",
                "LabelKitImaging",
                "LabelKitFrames",
                "LabelKitStore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "LabelKitCLITests",
            dependencies: ["labelkit", "LabelKitImaging", "LabelKitFrames"],
            swiftSettings: swiftSettings
        ),
    ]
)
