import Foundation
import LabelKitCore
import LabelKitFormats
import LabelKitImaging
import LabelKitJSON

/// Progress of a running export, reported after every finished task.
public struct ExportProgress: Sendable {
    /// Tasks finished in this run (exported or failed).
    public var tasksDone: Int
    /// Tasks skipped because an earlier run already finished them.
    public var tasksResumed: Int
    /// Bytes of the input read so far.
    public var bytesRead: Int
    /// Size of the input in bytes.
    public var bytesTotal: Int
    /// Seconds since the run started.
    public var elapsed: Double
}

/// The outcome of an export.
public struct ExportSummary: Sendable {
    /// Tasks exported in this run.
    public var exported = 0
    /// Tasks that failed in this run or an earlier one (see `errors.jsonl`).
    public var failed = 0
    /// Tasks finished by an earlier, interrupted run.
    public var resumed = 0
    /// Regions exported in this run.
    public var regions = 0
    /// Result items without image geometry skipped in this run.
    public var skippedItems = 0
    /// Files written (including the assembled ones).
    public var files = 0
    /// Every failure, in task order.
    public var failures: [TaskExport.Failure] = []
    /// Shards assembled (``ExportMerge`` only).
    public var shards = 0
}

/// Streams a Label Studio export through ``TaskExporter`` on `jobs` concurrent
/// workers, writing files atomically and recording each finished task in a
/// journal, so a killed run resumes where it stopped; then assembles the files
/// that cover all tasks (COCO JSON, label maps, `errors.jsonl`).
///
/// With a ``shard`` it exports only that shard's tasks, into its own journal, and
/// ends with the shard's manifest instead of the assembled files: ``ExportMerge``
/// assembles them once every shard has finished.
public struct ExportPipeline: Sendable {
    public let input: String
    public let outputDirectory: String
    public let options: ExportOptions
    public let labelMapFile: String?
    /// The project's labeling config: class ids as Label Studio numbers them.
    public let config: LabelingConfig?
    public let jobs: Int
    public let force: Bool
    /// The share of the tasks this run exports; nil for all of them.
    public let shard: ExportShard?

    /// Creates a pipeline.
    public init(
        input: String, outputDirectory: String, options: ExportOptions, labelMapFile: String? = nil,
        config: LabelingConfig? = nil, jobs: Int, force: Bool = false, shard: ExportShard? = nil
    ) {
        self.input = input
        self.outputDirectory = outputDirectory
        self.options = options
        self.labelMapFile = labelMapFile
        self.config = config
        self.jobs = max(1, jobs)
        self.force = force
        self.shard = shard
    }

    /// Runs the export.
    ///
    /// - Parameter progress: called on the caller's task after each finished task.
    /// - Throws: ``FormatsError`` for an unreadable input, a journal of another
    ///   export, or a failed write; bad tasks are not errors (see ``ExportSummary``).
    public func run(progress: (ExportProgress) -> Void = { _ in }) async throws(FormatsError) -> ExportSummary {
        try checkFirstTask()
        let labels = try labelMap()
        let fm = FileManager.default
        do {
            try fm.createDirectory(atPath: outputDirectory, withIntermediateDirectories: true)
            if options.format.isYOLO {
                try fm.createDirectory(atPath: outputDirectory + "/labels", withIntermediateDirectories: true)
            }
            if options.format == .voc {
                try fm.createDirectory(atPath: outputDirectory + "/Annotations", withIntermediateDirectories: true)
            }
        } catch {
            throw FormatsError(.invalidField, "\(outputDirectory): cannot create: \(error.localizedDescription)")
        }
        let attributes = try? fm.attributesOfItem(atPath: input)
        let size = (attributes?[.size] as? NSNumber)?.intValue ?? 0
        let mtime = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        var header = [
            "labelkit_export": ExportJournal.version, "input": (input as NSString).standardizingPath,
            "input_size": String(size), "input_mtime": String(mtime), "options": options.fingerprint,
            "labels": labels.names.joined(separator: "\n"),
        ]
        if let shard { header["shard"] = shard.description }
        let journalName = shard?.journalName ?? ExportJournal.fileName
        let journal = try ExportJournal(directory: outputDirectory, name: journalName, header: header, force: force)
        let placement = try filePlacement(journal: journal)
        let exporter = TaskExporter(options: options, labels: labels)
        let directory = outputDirectory
        var summary = ExportSummary()
        var stream = try JSONArrayStream(path: input)
        var fingerprint = InputFingerprint()
        let start = Date()
        var done = 0
        var bytesRead = 0
        var firstError: FormatsError?
        await withTaskGroup(of: Result<FinishedTask, FormatsError>.self) { group in
            var inFlight = 0
            func handle(_ result: Result<FinishedTask, FormatsError>) {
                switch result {
                case .failure(let error):
                    if firstError == nil { firstError = error }
                case .success(let finished):
                    do throws(FormatsError) {
                        try record(finished, in: journal, summary: &summary)
                    } catch {
                        if firstError == nil { firstError = error }
                    }
                    done += 1
                    progress(
                        ExportProgress(
                            tasksDone: done, tasksResumed: summary.resumed, bytesRead: bytesRead, bytesTotal: size,
                            elapsed: Date().timeIntervalSince(start)))
                }
            }
            while firstError == nil {
                let element: JSONArrayStream.Element?
                do throws(FormatsError) {
                    element = try stream.next()
                } catch {
                    firstError = error
                    break
                }
                guard let element else { break }
                bytesRead = element.offset + element.bytes.count
                if let shard {
                    fingerprint.add(element.bytes)
                    guard shard.contains(taskKey: ExportShard.taskKey(of: element.bytes, index: element.index)) else {
                        continue
                    }
                }
                if journal.contains(element.index) {
                    summary.resumed += 1
                    continue
                }
                if inFlight >= jobs, let result = await group.next() {
                    inFlight -= 1
                    handle(result)
                }
                let input = self.input
                group.addTask {
                    Self.process(element, input: input, exporter: exporter, directory: directory, placement: placement)
                }
                inFlight += 1
            }
            for await result in group { handle(result) }
        }
        if let firstError { throw firstError }
        if let shard {
            try finish(shard, journal: journal, input: fingerprint, labels: labels, summary: &summary)
        } else {
            try assemble(journal: journal, labels: labels, summary: &summary)
        }
        return summary
    }

