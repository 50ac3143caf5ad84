import ArgumentParser
import Foundation
import LabelKitExport
import LabelKitFormats

/// `labelkit import voc`: Pascal VOC annotation files to Label Studio tasks.
struct ImportVOCCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "voc",
        abstract: "Turn Pascal VOC files (DIR/Annotations/*.xml, or DIR/*.xml) into Label Studio tasks.",
        discussion: """
            One task per file (sorted by name); each object becomes a rectanglelabels
            result, its bndbox (pixel edges) in percent of the file's size; data.image =
            --image-root + the file's filename.

            Examples:
              labelkit import voc voc/ -o tasks.json
              labelkit import voc voc/ -o tasks.json --config config.xml --image-root /data/local-files/?d=voc/images/
            """
    )

    @OptionGroup var options: ImportOptions

    @Argument(help: "The VOC folder.")
    var folder: String

    func run() async throws {
        try options.run(nothing: "\(folder): no VOC .xml file to import") { (masks) throws(FormatsError) in
            try VOCImporter(masks: masks).tasks(fromFolder: folder)
        }
    }
}
