import ArgumentParser
import Foundation
import LabelKitCore
import LabelKitFormats
import LabelKitOperations

/// `labelkit hit-test`: which regions are under each point.
struct HitTestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hit-test",
        abstract: "List the visible regions under each point, top-most first (JSON on stdout).",
        discussion: """
            SCENE.json is {"original_width", "original_height", "regions": [Label Studio
            results with id, type, value, hidden]}; later regions are on top; hidden ones
            are ignored. POINTS.json is a list of {"x", "y"} in pixels (a scene file with a
            "queries" list works for both). Output: [{"hits": [ids, top-most first]}, ...]
            in point order. A point on a boundary (within --tolerance) hits.

            Examples:
              labelkit hit-test scene.json --points points.json
              labelkit hit-test scene.json --points scene.json --rule nonzero
              labelkit hit-test scene.json --points points.json --tolerance 3 --skip-locked
            """
    )

    @Option(help: "The query points JSON (defaults to the scene's own \"queries\").")
    var points: String?

    @Option(help: "Polygon fill rule: evenodd or nonzero.")
    var rule: FillRule = .evenOdd

    @Option(help: "Pick distance in pixels for boundaries, keypoints and lines (minimum 1e-9).")
    var tolerance: Double = Geometry.tolerance

    @Flag(help: "Ignore locked (readonly) regions.")
    var skipLocked = false

    @Argument(help: "The scene JSON file.")
    var scene: String

    func validate() throws {
        guard tolerance.isFinite, tolerance >= 0 else { throw ValidationError("--tolerance must be >= 0") }
    }

    func run() async throws {
        let document = try Input.regions(scene)
        let queries = try Input.points(points ?? scene)
        let request = HitTestRequest(
            regions: document, points: queries, rule: rule, tolerance: tolerance, skipLocked: skipLocked)
        try Output.write(request.run(), png: nil)
    }
}
