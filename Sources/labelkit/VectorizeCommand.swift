import ArgumentParser
import Foundation
import LabelKitCore
import LabelKitFormats
import LabelKitOperations

/// `labelkit vectorize`: mask PNG to polygons.
struct VectorizeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vectorize",
        abstract: "Trace a mask PNG into polygons with holes (JSON on stdout).",
        discussion: """
            One contour per 8-connected foreground component (non-zero pixels): an outer
            ring (clockwise on screen) and its holes, with vertices on pixel corners where
            the boundary turns. Unsimplified polygons rasterize back (even-odd) to exactly
            the mask. Output: {"width", "height", "contours": [{"outer": [[x, y], ...],
            "holes": [[[x, y], ...], ...]}]}.

            Examples:
              labelkit vectorize mask.png
              labelkit vectorize mask.png --simplify 1.5 --percent
            """
    )

    @Option(help: "Douglas-Peucker tolerance in pixels (0 = exact pixel-edge polygons).")
    var simplify: Double = 0

    @Flag(help: "Write coordinates in Label Studio percent of the image size instead of pixels.")
    var percent = false

    @Argument(help: "The mask PNG.")
    var mask: String

    func validate() throws {
        guard simplify.isFinite, simplify >= 0 else { throw ValidationError("--simplify must be >= 0") }
    }

    func run() async throws {
        try Output.write(VectorizeRequest(mask: try Input.mask(mask), simplify: simplify, percent: percent).run(), png: nil)
    }
}
