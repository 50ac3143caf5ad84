import ArgumentParser
import LabelKitCore
import LabelKitFormats

/// `labelkit rle merge`: union or intersection of COCO RLEs.
struct RLEMerge: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge a JSON array of COCO RLEs (union, or intersection) into one COCO RLE on stdout.",
        discussion: """
            As pycocotools mask.merge: every RLE must have the same size; the result is
            {"size":[H,W],"counts":"..."}.

            Examples:
              labelkit rle merge rles.json
              labelkit rle merge --intersect rles.json
            """
    )

    @Flag(help: "Intersect instead of unite.")
    var intersect = false

    @Option(help: "RLE format; merging is a COCO operation, so only coco is accepted.")
    var format: RLEFormat = .coco

    func validate() throws {
        guard format == .coco else { throw ValidationError("merge works on COCO RLEs: use --format coco") }
    }

    @Argument(help: "A JSON array of COCO RLE objects.")
    var input: String

    func run() async throws {
        let rles = try Input.cocoList(input)
        let merged = try Input.core(input) { () throws(CoreError) in try COCORLE.merge(rles, intersect: intersect) }
        Output.line(COCORLEDocument.json(merged))
    }
}
