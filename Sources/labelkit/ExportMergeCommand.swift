import ArgumentParser
import Foundation
import LabelKitExport
import LabelKitFormats

/// `labelkit export merge` (also `labelkit export-merge`): assembles the output
/// of a sharded export.
struct ExportMergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export-merge",
        abstract: "Assemble a sharded export (labelkit export --shard INDEX/COUNT): also 'labelkit export merge'.",
        discussion: """
            Writes coco.json, classes.txt, labels.json and errors.jsonl from the shards'
            journals, as one unsharded run writes them, byte for byte; no mask or task
            is read again. Give the one folder all shards wrote into (assembled in
            place), or each shard's folder and -o OUTDIR (files hard-linked into it
            when on the same file system, else copied).
            The merge refuses, exit 2 naming the file, when a shard is missing, found
            twice, has not finished, or comes from another split (COUNT), other
            options or another input. Exit 1 when a task failed (errors.jsonl and
            stderr name it), as the export does.

            Examples:
              labelkit export merge /shared/coco
              labelkit export merge shard-0 shard-1 shard-2 shard-3 -o coco/
            """
    )

    @Option(
        name: .shortAndLong,
        help: ArgumentHelp(
            "Gather the shard folders into this folder (created if needed); without it, the one folder given is assembled in place.",
            discussion: "e.g. -o coco/ with shard-0 shard-1 shard-2 shard-3"))
    var output: String?

    @Flag(
        help: ArgumentHelp(
            "No progress or summary output (failed tasks are still printed).", discussion: "e.g. --quiet"))
    var quiet = false

    @Argument(
        help: ArgumentHelp(
            "The output folder of the shards, or one folder per shard with -o.",
            discussion: "e.g. /shared/coco (shared), or shard-0 shard-1 shard-2 shard-3 -o coco/"))
    var folders: [String] = []

    func validate() throws {
        guard !folders.isEmpty else { throw ValidationError("give the output folder of the shards") }
    }

    func run() throws {
        let merge: ExportMerge
        let summary: ExportSummary
        var bar = ProgressLine(enabled: !quiet)
        do {
            merge = try ExportMerge(inputs: folders, outputDirectory: output)
            summary = try merge.run { bar.update($0) }
        } catch {
            bar.finish()
            throw CommandFailure(message: error.message, exitCode: 2)
        }
        bar.finish()
        ExportReport.printFailures(summary.failures)
        if !quiet {
            ExportReport.print(
                "merged \(summary.exported + summary.failed) tasks of \(summary.shards) shards: \(summary.exported) exported, \(summary.failed) failed;"
                    + " \(summary.files) files in \(merge.outputDirectory)")
        }
        if summary.failed > 0 { throw ExitCode(1) }
    }
}
