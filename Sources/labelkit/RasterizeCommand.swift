import ArgumentParser
import Foundation
import LabelKitCore
import LabelKitFormats
import LabelKitImaging
import LabelKitOperations

/// `labelkit rasterize`: Label Studio regions to a mask.
struct RasterizeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rasterize",
        abstract: "Rasterize Label Studio regions into one mask (PNG or COCO RLE), or one mask per region.",
        discussion: """
            REGIONS.json is one Label Studio result (type, value, original_width,
            original_height), a list of them, or {"original_width", "original_height",
            "regions": [...]}. Extra fields are ignored; choices/textarea/relation items
            are skipped. A pixel is inside when its centre is inside or on the shape
            (tolerance 1e-9). Rectangles rotate about their top-left corner, ellipses
            about their centre; keypoints are discs of radius width% of the image
            width; brushes are decoded from their RLE.

            With --config (the project's labeling config, XML or project JSON),
            every region's from_name and labels are checked against it, and
            --format semantic writes one grey PNG whose pixels are the first
            label's Label Studio class id + 1 (0 = background), as
            `labelkit export --to semantic --config` does.

            Examples:
              labelkit rasterize regions.json -o mask.png
              labelkit rasterize regions.json --format coco --rule nonzero
              labelkit rasterize annotation.json --per-region masks/
              labelkit rasterize annotation.json --config project.json --format semantic -o classes.png
            """
    )

    @Option(name: .shortAndLong, help: "The merged mask PNG to write (0/255, original size).")
    var output: String?

    @Option(
        help: ArgumentHelp(
            "png (needs -o), ls or coco (Label Studio or COCO RLE JSON on stdout), or semantic (class ids, needs -o and --config).",
            discussion: "e.g. --format coco"))
    var format: RasterizeFormat = .png

    @Option(
        help: ArgumentHelp(
            "The labeling config (XML, or a project JSON with label_config): labels are checked against it.",
            discussion: "e.g. --config project.json"))
    var config: String?

    @Option(help: "Polygon fill rule: evenodd or nonzero.")
    var rule: FillRule = .evenOdd

    @Option(help: "Also write one mask PNG per region into this folder, named <index>-<id>.png.")
    var perRegion: String?

    @Argument(help: "The regions JSON file ('-' for stdin).")
    var input: String

    func validate() throws {
        if format == .png && output == nil && perRegion == nil {
            throw ValidationError("give -o MASK.png, --format ls or coco, or --per-region DIR")
        }
        if format == .semantic && (output == nil || config == nil) {
            throw ValidationError("--format semantic needs -o CLASSES.png and --config (the class ids come from it)")
        }
    }

    func run() async throws {
        let labeling: LabelingConfig?
        do {
            labeling = try config.map { (path) throws(FormatsError) in try LabelingConfig(contentsOf: path) }
        } catch {
            throw CommandFailure(message: error.message)
        }
        let document = try Input.regions(input, config: labeling)
        let request = RasterizeRequest(document: document, format: format, rule: rule, config: labeling)
        if let perRegion {
            try FileManager.default.createDirectory(atPath: perRegion, withIntermediateDirectories: true)
            let masks = try RasterizeRequest(document: document, format: .png, rule: rule).perRegion()
            for (index, mask) in masks.enumerated() {
                let safeID = mask.id.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" }
                try Output.write(mask.output, png: "\(perRegion)/\(index)-\(String(safeID)).png")
            }
        }
        if format == .png && output == nil { return }  // --per-region only
        do {
            try Output.write(try request.run(), png: output)
        } catch let error as FormatsError {
            throw CommandFailure(message: "\(input): \(error.message)")
        }
    }
}
