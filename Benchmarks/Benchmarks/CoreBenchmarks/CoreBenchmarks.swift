// CoreBenchmarks: LabelKitCore's codecs on seeded inputs (see Inputs.swift).
//
// Names are `Type.operation`, with `:blob` or `:noisy` for the 1920x1080 input used
// (`blob`: ~35% set in a few large ellipses; `noisy`: each pixel set with p = 1/2).
// No spaces and no tags in names: package-benchmark 1.38.1 writes threshold files
// with spaces turned into `_` but reads them back by the raw name, so a name with a
// space never matches its file in `thresholds check`.
// Inputs are built by each benchmark's `setup` closure, once, outside measurement;
// the measured closure does only the operation and hands the result to blackHole.
import Benchmark
import LabelKitCore

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .mallocCountTotal, .throughput],
        warmupIterations: 1,
        maxDuration: .seconds(2),
        maxIterations: 200
    )

    for kind in ["blob", "noisy"] {
        // Label Studio brush RLE (rle-pack over RGBA, 4 words per pixel).
        Benchmark("LabelStudioRLE.encode:\(kind)") { benchmark, mask in
            benchmark.startMeasurement()
            blackHole(try LabelStudioRLE.encode(mask))
        } setup: {
            Inputs.mask(kind)
        }

        Benchmark("LabelStudioRLE.decodeMask:\(kind)") { benchmark, rle in
            benchmark.startMeasurement()
            blackHole(try LabelStudioRLE.decodeMask(rle, width: Inputs.width, height: Inputs.height))
        } setup: {
            try LabelStudioRLE.encode(Inputs.mask(kind))
        }

        // COCO RLE, as stored in COCO JSON: column-major runs, compressed string.
        Benchmark("COCORLE.encode:\(kind)") { benchmark, mask in
            benchmark.startMeasurement()
            blackHole(COCORLE(encoding: mask).compressedCounts)
        } setup: {
            Inputs.mask(kind)
        }

        Benchmark("COCORLE.decode:\(kind)") { benchmark, counts in
            benchmark.startMeasurement()
            let rle = try COCORLE(height: Inputs.height, width: Inputs.width, compressedCounts: counts)
            blackHole(rle.decode())
        } setup: {
            COCORLE(encoding: Inputs.mask(kind)).compressedCounts
        }
    }

    // Union of 1,000 small ellipses on 640x480 (pycocotools `merge`), run lists only.
    Benchmark("COCORLE.merge") { benchmark, rles in
        benchmark.startMeasurement()
        blackHole(try COCORLE.merge(rles))
    } setup: {
        Inputs.ellipseRLEs(count: 1_000, radii: 4...40, seed: 0x4D45_5247_45)
    }

    // 100 detections x 100 ground truths on 640x480 (pycocotools `iou`): 10,000 pairs,
    // box test first, run walk for the overlapping ones.
    Benchmark("COCORLE.iou") { benchmark, sets in
        benchmark.startMeasurement()
        blackHole(COCORLE.iou(sets.detections, sets.groundTruths))
    } setup: {
        (
            detections: Inputs.ellipseRLEs(count: 100, radii: 10...120, seed: 0x494F_5544),
            groundTruths: Inputs.ellipseRLEs(count: 100, radii: 10...120, seed: 0x494F_5547)
        )
    }
}
