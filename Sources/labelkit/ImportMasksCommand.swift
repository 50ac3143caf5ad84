import ArgumentParser
import Foundation
import LabelKitExport
import LabelKitFormats
import LabelKitImaging

/// `labelkit import-masks`: mask PNGs to Label Studio tasks with brush results.
struct ImportMasksCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-masks",
        abstract: "Turn a folder of mask PNGs into Label Studio tasks with brushlabels results.",
        discussion: """
            Each mask (luma > --threshold is inside) becomes a brushlabels result whose
            RLE decodes to 255 inside. Masks named like `labelkit export --to png` (or
            label-studio-converter's brush export) names them,
            task-{id}-annotation-{aid}-by-{who}-{from_name}-{labels}-{n}.png, are grouped
            back into their task and annotation with from_name and labels restored;
            other PNGs become one task each, labelled --label, with data.image =
            --image-root + file name. Given a COCO instances JSON file instead of a folder,
            each image becomes a task: boxes -> rectanglelabels, polygons -> polygonlabels,
            RLE -> brushlabels, keypoints -> keypointlabels. Output: a JSON array of tasks.

            Examples:
              labelkit import-masks masks/ --to ls -o tasks.json
              labelkit import-masks masks/ --to ls -o preds.json --as predictions --label Cat
              labelkit import-masks coco.json --to ls -o tasks.json
              labelkit import-masks coco.json --to ls -o tasks.json --config project.json
            """
    )

    /// `--to` values.
    enum Target: String, ExpressibleByArgument, CaseIterable {
        case ls
    }

    @Option(help: "Output format (ls: Label Studio tasks JSON).")
    var to: Target = .ls

    @Option(name: .shortAndLong, help: "The tasks JSON to write (atomically).")
    var output: String

    @Option(name: .customLong("as"), help: "Put results into annotations or predictions.")
    var target: MaskImporter.Target = .annotations

    @Option(help: "Label for masks whose file name carries none.")
    var label: String = "Mask"

    @Option(help: "from_name for masks whose file name carries none.")
    var fromName: String = "tag"

    @Option(help: "to_name of every result.")
    var toName: String = "image"

    @Option(help: "Prefix of data.image for masks that are not export-named.")
    var imageRoot: String = "/data/local-files/?d="

    @Option(help: "Luma above this value is inside.")
    var threshold: UInt8 = 128

    @Option(
        help: ArgumentHelp(
            "A folder of the images: a mask points at the image of its stem, e.g. --images photos/ (cat.png -> cat.jpg).",
            discussion: "data.image is then --image-root + the image's file name, not the mask's"))
    var images: String?

    @Option(
        help: ArgumentHelp(
            "The project's labeling config (XML, or the project JSON holding label_config): results take its control names.",
            discussion: "e.g. --config config.xml; a label the config's control does not know is an error"))
    var config: String?

    @Argument(help: "The folder of mask PNGs, or a COCO instances JSON file.")
    var folder: String

    func run() async throws {
        var importer = MaskImporter(
            target: target, defaultLabel: label, fromName: fromName, toName: toName, imageRoot: imageRoot,
            threshold: threshold)
        importer.imagesFolder = images
        if let config {
            do {
                importer.config = try LabelingConfig(contentsOf: config)
            } catch {
                throw CommandFailure(message: error.message)
            }
        }
        let tasks: [[String: Any]]
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) else {
            throw CommandFailure(message: "\(folder): no such file or folder")
        }
        do {
            if isDirectory.boolValue {
                tasks = try importer.tasks(fromFolder: folder)
            } else {
                tasks = try COCOImporter(masks: importer).tasks(fromCOCO: Data(try Input.bytes(folder)))
            }
        } catch let error as FormatsError {
            throw CommandFailure(message: "\(folder): \(error.message)")
        }
        guard !tasks.isEmpty else {
            throw CommandFailure(
                message: isDirectory.boolValue
                    ? "\(folder): no mask PNG to import (import-masks reads *.png masks, or a COCO instances JSON file); nothing written"
                    : "\(folder): the COCO file has no image to import; nothing written")
        }
        let data = try JSONSerialization.data(withJSONObject: tasks, options: [.sortedKeys])
        do {
            try FileIO.writeAtomically(Array(data), to: output)
        } catch {
            throw CommandFailure(message: error.message, exitCode: 1)
        }
        FileHandle.standardError.write(Data("wrote \(tasks.count) tasks to \(output)\n".utf8))
    }
}

extension MaskImporter.Target: ExpressibleByArgument {}
