import Foundation
import LabelKitFormats
import LabelKitImaging

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A task exported and written, with its journal line (rendered on the worker).
struct FinishedTask: Sendable {
    var export: TaskExport
    var line: [UInt8]
}

/// How a task's files reach the output folder.
enum FilePlacement: Sendable {
    /// An unsharded export: a task claims its names in the registry before writing
    /// (a name another task holds fails it), and files are renamed over old ones.
    case claimed(ExportNameRegistry)
    /// A shard: other shards may write into the same folder, so a file goes into
    /// place only when its name is free (`link`, which never replaces); a taken
    /// name keeps the file in the shard's staging folder (`held/`), and the merge,
    /// which sees every shard, decides as the unsharded export would.
    case exclusive(staging: String)
}

extension ExportPipeline {
    /// The placement of this run, with its folders cleaned: an unsharded run
    /// removes temporaries a killed run left and claims the names of the tasks
    /// already recorded; a shard empties its staging folder of temporaries (all of
    /// it with `--force`) and removes its manifest until it finishes again.
    func filePlacement(journal: ExportJournal) throws(FormatsError) -> FilePlacement {
        guard let shard else {
            Self.removeStaleTemporaries(in: outputDirectory)
            let names = ExportNameRegistry()
            for line in try journal.records() {
                _ = names.claim(line.record.files.map { JournalRecord.string(line.bytes, $0) }, for: line.record.index)
            }
            return .claimed(names)
        }
        let fm = FileManager.default
        let staging = outputDirectory + "/" + shard.stagingName
        try? fm.removeItem(atPath: outputDirectory + "/" + shard.manifestName)
        if force { try? fm.removeItem(atPath: staging) }
        do {
            try fm.createDirectory(atPath: staging + "/held", withIntermediateDirectories: true)
        } catch {
            throw FormatsError(.invalidField, "\(staging): cannot create: \(error.localizedDescription)")
        }
        for name in (try? fm.contentsOfDirectory(atPath: staging)) ?? [] where name.hasPrefix("tmp-") {
            unlink(staging + "/" + name)
        }
        return .exclusive(staging: staging)
    }

    /// Parses, exports and writes one task (runs on a worker). A task whose files
    /// cannot be written, or (unsharded) whose file name another task of this
    /// export already holds, writes nothing (files already written are removed)
    /// and comes back with a failure, so the export goes on.
    static func process(
        _ element: JSONArrayStream.Element, input: String, exporter: TaskExporter, directory: String,
        placement: FilePlacement
    ) -> Result<FinishedTask, FormatsError> {
        let task: LabelStudioTask
        var export: TaskExport
        do {
            task = try LabelStudioTask(json: element.bytes, index: element.index)
            if exporter.options.includePredictions && task.predictionIDsOnly {
                return .failure(predictionIDs(input))
            }
            export = exporter.export(task, index: element.index)
        } catch {
            export = TaskExport(index: element.index, taskID: "#\(element.index)")
            export.failures = [
                .init(taskID: "#\(element.index)", annotationID: "", regionID: "", message: error.message)
            ]
        }
        var held: [Int] = []
        if !export.files.isEmpty {
            let failure: String?
            switch placement {
            case .claimed(let names):
                failure = placeClaimed(export.files, index: element.index, in: directory, names: names)
            case .exclusive(let staging):
                failure = placeExclusively(export.files, in: directory, staging: staging, held: &held)
            }
            if let failure { export.fail(failure) }
        }
        if let line = JournalLine.render(export, held: held) {
            return .success(FinishedTask(export: export, line: line))
        }
        export.fail("a COCO value is not a finite number")
        return .success(FinishedTask(export: export, line: JournalLine.render(export, held: []) ?? []))
    }

    /// Writes the files of task `index` after claiming their names; the reason when
    /// it did not (nothing of it is left).
    private static func placeClaimed(
        _ files: [(name: String, bytes: [UInt8])], index: Int, in directory: String, names: ExportNameRegistry
    ) -> String? {
        let list = files.map(\.name)
        if let clash = names.claim(list, for: index) {
            return "file name \"\(clash.name)\" is already written by task #\(clash.owner) of the input"
        }
        for (k, file) in files.enumerated() {
            do {
                try FileIO.writeAtomically(file.bytes, to: directory + "/" + file.name, durable: false)
            } catch {
                for name in list[..<k] { unlink(directory + "/" + name) }
                names.release(list, for: index)
                return error.message
            }
        }
        return nil
    }

    /// Writes files of a shard: each through a temporary in `staging`, linked into
    /// place when its name is free, else kept as `staging/held/<name>` (its
    /// position goes to `held`); the reason when it did not (nothing of it is left).
    private static func placeExclusively(
        _ files: [(name: String, bytes: [UInt8])], in directory: String, staging: String, held: inout [Int]
    ) -> String? {
        var placed: [String] = []
        func undo(_ reason: String) -> String {
            for path in placed { unlink(path) }
            held = []
            return reason
        }
        for (k, file) in files.enumerated() {
            let temporary = staging + "/tmp-\(UInt64.random(in: 0...UInt64.max))"
            if let reason = writeFile(file.bytes, to: temporary) { return undo(reason) }
            let target = directory + "/" + file.name
            if link(temporary, target) == 0 {
                unlink(temporary)
                placed.append(target)
                continue
            }
            guard errno == EEXIST else {
                let reason = "cannot write \(target): \(String(cString: strerror(errno)))"
                unlink(temporary)
                return undo(reason)
            }
            let copy = staging + "/held/" + file.name
            let folder = (copy as NSString).deletingLastPathComponent
            if folder != staging + "/held" {
                try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            }
            guard rename(temporary, copy) == 0 else {
                let reason = "cannot write \(copy): \(String(cString: strerror(errno)))"
                unlink(temporary)
                return undo(reason)
            }
            placed.append(copy)
            held.append(k)
        }
        return nil
    }

    /// Writes `bytes` to a new file; the reason when it could not.
    private static func writeFile(_ bytes: [UInt8], to path: String) -> String? {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return "cannot create \(path): \(String(cString: strerror(errno)))" }
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, $0.count - written) }
            if n < 0 {
                if errno == EINTR { continue }
                let reason = "cannot write \(path): \(String(cString: strerror(errno)))"
                close(fd)
                unlink(path)
                return reason
            }
            written += n
        }
        guard close(fd) == 0 else {
            unlink(path)
            return "cannot write \(path): \(String(cString: strerror(errno)))"
        }
        return nil
    }
}

extension TaskExport {
    /// Fails the whole task: it writes no file and records `message`.
    mutating func fail(_ message: String) {
        files = []
        failures = [.init(taskID: taskID, annotationID: "", regionID: "", message: message)]
    }
}
