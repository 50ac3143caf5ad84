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
}

/// Streams a Label Studio export through ``TaskExporter`` on `jobs` concurrent
/// workers, writing files atomically and recording each finished task in a
/// journal, so a killed run resumes where it stopped; then assembles the files
/// that cover all tasks (COCO JSON, label maps, `errors.jsonl`).
public struct ExportPipeline: Sendable {
    public let input: String
    public let outputDirectory: String
    public let options: ExportOptions
    public let labelMapFile: String?
    /// The project's labeling config: class ids as Label Studio numbers them.
    public let config: LabelingConfig?
    public let jobs: Int
    public let force: Bool

    /// Creates a pipeline.
    public init(
        input: String, outputDirectory: String, options: ExportOptions, labelMapFile: String? = nil,
        config: LabelingConfig? = nil, jobs: Int, force: Bool = false
    ) {
        self.input = input
        self.outputDirectory = outputDirectory
        self.options = options
        self.labelMapFile = labelMapFile
        self.config = config
        self.jobs = max(1, jobs)
        self.force = force
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
        Self.removeStaleTemporaries(in: outputDirectory)
        let attributes = try? fm.attributesOfItem(atPath: input)
        let size = (attributes?[.size] as? NSNumber)?.intValue ?? 0
        let mtime = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        let header = [
            "labelkit_export": "1", "input": (input as NSString).standardizingPath, "input_size": String(size),
            "input_mtime": String(mtime), "options": options.fingerprint, "labels": labels.names.joined(separator: "\n"),
        ]
        let journal = try ExportJournal(directory: outputDirectory, header: header, force: force)
        let exporter = TaskExporter(options: options, labels: labels)
        let directory = outputDirectory
        let names = try Self.registry(of: journal)
        var summary = ExportSummary()
        var stream = try JSONArrayStream(path: input)
        let start = Date()
        var done = 0
        var bytesRead = 0
        var firstError: FormatsError?
        await withTaskGroup(of: Result<TaskExport, FormatsError>.self) { group in
            var inFlight = 0
            func handle(_ result: Result<TaskExport, FormatsError>) {
                switch result {
                case .failure(let error):
                    if firstError == nil { firstError = error }
                case .success(let export):
                    do throws(FormatsError) {
                        try record(export, in: journal, summary: &summary)
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
                    Self.process(element, input: input, exporter: exporter, directory: directory, names: names)
                }
                inFlight += 1
            }
            for await result in group { handle(result) }
        }
        if let firstError { throw firstError }
        try assemble(journal: journal, labels: labels, summary: &summary)
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

    /// The names written by the tasks an earlier run finished, so this run cannot
    /// overwrite them.
    static func registry(of journal: ExportJournal) throws(FormatsError) -> ExportNameRegistry {
        let names = ExportNameRegistry()
        do {
            try journal.forEachEntry { entry in
                guard let index = entry["i"] as? Int, let files = entry["files"] as? [String] else { return }
                _ = names.claim(files, for: index)
            }
        } catch {
            throw FormatsError(.invalidField, "\(journal.path): \(error.localizedDescription)")
        }
        return names
    }

    /// Parses, exports and writes one task (runs on a worker). A task whose file
    /// names another task of this export already holds, or whose files cannot be
    /// written, writes nothing (files already written are removed) and comes back
    /// with a failure, so the export goes on.
    static func process(
        _ element: JSONArrayStream.Element, input: String, exporter: TaskExporter, directory: String,
        names: ExportNameRegistry
    ) -> Result<TaskExport, FormatsError> {
        let task: LabelStudioTask
        do {
            task = try LabelStudioTask(json: element.bytes, index: element.index)
        } catch {
            var export = TaskExport(index: element.index, taskID: "#\(element.index)")
            export.failures = [.init(taskID: "#\(element.index)", annotationID: "", regionID: "", message: error.message)]
            return .success(export)
        }
        if exporter.options.includePredictions && task.predictionIDsOnly {
            return .failure(predictionIDs(input))
        }
        var export = exporter.export(task, index: element.index)
        let files = export.files.map(\.name)
        func fail(_ message: String) -> Result<TaskExport, FormatsError> {
            export.files = []
            export.failures = [.init(taskID: task.id, annotationID: "", regionID: "", message: message)]
            return .success(export)
        }
        if let clash = names.claim(files, for: element.index) {
            return fail("file name \"\(clash.name)\" is already written by task #\(clash.owner) of the input")
        }
        for (k, file) in export.files.enumerated() {
            do {
                try FileIO.writeAtomically(file.bytes, to: directory + "/" + file.name, durable: false)
            } catch {
                for name in files[..<k] { unlink(directory + "/" + name) }
                names.release(files, for: element.index)
                return fail(error.message)
            }
        }
        return .success(export)
    }

    /// Appends a finished task to the journal and the summary.
    private func record(_ export: TaskExport, in journal: ExportJournal, summary: inout ExportSummary) throws(FormatsError) {
        var line: [String: Any] = [
            "i": export.index, "task": export.taskID, "status": export.failures.isEmpty ? "done" : "failed",
            "files": export.files.map(\.name),
        ]
        if let coco = export.coco, export.failures.isEmpty { line["coco"] = coco }
        if !export.failures.isEmpty {
            line["failures"] = export.failures.map {
                ["task": $0.taskID, "annotation": $0.annotationID, "region": $0.regionID, "error": $0.message]
            }
            summary.failed += 1
        } else {
            summary.exported += 1
            summary.files += export.files.count
        }
        summary.regions += export.regions
        summary.skippedItems += export.skipped
        try journal.record(line)
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
