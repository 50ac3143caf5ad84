// swift-tools-version: 6.1
//
// LabelKit fuzzers: libFuzzer targets over the parsers that read hostile input, in a
// package of their own (like Benchmarks/) so that the fuzzer-instrumented build never
// touches the main build or CI. Build and run them from the repository root:
//
//   make fuzz                 # every target for FUZZ_SECONDS (300) each
//   make fuzz-ci              # every target for 10 s each (what `make test` runs)
//   make fuzz FUZZ_TARGETS=FuzzExactJSON FUZZ_SECONDS=60
//
// or by hand:
//
//   cd Fuzz && swift build -c release --sanitize=fuzzer
//   .build/release/FuzzExactJSON -dict=Dictionaries/json.dict Corpus/FuzzExactJSON
//
// `--sanitize=fuzzer` instruments every module for coverage and links libFuzzer's
// `main`, so each target is a single file without top-level code (SwiftPM passes
// `-parse-as-library` to single-file executables) that exports
// `LLVMFuzzerTestOneInput` with `@_cdecl`. Shared helpers (input reader, invariant
// check, JSON writer) are the library target FuzzSupport.
import PackageDescription

let package = Package(
    name: "LabelKitFuzz",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "LabelKit", path: "..")
    ],
    targets: [
        .target(
            name: "FuzzSupport",
            dependencies: [
                .product(name: "LabelKitCore", package: "LabelKit"), .product(name: "LabelKitJSON", package: "LabelKit"),
            ],
            path: "Sources/FuzzSupport"
        ),
        // Label Studio brush RLE: decodeMask / decodeRGBA / decodeRuns / decodeWords
        // against a bit-by-bit reference decoder, and the encoder round trip.
        .executableTarget(
            name: "FuzzLabelStudioRLE",
            dependencies: ["FuzzSupport", .product(name: "LabelKitCore", package: "LabelKit")],
            path: "Targets/FuzzLabelStudioRLE"
        ),
        // COCO RLE: the compressed counts string (rleFrString), decode / encode,
        // area, bounding box, merge, and the polygon rasterizer (rleFrPoly).
        .executableTarget(
            name: "FuzzCOCORLE",
            dependencies: ["FuzzSupport", .product(name: "LabelKitCore", package: "LabelKit")],
            path: "Targets/FuzzCOCORLE"
        ),
        // ExactJSON: parse, write back, parse again: the same value.
        .executableTarget(
            name: "FuzzExactJSON",
            dependencies: ["FuzzSupport", .product(name: "LabelKitJSON", package: "LabelKit")],
            path: "Targets/FuzzExactJSON"
        ),
        // A Label Studio export: JSONArrayStream, LabelStudioTask, RegionsDocument and
        // LabelStudioRegion (with the shape -> value -> shape round trip).
        .executableTarget(
            name: "FuzzLabelStudioTask",
            dependencies: [
                "FuzzSupport",
                .product(name: "LabelKitCore", package: "LabelKit"),
                .product(name: "LabelKitFormats", package: "LabelKit"),
                .product(name: "LabelKitJSON", package: "LabelKit"),
            ],
            path: "Targets/FuzzLabelStudioTask"
        ),
        // IIIF Image API request parsing and resolution against an image size and limits.
        .executableTarget(
            name: "FuzzIIIFRequest",
            dependencies: ["FuzzSupport", .product(name: "LabelKitImaging", package: "LabelKit")],
            path: "Targets/FuzzIIIFRequest"
        ),
        // PNG and JPEG headers (libpng, libjpeg, the EXIF reader), the pixel limit, and
        // the decoders for small images.
        .executableTarget(
            name: "FuzzImageHeader",
            dependencies: ["FuzzSupport", .product(name: "LabelKitImaging", package: "LabelKit")],
            path: "Targets/FuzzImageHeader"
        ),
    ]
)
