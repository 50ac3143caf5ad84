import ArgumentParser
import Foundation
import LabelKitExport
import LabelKitFormats

/// `labelkit import coco`: a COCO instances file to Label Studio tasks.
struct ImportCOCOCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coco",
        abstract: "Turn a COCO instances JSON file into Label Studio tasks.",
        discussion: """
            One task per image: boxes -> rectanglelabels, each part of a polygon
            segmentation -> its own polygonlabels region with the same label, RLE ->
            brushlabels, keypoints -> keypointlabels (points with v > 0). With --config
            each result takes the config's control of its type. (The same import as
            `labelkit import-masks COCO.json`.)

            Examples:
              labelkit import coco instances.json -o tasks.json
              labelkit import coco instances.json -o tasks.json --config project.json
            """
    )

    @OptionGroup var options: ImportOptions

    @Argument(help: "The COCO instances JSON file.")
    var file: String

    func run() async throws {
        try options.run(nothing: "\(file): the COCO file has no image to import") { (masks) throws(FormatsError) in
            guard let data = FileManager.default.contents(atPath: file) else {
                throw FormatsError(.invalidField, "\(file): cannot read")
            }
            do throws(FormatsError) {
                return try COCOImporter(masks: masks).tasks(fromCOCO: data)
            } catch {
                throw FormatsError(error.code, "\(file): \(error.message)")
            }
        }
    }
}
