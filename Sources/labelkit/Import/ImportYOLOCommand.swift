import ArgumentParser
import Foundation
import LabelKitFormats
import LabelKitImaging

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

    @Option(name: .shortAndLong, help: "The tasks JSON to write, e.g. -o tasks.json.")
    var output: String

    @Option(
        help: ArgumentHelp(
            "The project's labeling config (XML, or the project JSON holding label_config).",
            discussion: "e.g. --config config.xml"))
    var config: String?

    @Option(help: "Prefix of data.image, e.g. --image-root /data/local-files/?d=images (the default).")
    var imageRoot: String = "/data/local-files/?d=images"

    @Option(name: .customLong("as"), help: "Put results into annotations or predictions, e.g. --as predictions.")
    var target: MaskImporter.Target = .annotations

    @Option(help: "from_name of boxes without --config, e.g. --from-name label (the default).")
    var fromName: String = "label"

    @Option(help: "to_name without --config, e.g. --to-name image (the default).")
    var toName: String = "image"

    @Argument(help: "The YOLO folder.")
    var folder: String

    /// The tasks of the folder (reads the config first).
    func importTasks() throws(FormatsError) -> [[String: Any]] {
        var labelingConfig: LabelingConfig?
        if let config { labelingConfig = try LabelingConfig(contentsOf: config) }
        let importer = YOLOImporter(
            target: target, imageRoot: imageRoot, config: labelingConfig, fromName: fromName, toName: toName)
        return try importer.tasks(fromFolder: folder)
    }

    func run() async throws {
        let tasks: [[String: Any]]
        do {
            tasks = try importTasks()
        } catch {
            throw CommandFailure(message: error.message)
        }
        guard !tasks.isEmpty else {
            throw CommandFailure(message: "\(folder)/images: no .jpg, .jpeg or .png image to import; nothing written")
        }
        let data = try JSONSerialization.data(withJSONObject: tasks, options: [.sortedKeys])
        do {
            try FileIO.writeAtomically(Array(data), to: output)
        } catch {
            throw CommandFailure(message: error.message, exitCode: 1)
        }
        let labelled = tasks.filter { $0[target.rawValue] != nil }.count
        FileHandle.standardError.write(Data("wrote \(tasks.count) tasks (\(labelled) with labels) to \(output)\n".utf8))
    }
}
