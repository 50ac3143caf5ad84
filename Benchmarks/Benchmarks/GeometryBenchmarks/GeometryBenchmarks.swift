// GeometryBenchmarks: LabelKitCore's rasterizers, polygon RLE, region index and
// contour tracer on seeded 1920x1080 inputs (see Inputs.swift).
//
// Names are `Type.operation`, with `:input` where the same operation could take
// several inputs. No spaces and no tags in names (see CoreBenchmarks.swift: a name
// with a space never matches its Thresholds/ file).
// Inputs are built by each benchmark's `setup` closure, once, outside measurement;
// the measured closure does only the operation and hands the result to blackHole.
import Benchmark
import BenchmarkInputs
import LabelKitCore

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .mallocCountTotal],
        warmupIterations: 1,
        maxDuration: .seconds(2),
        maxIterations: 200
    )

    // 1,000 concave 20-vertex stars (radii 20-120 px) painted into one new mask
    // (the mask's allocation is part of the measurement).
    Benchmark("Mask.fill:polygons") { benchmark, shapes in
        benchmark.startMeasurement()
        var mask = Mask(width: Inputs.width, height: Inputs.height)
        for shape in shapes { mask.fill(shape) }
        blackHole(mask)
    } setup: {
        Inputs.largeStars().map { Shape.polygon(Polygon(points: $0)) }
    }

    // 1,000 rotated ellipses (semi-axes 10-80 px) painted into one new mask.
    Benchmark("Mask.fill:ellipses") { benchmark, shapes in
        benchmark.startMeasurement()
        var mask = Mask(width: Inputs.width, height: Inputs.height)
        for shape in shapes { mask.fill(shape) }
        blackHole(mask)
    } setup: {
        Inputs.ellipses(count: 1_000, radii: 10...80, seed: 0x454C_4C49_5053_4553).map { Shape.ellipse($0) }
    }

    // The same 1,000 stars, each one to its own COCO RLE (pycocotools frPyObjects).
    Benchmark("COCORLE.polygon") { benchmark, polygons in
        benchmark.startMeasurement()
        for flat in polygons {
            blackHole(try COCORLE(polygon: flat, height: Inputs.height, width: Inputs.width))
        }
    } setup: {
        Inputs.largeStars().map { $0.flatMap { [$0.x, $0.y] } }
    }

    // Index over 10,000 small stars (8-20 vertices, radii 5-30 px).
    Benchmark("RegionIndex.build") { benchmark, regions in
        benchmark.startMeasurement()
        blackHole(RegionIndex(regions: regions))
    } setup: {
        Inputs.smallStarRegions()
    }

    // 100,000 uniform points against that index, in one batch.
    Benchmark("RegionIndex.hitIndices") { benchmark, input in
        benchmark.startMeasurement()
        blackHole(input.index.hitIndices(for: input.points))
    } setup: {
        (index: RegionIndex(regions: Inputs.smallStarRegions()),
         points: Inputs.points(count: 100_000, seed: 0x4849_5450_4F49_4E54))
    }

    // Outer boundaries and holes of the shared `blob` mask (~35% set, few large ellipses).
    Benchmark("Mask.contours:blob") { benchmark, mask in
        benchmark.startMeasurement()
        blackHole(mask.contours())
    } setup: {
        TestMasks.blob()
    }
}
