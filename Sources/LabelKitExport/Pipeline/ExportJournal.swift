import Foundation
import LabelKitFormats
import LabelKitJSON

/// The append-only record of an export in progress: a header naming the input and
/// options, then one line per finished task (``JournalLine``). A killed export
/// resumes from it; the files that cover all tasks (COCO JSON, errors, label maps)
/// are assembled from it at the end, or by ``ExportMerge`` from the journals of
/// all shards.
final class ExportJournal {
    /// The journal of an unsharded export.
    static let fileName = ".labelkit-export.jsonl"
    /// The layout of the task lines; a journal of another layout is refused.
    static let version = "2"

    /// A finished task as recorded.
    struct Entry {
        var index: Int
        /// Byte range of the line (without its newline) in the journal.
        var offset: Int
        var length: Int
    }

    let path: String
    private let handle: FileHandle
    private(set) var entries: [Int: Entry] = [:]

    /// Opens (or creates) the journal `name` in `directory` for an export described
    /// by `header`; an existing journal must have the same header.
    init(directory: String, name: String = fileName, header: [String: String], force: Bool) throws(FormatsError) {
        path = directory + "/" + name
        let fm = FileManager.default
        if force { try? fm.removeItem(atPath: path) }
        let headerLine = Array(Self.line(header).utf8)
        if fm.fileExists(atPath: path) {
            let file = try MappedFile(path: path)
            let bytes = file.bytes
            let headerEnd = bytes.firstIndex(of: UInt8(ascii: "\n"))
            guard let headerEnd, bytes[...headerEnd].elementsEqual(headerLine) else {
                throw FormatsError(
                    .invalidField,
                    "\(directory) holds an export of another input or with other options; use --force to start over")
            }
            // A line cut off by a kill (no newline, or not a whole record) is dropped:
            // that task is simply done again.
            var start = headerEnd + 1
            var valid = start
            while let newline = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) {
                if let record = JournalRecord(bytes, line: start..<newline) {
                    entries[record.index] = Entry(index: record.index, offset: start, length: newline - start)
                    valid = newline + 1
                }
                start = newline + 1
            }
            if valid < bytes.count, let truncating = FileHandle(forUpdatingAtPath: path) {
                try? truncating.truncate(atOffset: UInt64(valid))
                try? truncating.close()
            }
        } else {
            guard fm.createFile(atPath: path, contents: Data(headerLine)) else {
                throw FormatsError(.invalidField, "\(path): cannot create the export journal")
            }
        }
        guard let handle = FileHandle(forWritingAtPath: path) else {
            throw FormatsError(.invalidField, "\(path): cannot open the export journal")
        }
        self.handle = handle
        _ = try? handle.seekToEnd()
    }

    deinit { try? handle.close() }

    /// True when task `index` is already recorded.
    func contains(_ index: Int) -> Bool { entries[index] != nil }

    /// Records a finished task: its ``JournalLine`` in one `write`, so a kill leaves
    /// whole lines.
    func record(_ line: [UInt8], index: Int) throws(FormatsError) {
        do {
            let offset = try handle.offset()
            try handle.write(contentsOf: Data(line))
            entries[index] = Entry(index: index, offset: Int(offset), length: line.count - 1)
        } catch {
            throw FormatsError(.invalidField, "\(path): cannot append to the journal: \(error.localizedDescription)")
        }
    }

    /// The journal's size in bytes so far.
    var byteCount: Int { entries.values.map { $0.offset + $0.length + 1 }.max() ?? Self.headerSize(path) }

    /// The recorded tasks read back in task order, from a mapping of the journal.
    func records() throws(FormatsError) -> [JournalLineRef] {
        let file = try MappedFile(path: path, length: byteCount)
        return entries.values.sorted { $0.index < $1.index }.compactMap { entry in
            JournalRecord(file.bytes, line: entry.offset..<(entry.offset + entry.length)).map {
                JournalLineRef(file: file, record: $0)
            }
        }
    }

    /// The header line's size (a journal with no task yet).
    private static func headerSize(_ path: String) -> Int {
        guard let data = FileManager.default.contents(atPath: path), let newline = data.firstIndex(of: 0x0A) else {
            return 0
        }
        return newline + 1
    }

    /// A header object as one JSON line (sorted keys).
    static func line(_ object: Any) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}

/// A task line of a mapped journal, with the mapping that keeps its bytes.
struct JournalLineRef {
    let file: MappedFile
    let record: JournalRecord

    /// The journal's bytes (the record's ranges point into them).
    var bytes: UnsafeBufferPointer<UInt8> { file.bytes }
}
