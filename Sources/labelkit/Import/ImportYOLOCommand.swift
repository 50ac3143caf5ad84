import ArgumentParser
import Foundation
import LabelKitExport
import LabelKitFormats

/// `labelkit import yolo`: a YOLO folder to Label Studio tasks.
struct ImportYOLOCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "yolo",
        abstract: "Turn a YOLO folder (classes.txt, images/, labels/) into Label Studio tasks.",
        discussion: """
            One task per image in images/ (.jpg, .jpeg, .png; sorted by name), its label
            file matched by stem in labels/. Lines `cls xc yc w h [score]` become
            rectanglelabels with label-studio-converter's values; `cls x1 y1 ... xn yn`
            (YOLO-seg) polygonlabels; four corners that form a rectangle (YOLO-OBB) a
            rotated rectanglelabels. Image sizes come from the image headers (no pixel
            is decoded). With --config, results take the from_name and to_name of the
            config's RectangleLabels / PolygonLabels control, and a class the config
            does not know is an error. Output: a JSON array of tasks, written atomically.

            Examples:
              labelkit import yolo dataset/ -o tasks.json
              labelkit import yolo dataset/ -o tasks.json --config config.xml --image-root /data/local-files/?d=dataset/images
              labelkit import yolo runs/predict/ -o preds.json --as predictions
            """
    )

    @OptionGroup var options: ImportOptions

    @Argument(help: "The YOLO folder.")
    var folder: String

    func run() async throws {
        try options.run(nothing: "\(folder)/images: no .jpg, .jpeg or .png image to import") {
            (masks) throws(FormatsError) in
            try YOLOImporter(
                target: masks.target, imageRoot: masks.imageRoot, config: masks.config, fromName: masks.fromName,
                toName: masks.toName
            ).tasks(fromFolder: folder)
        }
    }
}
