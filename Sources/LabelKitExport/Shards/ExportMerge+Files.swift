import Foundation
import LabelKitFormats
import LabelKitImaging

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension ExportMerge {
    /// Who keeps each file name of a sharded export, decided as the unsharded export
    /// with `--jobs 1` decides: tasks in input order claim all their names or none,
    /// and a task that meets a name an earlier task holds fails, writing nothing.
    struct FileNames {
        /// The failures of the tasks that lost a name, by position in the lines.
        private(set) var clashes: [Int: TaskExport.Failure] = [:]
        /// Files of the tasks that keep theirs.
        private(set) var kept = 0
        /// Each line's file names.
        private var names: [[String]] = []
        /// Name -> the position of the task that keeps it.
        private var owners: [String: Int] = [:]

        /// Settles the names of `lines` (every task, in input order).
        init(_ lines: [ShardLine]) {
            for (position, shardLine) in lines.enumerated() {
                let line = shardLine.line
                let list = line.record.failed ? [] : line.record.files.map { JournalRecord.string(line.bytes, $0) }
                names.append(list)
                if let taken = list.first(where: { owners[$0] != nil }), let owner = owners[taken] {
                    let task = JournalRecord.string(line.bytes, line.record.task)
                    clashes[position] = .init(
                        taskID: task, annotationID: "", regionID: "",
                        message: "file name \"\(taken)\" is already written by task #\(owner) of the input")
                    continue
                }
                for name in list { owners[name] = position }
                kept += list.count
            }
        }

        /// In the shared folder: moves the held files of the tasks that keep their
        /// names into place, and removes the files of the tasks that lost one.
        func settle(in directory: String, lines: [ShardLine]) throws(FormatsError) {
            var stagings: Set<String> = []
            for (position, shardLine) in lines.enumerated() where !names[position].isEmpty {
                let held = Set(shardLine.line.record.held)
                guard !held.isEmpty || clashes[position] != nil else { continue }
                stagings.insert(shardLine.staging)
                for (k, name) in names[position].enumerated() {
                    let copy = shardLine.staging + "/held/" + name
                    if clashes[position] != nil {
                        // Its held copies go, and so do the names nobody keeps; a name a
                        // winner keeps holds the winner's file (placed, or moved from held).
                        if held.contains(k) { unlink(copy) }
                        if owners[name] == nil { unlink(directory + "/" + name) }
                    } else if held.contains(k) {
                        let target = directory + "/" + name
                        guard rename(copy, target) == 0 || (errno == ENOENT && access(target, F_OK) == 0) else {
                            throw FormatsError(
                                .invalidField, "cannot move \(copy) onto \(target): \(String(cString: strerror(errno)))"
                            )
                        }
                    }
                }
            }
            for staging in stagings { Self.removeEmptyFolders(staging) }
        }

        /// From a folder per shard: links (or copies) the files of the tasks that keep
        /// their names into `directory`.
        func gather(_ lines: [ShardLine], into directory: String, needs format: ExportFormat) throws(FormatsError) {
            var folders: Set<String> = [directory]
            if format.isYOLO { folders.insert(directory + "/labels") }
            if format == .voc { folders.insert(directory + "/Annotations") }
            for list in names {
                for name in list where name.contains("/") {
                    folders.insert(directory + "/" + (name as NSString).deletingLastPathComponent)
                }
            }
            for folder in folders.sorted() {
                do {
                    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                } catch {
                    throw FormatsError(.invalidField, "\(folder): cannot create: \(error.localizedDescription)")
                }
            }
            var copying = false
            for (position, shardLine) in lines.enumerated() where clashes[position] == nil {
                let held = Set(shardLine.line.record.held)
                for (k, name) in names[position].enumerated() {
                    let source = held.contains(k) ? shardLine.staging + "/held/" + name : shardLine.folder + "/" + name
                    try Self.gather(source, to: directory + "/" + name, copying: &copying)
                }
            }
        }

        /// Hard-links `source` to `target` (replacing it); copies when the two are
        /// on different file systems (then every later file is copied too).
        private static func gather(_ source: String, to target: String, copying: inout Bool) throws(FormatsError) {
            if !copying {
                if link(source, target) == 0 { return }
                if errno == EEXIST && unlink(target) == 0 && link(source, target) == 0 { return }
                guard errno != ENOENT else {
                    throw FormatsError(.invalidField, "\(source): missing; a shard's files were moved or deleted")
                }
                copying = errno == EXDEV
            }
            do {
                try FileIO.writeAtomically(try FileIO.read(source), to: target, durable: false)
            } catch {
                throw FormatsError(.invalidField, error.message)
            }
        }

        /// Removes `folder` and the folders under it when they hold no file.
        private static func removeEmptyFolders(_ folder: String) {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] {
                var isFolder: ObjCBool = false
                if FileManager.default.fileExists(atPath: folder + "/" + name, isDirectory: &isFolder),
                    isFolder.boolValue
                {
                    removeEmptyFolders(folder + "/" + name)
                }
            }
            rmdir(folder)
        }
    }
}