    /// Refuses, before anything is written, an input whose first element is not a
    /// Label Studio task (a COCO file, `{"foo": 1}`), and `--predictions` on an
    /// export that lists predictions as ids only.
    func checkFirstTask() throws(FormatsError) {
        var stream = try JSONArrayStream(path: input)
        guard let element = try stream.next() else { return }
        let object: Any
        do {
            object = try ExactJSON.parse(element.bytes)
        } catch {
            throw FormatsError(.invalidJSON, "\(input): task 0: \(error.description)")
        }
        guard let task = object as? [String: Any] else {
            throw FormatsError(.invalidField, "\(input): not a Label Studio export: its first element is not a task object")
        }
        if let reason = LabelStudioTask.notATask(task) { throw FormatsError(.invalidField, "\(input): \(reason)") }
        if options.includePredictions && LabelStudioTask(object: task, index: 0).predictionIDsOnly {
            throw Self.predictionIDs(input)
        }
    }

    /// The error for `--predictions` on an export that lists prediction ids only.
    static func predictionIDs(_ input: String) -> FormatsError {
        FormatsError(
            .invalidField,
            "\(input): this export lists predictions as ids only (\"predictions\": [1, 2]), so --predictions has"
                + " nothing to export; export a snapshot with serialization_options.predictions.only_id = false"
                + " (POST /api/projects/{id}/exports) to get them in full, or leave out --predictions")
    }

    /// Deletes the temporary files a killed run left behind (`<name>.tmp-<pid>-<n>`,
    /// as ``FileIO/writeAtomically(_:to:durable:)`` names them).
    static func removeStaleTemporaries(in directory: String) {
        let fm = FileManager.default
        for folder in [directory, directory + "/labels", directory + "/Annotations"] {
            for name in (try? fm.contentsOfDirectory(atPath: folder)) ?? [] {
                guard let range = name.range(of: ".tmp-", options: .backwards) else { continue }
                let parts = name[range.upperBound...].split(separator: "-")
                if parts.count == 2 && parts.allSatisfy({ $0.allSatisfy(\.isNumber) }) {
                    try? fm.removeItem(atPath: folder + "/" + name)
                }
            }
        }
    }

    /// Appends a finished task to the journal and the summary.
    private func record(_ finished: FinishedTask, in journal: ExportJournal, summary: inout ExportSummary)
        throws(FormatsError)
    {
        let export = finished.export
        if !export.failures.isEmpty {
            summary.failed += 1
        } else {
            summary.exported += 1
            summary.files += export.files.count
        }
        summary.regions += export.regions
        summary.skippedItems += export.skipped
        try journal.record(finished.line, index: export.index)
    }

    /// The label map: from the labeling config (Label Studio's class ids), from
    /// `--label-map`, or for formats that need class indices while exporting
    /// (semantic, YOLO), the labels of the input in order of first appearance (one
    /// streaming pass); COCO derives its categories at the end.
    func labelMap() throws(FormatsError) -> LabelMap {
        if let config { return LabelMap(config: config, pose: options.format == .yoloPose) }
        if options.format == .yoloPose {
            throw FormatsError(
                .missingField,
                "yolo-pose needs the labeling config (--config): its RectangleLabels give the classes and the"
                    + " model_index of its KeyPointLabels the keypoint order")
        }
        if let labelMapFile {
            guard let data = FileManager.default.contents(atPath: labelMapFile) else {
                throw FormatsError(.invalidJSON, "\(labelMapFile): cannot read the label map")
            }
            return try LabelMap(json: data)
        }
        guard options.format == .semantic || options.format.isYOLO else { return LabelMap() }
        var map = LabelMap()
        var stream = try JSONArrayStream(path: input)
        while let element = try stream.next() {
            guard let task = try? LabelStudioTask(json: element.bytes, index: element.index) else { continue }
            for annotation in options.selection.annotations(of: task, predictions: options.includePredictions) {
                for result in annotation.result where LabelStudioRegion.kind(of: result) != nil {
                    if let label = TaskExporter.labelNames(of: result).first { map.insert(label) }
                }
            }
        }
        return map
    }
}
