import ArgumentParser
import LabelKitCore
import LabelKitFormats

/// `labelkit bench rasterize`: time rasterizing regions into one mask.
struct BenchRasterize: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rasterize",
        abstract: "Time rasterizing Label Studio regions (or COCO polygons) into masks.",
        discussion: """
            REGIONS.json is the input of `labelkit rasterize`; all regions are painted into
            one mask of the original size. With --coco-polygons, the input is the
            {"width", "height", "polygons"} document and each polygon becomes its own COCO
            RLE with pycocotools' rasterizer (frPyObjects).

            Examples:
              labelkit bench rasterize regions.json --runs 50
              labelkit bench rasterize --coco-polygons polys.json
            """
    )

    @OptionGroup var timing: TimedRuns

    @Option(help: "Polygon fill rule: evenodd or nonzero.")
    var rule: FillRule = .evenOdd

    @Flag(help: "Treat the input as COCO polygons and time one COCO RLE per polygon.")
    var cocoPolygons = false

    @Argument(help: "The regions (or COCO polygons) JSON file.")
    var input: String

    func run() async throws {
        let result: Stopwatch.Result
        if cocoPolygons {
            let document = try Input.cocoPolygons(input)
            result = try Stopwatch.measure(op: "rasterize.coco-polygons", input: input, runs: timing.runs) {
                try document.polygons.map { polygon in
                    try Input.core(input) { () throws(CoreError) in
                        try COCORLE(polygon: polygon, height: document.height, width: document.width)
                    }
                }
            }
        } else {
            let document = try Input.regions(input)
            let fillRule = rule
            result = Stopwatch.measure(op: "rasterize", input: input, runs: timing.runs) {
                var mask = Mask(width: document.width, height: document.height)
                for region in document.regions { mask.fill(region.shape, rule: fillRule) }
                return mask
            }
        }
        Output.line(result.json)
    }
}

/// `labelkit bench hit-test`: time building the index and querying points.
struct BenchHitTest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hit-test",
        abstract: "Time hit-testing: building the region index and querying every point.",
        discussion: """
            Inputs as for `labelkit hit-test`. Each run builds the index and queries all
            points (the top-most-first list of region indices hit by each point).

            Example:
              labelkit bench hit-test scene.json --points points.json --runs 10
            """
    )

    @Option(help: "The query points JSON (defaults to the scene's own \"queries\").")
    var points: String?

    @OptionGroup var timing: TimedRuns

    @Option(help: "Polygon fill rule: evenodd or nonzero.")
    var rule: FillRule = .evenOdd

    @Flag(help: "Build the index once and time only the queries.")
    var queryOnly = false

    @Argument(help: "The scene JSON file.")
    var scene: String

    func run() async throws {
        let document = try Input.regions(scene)
        let queries = try Input.points(points ?? scene)
        let fillRule = rule
        if queryOnly {
            let index = RegionIndex(regions: document.regions, rule: fillRule)
            let result = Stopwatch.measure(op: "hit-test.query", input: scene, runs: timing.runs) {
                index.hitIndices(for: queries).indices.count
            }
            Output.line(result.json)
            return
        }
        let result = Stopwatch.measure(op: "hit-test", input: scene, runs: timing.runs) {
            let index = RegionIndex(regions: document.regions, rule: fillRule)
            return index.hitIndices(for: queries).indices.count
        }
        Output.line(result.json)
    }
}

/// `labelkit bench vectorize`: time tracing a mask into polygons.
struct BenchVectorize: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vectorize",
        abstract: "Time tracing a mask PNG into polygons with holes.",
        discussion: """
            Example:
              labelkit bench vectorize mask.png --runs 20
            """
    )

    @OptionGroup var timing: TimedRuns

    @Argument(help: "The mask PNG.")
    var mask: String

    func run() async throws {
        let input = try Input.mask(mask)
        let result = Stopwatch.measure(op: "vectorize", input: mask, runs: timing.runs) { input.contours() }
        Output.line(result.json)
    }
}
