import Foundation
import LabelKitFormats
import LabelKitJSON

/// The append-only record of an export in progress: a header naming the input and
/// options, then one JSON line per finished task. A killed export resumes from it;
/// final files (COCO JSON, errors, label maps) are assembled from it at the end.
final class ExportJournal {
    static let fileName = ".labelkit-export.jsonl"

    /// A finished task as recorded.
    struct Entry {
        var index: Int
        var failed: Bool
        /// Byte range of the line in the journal (read again when assembling).
        var offset: UInt64
        var length: Int
    }

    let path: String
    private let handle: FileHandle
    private(set) var entries: [Int: Entry] = [:]

    /// Opens (or creates) the journal in `directory` for an export described by
    /// `header`; an existing journal must have the same header.
    init(directory: String, header: [String: String], force: Bool) throws(FormatsError) {
        path = directory + "/" + ExportJournal.fileName
        let fm = FileManager.default
        if force { try? fm.removeItem(atPath: path) }
        let headerLine = Self.line(header)
        var loaded: [Int: Entry] = [:]
        if fm.fileExists(atPath: path) {
            guard let reader = FileHandle(forReadingAtPath: path) else {
                throw FormatsError(.invalidJSON, "\(path): cannot read the export journal")
            }
            defer { try? reader.close() }
            // Line by line in 1 MiB chunks: a resumed journal is never held whole in memory.
            var offset: UInt64 = 0
            var first = true
            var pending = Data()
            var mismatch = false
            func take(_ line: Data) {
                defer { offset += UInt64(line.count + 1) }
                if first {
                    first = false
                    mismatch = !line.elementsEqual(headerLine.utf8.dropLast())
                    return
                }
                // A line cut off by a kill is ignored: that task is simply done again.
                guard let object = try? ExactJSON.parse(line) as? [String: Any], let index = object["i"] as? Int else {
                    return
                }
                loaded[index] = Entry(
                    index: index, failed: (object["status"] as? String) == "failed", offset: offset, length: line.count)
            }
            while !mismatch, let chunk = try? reader.read(upToCount: 1 << 20), !chunk.isEmpty {
                pending.append(chunk)
                while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                    take(pending[pending.startIndex..<newline])
                    pending.removeSubrange(pending.startIndex...newline)
                }
            }
            guard !mismatch else {
                throw FormatsError(
                    .invalidField,
                    "\(directory) holds an export of another input or with other options; use --force to start over")
            }
            // Drop a torn last line so new lines start cleanly.
            let valid = loaded.values.map { $0.offset + UInt64($0.length) + 1 }.max() ?? UInt64(headerLine.utf8.count)
            if let truncating = FileHandle(forUpdatingAtPath: path) {
                try? truncating.truncate(atOffset: valid)
                try? truncating.close()
            }
        } else {
            guard fm.createFile(atPath: path, contents: Data(headerLine.utf8)) else {
                throw FormatsError(.invalidField, "\(path): cannot create the export journal")
            }
        }
        guard let handle = FileHandle(forWritingAtPath: path) else {
            throw FormatsError(.invalidField, "\(path): cannot open the export journal")
        }
        self.handle = handle
        entries = loaded
        _ = try? handle.seekToEnd()
    }

    deinit { try? handle.close() }

    /// True when task `index` is already recorded.
    func contains(_ index: Int) -> Bool { entries[index] != nil }

    /// Records a finished task (one `write`, so a kill leaves whole lines).
    func record(_ object: [String: Any]) throws(FormatsError) {
        let text = Self.line(object)
        do {
            let offset = try handle.offset()
            try handle.write(contentsOf: Data(text.utf8))
            if let index = object["i"] as? Int {
                entries[index] = Entry(
                    index: index, failed: (object["status"] as? String) == "failed", offset: offset,
                    length: text.utf8.count - 1)
            }
        } catch {
            throw FormatsError(.invalidField, "\(path): cannot append to the journal: \(error.localizedDescription)")
        }
    }

    /// The recorded lines in task order, read back one at a time.
    func forEachEntry(_ body: ([String: Any]) throws -> Void) throws {
        guard let reader = FileHandle(forReadingAtPath: path) else { return }
        defer { try? reader.close() }
        for entry in entries.values.sorted(by: { $0.index < $1.index }) {
            try reader.seek(toOffset: entry.offset)
            guard let data = try reader.read(upToCount: entry.length),
                let object = try ExactJSON.parse(data) as? [String: Any]
            else { continue }
            try body(object)
        }
    }

    static func line(_ object: Any) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
