import Foundation
import LabelKitFormats

/// Assembles the output of a sharded export (`labelkit export merge`): the files
/// that cover every task (`errors.jsonl`, `coco.json`, `labels.json`,
/// `classes.txt`) from the shards' journals, as the unsharded export writes them,
/// byte for byte. No mask or task is read again: failures and COCO objects are
/// copied from the journals with the ids of the whole export written in.
///
/// Two layouts:
/// - **One shared folder** (every shard ran with the same `-o`): the merge assembles
///   in place: `ExportMerge(inputs: ["out"])`.
/// - **A folder per shard**: the merge gathers each shard's files into a new
///   folder, hard-linked when on the same file system, else copied:
///   `ExportMerge(inputs: ["s0", "s1", "s2", "s3"], outputDirectory: "out")`.
///
/// File names two tasks both want are settled here, where every task is seen:
/// the first task in input order keeps the name and the later one fails into
/// `errors.jsonl`, as an unsharded export with `--jobs 1` decides.
public struct ExportMerge: Sendable {
    /// The folders holding the shards' journals.
    public let inputs: [String]
    /// Where the merged export is written.
    public let outputDirectory: String

    /// True when the merge assembles in the shards' own (shared) folder.
    public var inPlace: Bool { inputs == [outputDirectory] }

    /// A merge of the shards found in `inputs` into `outputDirectory`, or in place
    /// when it is nil.
    ///
    /// - Throws: ``FormatsError`` `.invalidField` when no folder is given, when
    ///   several are given without an output folder, or when the output folder is
    ///   one of them.
    public init(inputs: [String], outputDirectory: String? = nil) throws(FormatsError) {
        guard !inputs.isEmpty else { throw FormatsError(.invalidField, "give the output folder of the shards") }
        let folders = inputs.map { ($0 as NSString).standardizingPath }
        guard let output = outputDirectory.map({ ($0 as NSString).standardizingPath }) else {
            guard folders.count == 1 else {
                throw FormatsError(
                    .invalidField,
                    "\(folders.count) shard folders: give -o OUTDIR to gather them into (one folder is merged in place)"
                )
            }
            self.inputs = folders
            self.outputDirectory = folders[0]
            return
        }
        guard !folders.contains(output) else {
            throw FormatsError(
                .invalidField,
                "-o \(output) is one of the shard folders; to assemble in place, give that folder alone without -o")
        }
        self.inputs = folders
        self.outputDirectory = output
    }

    /// Checks that the shards are complete and of one export, settles file names,
    /// places or gathers the files, and writes the assembled files.
    ///
    /// - Parameter progress: called after each shard's journal is read.
    /// - Returns: the merged export's summary; ``ExportSummary/failures`` lists
    ///   every failed task of every shard, and the name clashes found here.
    /// - Throws: ``FormatsError`` naming the file at fault when a shard is missing,
    ///   found twice, unfinished, of another split, options or input, or when a
    ///   file cannot be written.
    public func run(progress: (ExportProgress) -> Void = { _ in }) throws(FormatsError) -> ExportSummary {
        let start = Date()
        let shards = try ShardSet(folders: inputs)
        ExportPipeline.removeStaleTemporaries(in: outputDirectory)
        let lines = try shards.lines { done, bytes, total in
            progress(
                ExportProgress(
                    tasksDone: done, tasksResumed: 0, bytesRead: bytes, bytesTotal: total,
                    elapsed: Date().timeIntervalSince(start)))
        }
        let names = FileNames(lines)
        var summary = ExportSummary()
        summary.shards = shards.members.count
        if inPlace {
            try names.settle(in: outputDirectory, lines: lines)
        } else {
            try names.gather(lines, into: outputDirectory, needs: shards.format)
        }
        let first = shards.members[0].manifest
        let assembler = ExportAssembler(
            format: shards.format, categories: first.categories, labelFiles: first.labelFiles,
            directory: outputDirectory)
        let outcome = try assembler.write(lines.map(\.line), replaced: names.clashes)
        summary.failures = outcome.failures
        summary.failed = Set(outcome.failures.map(\.taskID)).count
        summary.exported = lines.indices.filter { !lines[$0].line.record.failed && names.clashes[$0] == nil }.count
        summary.files = names.kept + outcome.files
        return summary
    }
}
