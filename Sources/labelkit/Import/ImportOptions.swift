import ArgumentParser
import Foundation
import LabelKitExport
import LabelKitFormats
import LabelKitImaging

/// The options every `labelkit import` command shares.
struct ImportOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: "The tasks JSON to write (atomically), e.g. -o tasks.json.")
    var output: String

    @Option(
        help: ArgumentHelp(
            "The project's labeling config (XML, or the project JSON holding label_config).",
            discussion: "e.g. --config config.xml: results take its control names; unknown labels are errors"))
    var config: String?

    @Option(help: "Prefix of data.image, e.g. --image-root /data/local-files/?d=images/ (the default).")
    var imageRoot: String = "/data/local-files/?d=images/"

    @Option(name: .customLong("as"), help: "Put results into annotations or predictions, e.g. --as predictions.")
    var target: MaskImporter.Target = .annotations

    @Option(help: "from_name without --config, e.g. --from-name label (the default).")
    var fromName: String = "label"

    @Option(help: "to_name without --config, e.g. --to-name image (the default).")
    var toName: String = "image"

    /// The importer settings, with the config read.
    func masks() throws(FormatsError) -> MaskImporter {
        var masks = MaskImporter(target: target, fromName: fromName, toName: toName, imageRoot: imageRoot)
        if let config { masks.config = try LabelingConfig(contentsOf: config) }
        return masks
    }

    /// Runs an importer with these settings and writes its tasks: a bad input is
    /// exit 2 with its message, as is an import that finds nothing (`nothing` says
    /// what was looked for).
    func run(nothing: String, _ importer: (MaskImporter) throws(FormatsError) -> [[String: Any]]) throws {
        let tasks: [[String: Any]]
        do {
            tasks = try importer(try masks())
        } catch {
            throw CommandFailure(message: error.message)
        }
        try write(tasks, nothing: nothing)
    }

    /// Writes `tasks` (exit 2 when there are none) and reports the count on stderr.
    func write(_ tasks: [[String: Any]], nothing: String) throws {
        guard !tasks.isEmpty else { throw CommandFailure(message: nothing + "; nothing written") }
        let data = try JSONSerialization.data(withJSONObject: tasks, options: [.sortedKeys])
        do {
            try FileIO.writeAtomically(Array(data), to: output)
        } catch {
            throw CommandFailure(message: error.message, exitCode: 1)
        }
        FileHandle.standardError.write(Data("wrote \(tasks.count) tasks to \(output)\n".utf8))
    }
}
