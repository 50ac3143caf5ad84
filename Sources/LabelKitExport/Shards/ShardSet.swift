import Foundation
import LabelKitFormats

/// The shards of one export found in a merge's folders, checked before anything
/// is written: every index of one split present once and finished (its manifest
/// written), all with the same options, input, categories and label files.
struct ShardSet {
    /// A shard found in a folder.
    struct Member {
        var shard: ExportShard
        var folder: String
        var manifest: ShardManifest

        var journalPath: String { folder + "/" + shard.journalName }
        var manifestPath: String { folder + "/" + shard.manifestName }
        var staging: String { folder + "/" + shard.stagingName }
    }

    /// The shards, by index.
    let members: [Member]
    /// The export's format.
    let format: ExportFormat

    /// Finds and checks the shards in `folders`.
    ///
    /// - Throws: ``FormatsError`` `.invalidField` naming the files at fault.
    init(folders: [String]) throws(FormatsError) {
        var journals: [(shard: ExportShard, folder: String)] = []
        for folder in folders {
            let names: [String]
            do {
                names = try FileManager.default.contentsOfDirectory(atPath: folder)
            } catch {
                throw FormatsError(.invalidField, "\(folder): cannot read the folder")
            }
            for name in names.sorted() {
                guard let parsed = ExportShard.parseFileName(name), parsed.kind == "jsonl",
                    let shard = try? ExportShard(index: parsed.index, count: parsed.count)
                else { continue }
                journals.append((shard, folder))
            }
        }
        guard let first = journals.first else {
            throw FormatsError(
                .invalidField,
                "\(folders.joined(separator: ", ")): no shard journal (\(ExportShard.filePrefix)INDEX-of-COUNT.jsonl);"
                    + " export with --shard INDEX/COUNT first")
        }
        func path(_ journal: (shard: ExportShard, folder: String)) -> String {
            journal.folder + "/" + journal.shard.journalName
        }
        if let other = journals.first(where: { $0.shard.count != first.shard.count }) {
            throw FormatsError(
                .invalidField,
                "shards of different splits: \(path(first)) is shard \(first.shard) and \(path(other)) shard"
                    + " \(other.shard); merge the shards of one split")
        }
        var byIndex: [Int: (shard: ExportShard, folder: String)] = [:]
        for journal in journals {
            if let twin = byIndex[journal.shard.index] {
                throw FormatsError(
                    .invalidField, "shard \(journal.shard) is there twice: \(path(twin)) and \(path(journal))")
            }
            byIndex[journal.shard.index] = journal
        }
        let count = first.shard.count
        let missing = (0..<count).filter { byIndex[$0] == nil }
        guard missing.isEmpty else {
            let list = missing.map { "\($0)/\(count)" }.joined(separator: ", ")
            throw FormatsError(
                .invalidField,
                "shard\(missing.count > 1 ? "s" : "") \(list) missing: no \(ExportShard.filePrefix)\(missing[0])-of-\(count).jsonl"
                    + " in \(folders.joined(separator: ", ")); run labelkit export with --shard \(missing[0])/\(count)")
        }
        var members: [Member] = []
        for index in 0..<count {
            let (shard, folder) = byIndex[index]!
            let manifestPath = folder + "/" + shard.manifestName
            guard FileManager.default.fileExists(atPath: manifestPath) else {
                throw FormatsError(
                    .invalidField,
                    "shard \(shard) has not finished: \(manifestPath) is missing; run it again with the same flags"
                        + " (it resumes)")
            }
            let manifest = try ShardManifest(contentsOf: manifestPath)
            guard manifest.shard == shard else {
                throw FormatsError(.invalidField, "\(manifestPath): describes shard \(manifest.shard), not \(shard)")
            }
            members.append(Member(shard: shard, folder: folder, manifest: manifest))
        }
        let reference = members[0]
        for member in members.dropFirst() {
            let (a, b) = (member.manifest, reference.manifest)
            if a.options != b.options {
                throw FormatsError(
                    .invalidField,
                    "\(member.manifestPath): exported with other options (\(a.options)) than \(reference.manifestPath)"
                        + " (\(b.options))")
            }
            if a.input != b.input {
                throw FormatsError(
                    .invalidField,
                    "\(member.manifestPath): exported from another input (\(a.input.tasks) tasks, \(a.input.bytes) bytes,"
                        + " hash \(a.input.hash)) than \(reference.manifestPath) (\(b.input.tasks) tasks,"
                        + " \(b.input.bytes) bytes, hash \(b.input.hash))")
            }
            if a.categories != b.categories || a.labelFiles != b.labelFiles {
                throw FormatsError(
                    .invalidField,
                    "\(member.manifestPath): exported with another label map or labeling config than"
                        + " \(reference.manifestPath)")
            }
        }
        let formatName = reference.manifest.options.split(separator: "|").first.map(String.init) ?? ""
        guard let format = ExportFormat(rawValue: formatName) else {
            throw FormatsError(.invalidField, "\(reference.manifestPath): unknown format \"\(formatName)\"")
        }
        self.members = members
        self.format = format
    }

    /// Every shard's task lines in input order.
    ///
    /// - Parameter progress: (tasks read, journal bytes read, journal bytes in all)
    ///   after each shard.
    /// - Throws: ``FormatsError`` when a journal is shorter than its manifest says,
    ///   two shards record one task, or a task is in no shard.
    func lines(progress: (Int, Int, Int) -> Void) throws(FormatsError) -> [ShardLine] {
        let tasks = members[0].manifest.input.tasks
        let total = members.reduce(0) { $0 + $1.manifest.journalBytes }
        var slots = [ShardLine?](repeating: nil, count: tasks)
        var (done, read) = (0, 0)
        for member in members {
            let file = try MappedFile(path: member.journalPath, length: member.manifest.journalBytes)
            let bytes = file.bytes
            var start = (bytes.firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count - 1) + 1
            let before = done
            while let newline = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) {
                defer { start = newline + 1 }
                guard let record = JournalRecord(bytes, line: start..<newline) else { continue }
                guard record.index < tasks else {
                    throw FormatsError(
                        .invalidField, "\(member.journalPath): task #\(record.index) is past the input's \(tasks) tasks"
                    )
                }
                if let other = slots[record.index], other.journal != member.journalPath {
                    throw FormatsError(
                        .invalidField,
                        "task #\(record.index) is recorded by two shards: \(other.journal) and \(member.journalPath)")
                }
                slots[record.index] = ShardLine(
                    line: JournalLineRef(file: file, record: record), folder: member.folder, staging: member.staging,
                    journal: member.journalPath)
                done += 1
            }
            guard done - before == member.manifest.tasks else {
                throw FormatsError(
                    .invalidField,
                    "\(member.journalPath): \(done - before) tasks, but its manifest recorded \(member.manifest.tasks)")
            }
            read += member.manifest.journalBytes
            progress(done, read, total)
        }
        if let gap = slots.firstIndex(where: { $0 == nil }) {
            throw FormatsError(
                .invalidField,
                "task #\(gap) of the input is in no shard's journal; the journals do not match their manifests")
        }
        return slots.map { $0! }
    }
}

/// A task line of one shard, with where that shard's files are.
struct ShardLine {
    let line: JournalLineRef
    /// The shard's output folder.
    let folder: String
    /// The shard's staging folder (held files).
    let staging: String
    /// The shard's journal, for messages.
    let journal: String
}
